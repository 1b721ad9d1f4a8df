"""A part that exists only in the tests: pilot wards, answering question 3.

It proves the registry: once registered it adds a key to the snapshot, a problem to the
readiness checklist, lines to the review diff, a block to section 3 of the revision page,
an appendix to the PDF and a standards reference to the standards appendix, with no line of
plans changed for it. Its records live in WARDS (plan id -> rows) instead of a table.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from plans.parts import Appendix, Block, Column, PlanPart, Problem, RowKind, register_part, unregister_part

TEMPLATES = Path(__file__).resolve().parent / "templates"
WARDS: dict[int, list[dict]] = {}

WARD = RowKind(
    "wards",
    "Pilot ward",
    "Pilot wards",
    columns=(Column("name", "Ward"), Column("go_live", "Goes live", "date"), Column("standards", "Standards", "codes")),
)


class PilotPart(PlanPart):
    key = "pilot"
    title = "Pilot wards"
    order = 30
    section = 3
    row_kinds = (WARD,)
    field_labels = {"go_live": "Goes live", "name": "Ward"}

    def snapshot(self, plan):
        return {"wards": copy.deepcopy(WARDS.get(plan.pk, []))}

    def readiness(self, plan):
        if WARDS.get(plan.pk):
            return []
        return [Problem(self.key, "Name at least one pilot ward before the whole home goes live.", url="/pilot/")]

    def revision_blocks(self, snap):
        wards = snap[self.key]["wards"]
        block = Block("tests/pilot_block.html", {"count": len(wards), "names": [w["name"] for w in wards]}, section=3)
        return [block]

    def seed_large(self, ctx, plan, scale):
        WARDS[plan.pk] = [{"name": f"Ward {i + 1}", "go_live": None, "standards": []} for i in range(3 * scale)]

    def appendices(self, snap):
        wards = snap.get(self.key, {}).get("wards", [])
        return [Appendix(key=self.key, title="Pilot wards and their go-live dates", template="tests/pilot_appendix.html",
                         context={"wards": wards}, section=3)]  # fmt: skip


@pytest.fixture
def pilot_part(settings):
    """The pilot part registered, and the tests' templates findable, for one test."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates
    register_part(PilotPart())
    yield WARDS
    unregister_part(PilotPart.key)
    WARDS.clear()


@pytest.fixture
def test_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates
