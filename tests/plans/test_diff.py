"""The review diff: a pure function of two snapshots, readable, generic over parts; and old
snapshots (the stored schema-1 fixture) still diff and still render."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from plans.models import PlanRevision
from plans.parts import PlanPart, RowKind, register_part, unregister_part
from plans.snapshot.diff import diff_snapshots, word_diff
from tests.factories import PlanFactory

SCHEMA_1 = json.loads((Path(__file__).parent / "snapshots" / "schema1.json").read_text())


@pytest.fixture
def old():
    return copy.deepcopy(SCHEMA_1)


class OutcomesPart(PlanPart):
    key = "outcomes"
    row_kinds = (RowKind("measures", "KPI", "Measures"),)
    field_labels = {"target": "Target to reach"}

    def snapshot(self, plan):
        return {"measures": []}


@pytest.fixture
def outcomes_part():
    register_part(OutcomesPart())
    yield
    unregister_part("outcomes")


def _summary(changes):
    return [(c.part, c.kind, c.label) for c in changes]


def test_identical_snapshots_have_no_changes(old):
    assert diff_snapshots(old, copy.deepcopy(old)) == []


def test_no_approved_revision_means_no_diff(old):
    assert diff_snapshots(None, old) == []


def test_added_removed_and_changed_rows_are_labelled_by_title_or_description(old):
    new = copy.deepcopy(old)
    plan = new["plan"]
    plan["resources"].append(
        {"id": 99, "kind": "Physical", "description": "Spare chargers", "quantity": "4.00", "unit_cost": "15.00"}
    )
    plan["milestones"] = []  # "Tablets delivered" removed
    plan["actions"][0]["due_date"] = "2027-01-20"
    plan["drivers"][0]["description"] = "Late medication entries"
    changes = diff_snapshots(old, new)
    assert _summary(changes) == [
        ("plan", "changed", "Driver: Missed medication entries \u2192 Late medication entries"),
        ("plan", "added", "Resource: Spare chargers"),
        ("plan", "removed", "Milestone: Tablets delivered"),
        ("plan", "changed", "Action: Order tablets"),
    ]
    action_change = changes[3]
    assert action_change.details == [("Due date", "2027-01-10", "2027-01-20")]
    added = changes[1]
    assert ("Unit cost (£)", "", "15.00") in added.details


def test_narrative_and_scalar_changes_read_as_text(old):
    new = copy.deepcopy(old)
    new["plan"]["narratives"]["need"] = old["plan"]["narratives"]["need"].replace("30%", "a third")
    new["plan"]["go_live_date"] = "2027-02-15"
    changes = diff_snapshots(old, new)
    assert _summary(changes) == [
        ("plan", "changed", "Go-live date"),
        ("plan", "changed", "Narrative: 1. Analysis of Need"),
    ]
    label, before, after = changes[1].details[0]
    segments = word_diff(before, after)
    assert ("del", " 30%") in segments
    assert ("ins", " a third") in segments


def test_other_parts_diff_by_their_own_names_without_the_diff_knowing_them(old, outcomes_part):
    """A part plugged in later names its rows and fields itself; one nobody describes any more
    still diffs, named from its keys. plans.snapshot.diff is not changed for either."""
    old["outcomes"] = {"measures": [{"id": 1, "name": "Care notes written at the bedside", "target": "90%"}]}
    new = copy.deepcopy(old)
    new["outcomes"]["measures"][0]["target"] = "95%"
    new["outcomes"]["measures"].append({"id": 2, "name": "Staff confidence", "target": "70%"})
    new["visits"] = [{"id": 5, "name": "Night staff", "stance": "Resistant"}]
    changes = diff_snapshots(old, new)
    assert _summary(changes) == [
        ("outcomes", "added", "KPI: Staff confidence"),
        ("outcomes", "changed", "KPI: Care notes written at the bedside"),
        ("visits", "added", "Visit: Night staff"),
    ]
    assert changes[1].details == [("Target to reach", "90%", "95%")]


def test_a_removed_part_shows_its_rows_as_removed(old):
    new = copy.deepcopy(old)
    del new["risks"]
    assert {c.kind for c in diff_snapshots(old, new)} == {"removed"}


def test_a_stored_schema_1_revision_still_renders_on_its_page(personas):
    plan = PlanFactory(home=personas.home, author=personas.manager, title="Live title, since renamed")
    PlanRevision.objects.create(
        plan=plan, number=1, schema=1, snapshot=SCHEMA_1, submitted_by=personas.manager, status=PlanRevision.Status.APPROVED
    )
    response = personas.client(personas.viewer).get(f"/plans/{plan.pk}/revisions/1/")
    assert response.status_code == 200
    html = response.text
    assert "Digital care planning at Oak View" in html  # the frozen title, not the live one
    assert "<strong>out of date</strong>" in html  # the narrative rendered as Markdown
    assert "Hand-written care plans" in html
    assert "Tablets delivered" in html and "8 Jan 2027" in html
    assert "Tablets fail on the first night shift" in html  # another part's rows


def test_long_unchanged_text_is_trimmed_around_the_change():
    before = " ".join(f"w{i}" for i in range(200))
    after = before + " A new closing sentence."
    segments = word_diff(before, after, context=5)
    assert segments[0] == ("skip", "\u2026")
    assert segments[1] == ("same", " w195 w196 w197 w198 w199")
    assert segments[2] == ("ins", " A new closing sentence.")
