"""Issue 12's "bugs to fix on the way", each as a user would notice it."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser

import pytest

from plans.models import Action, Plan
from plans.services import workflow
from plans.services.template import TEMPLATES, PlanTemplate
from plans.snapshot.sections import SECTIONS
from tests.factories import ActionFactory
from tests.plans.workflow_helpers import approve, ready_plan, refresh, request_changes, submit
from tests.risks.factories import RiskFactory, RiskReviewFactory


class _Attrs(HTMLParser):
    """Every element's attributes, in page order."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Attrs()
    parser.feed(html)
    return parser.elements


@pytest.fixture
def approved(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    return refresh(plan)


def test_submit_is_offered_only_for_a_material_change_and_asks_first(personas, approved):
    manager = personas.client(personas.manager)
    page = manager.get(f"/plans/{approved.pk}/").text
    assert f'href="/plans/{approved.pk}/submit/"' not in page
    assert "Nothing you have changed since the approved revision needs approval" in page

    approved.go_live_date = approved.go_live_date + dt.timedelta(days=21)
    approved.save()
    page = manager.get(f"/plans/{approved.pk}/").text
    # A link to the confirmation page, never a one-click form that freezes a revision.
    assert f'href="/plans/{approved.pk}/submit/"' in page
    assert f'action="/plans/{approved.pk}/submit/"' not in page
    confirm = manager.get(f"/plans/{approved.pk}/submit/").text
    assert "This submission asks approval for" in confirm
    assert refresh(approved).revisions.count() == 1


def test_risk_register_labels_point_at_the_add_form_not_the_filters(personas):
    plan = ready_plan(personas)
    html = personas.client(personas.manager).get(f"/plans/{plan.pk}/risks/").text
    ids = Counter(attrs["id"] for _, attrs in elements(html) if attrs.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    labels = {attrs["for"] for tag, attrs in elements(html) if tag == "label" and attrs.get("for")}
    assert {"id_phase", "id_owner", "id_status"} <= labels  # the add form's own fields
    assert {"filter_phase", "filter_owner", "filter_status"} <= labels


def test_reviews_of_risks_never_read_as_hash_none(personas):
    plan = ready_plan(personas)
    risk = RiskFactory(plan=plan, title="Agency staff cannot sign in")
    RiskReviewFactory(risk=risk)
    RiskReviewFactory(risk=risk, reviewed_on=dt.date(2026, 12, 22))
    submit(plan, personas)
    approver = personas.client(personas.approver)
    for url in (f"/plans/{plan.pk}/review/", f"/plans/{plan.pk}/revisions/1/"):
        assert "#None" not in approver.get(url).text


def test_latest_decision_is_said_once(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    request_changes(plan, personas)
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/").text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "revision 1 — changes requested by David Hughes" in text
    assert "changes requested, changes requested" not in text


def test_actions_go_to_managers_and_staff_only(personas):
    plan = ready_plan(personas)
    manager = personas.client(personas.manager)
    form = manager.get(f"/plans/{plan.pk}/action/new/").text
    owners = re.search(r'<select name="owner".*?</select>', form, re.S).group(0)
    assert "Sarah Okafor" in owners and "Priya Sharma" in owners
    assert "Helen Price" not in owners and "David Hughes" not in owners

    response = manager.post(
        f"/plans/{plan.pk}/action/new/", {"title": "Read the audit", "owner": personas.viewer.pk, "status": "not_started"}
    )
    assert response.status_code == 400
    assert "Actions go to the home&#x27;s managers and staff, who see them under My actions." in response.text
    assert not Action.objects.filter(title="Read the audit").exists()


def test_export_button_is_the_primary_style_and_answers_at_once(personas, approved):
    html = personas.client(personas.manager).get(f"/plans/{approved.pk}/revisions/1/exports/").text
    form = next(a for tag, a in elements(html) if tag == "form" and a.get("hx-post"))
    assert re.search(r'<button type="submit" class="btn btn-oak"[^>]*>Export PDF</button>', html)
    assert "btn-primary" not in html
    assert form["hx-indicator"] == "#export-sending" and form["hx-disabled-elt"] == "find button"
    assert 'id="export-sending"' in html and "Asking for the PDF" in html


def test_time_elements_carry_valid_datetimes(personas, approved):
    ActionFactory(plan=approved, title="Book the trainer", owner=personas.staff)
    workflow.plan_start(plan_id=approved.pk, by=personas.manager)
    valid = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?([+-]\d\d:?\d\d|Z)?)?$")
    checked = 0
    for url in (f"/plans/{approved.pk}/", f"/plans/{approved.pk}/history/", f"/plans/{approved.pk}/revisions/"):
        for tag, attrs in elements(personas.client(personas.manager).get(url).text):
            if tag == "time":
                checked += 1
                assert valid.match(attrs.get("datetime") or ""), attrs
    assert checked
    assert refresh(approved).status == Plan.Status.IN_PROGRESS


# --- Templates library (build item 9) ----------------------------------------------------------


def test_the_starter_is_named_for_what_it_is_and_speaks_of_the_new_home(personas):
    manager = personas.client(personas.stranger)  # Beech House's manager
    form = manager.get("/plans/new/").text
    assert "Paper to digital care records" in form and "Oak View" not in form
    response = manager.post(
        "/plans/new/",
        {
            "home": personas.other_home.pk,
            "title": "Digital records",
            "start_date": "2027-01-04",
            "start_from": "paper-to-digital",
        },
    )
    plan = Plan.objects.get(title="Digital records")
    assert response.status_code == 302
    assert plan.narrative_need.startswith("Beech House is a 28-bed")
    assert "Oak View" not in " ".join(plan.narrative(s) for s in SECTIONS)
    assert plan.actions.count() > 5


def test_the_library_is_data_a_second_template_is_offered_and_used(personas, monkeypatch):
    def fields(plan):
        return {"summary": "Introducing electronic medicines administration records."}

    def rows(plan):
        yield Action(plan=plan, title="Choose an eMAR supplier"), {}

    emar = PlanTemplate("emar", "eMAR introduction", "a summary and one action", fields, rows)
    monkeypatch.setitem(TEMPLATES, "emar", emar)
    manager = personas.client(personas.manager)
    assert "eMAR introduction" in manager.get("/plans/new/").text
    manager.post("/plans/new/", {"home": personas.home.pk, "title": "eMAR", "start_date": "2027-01-04", "start_from": "emar"})
    plan = Plan.objects.get(title="eMAR")
    assert [a.title for a in plan.actions.all()] == ["Choose an eMAR supplier"]
