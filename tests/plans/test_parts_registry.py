"""The parts registry, proved with a part that plans has never heard of (tests/pilot_part.py).

Registered, the pilot part is in the snapshot, on the readiness checklist, in the review
diff, in section 3 of the revision page and in the PDF; plans was not changed for it.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from plans.models import Plan, PlanRevision
from plans.parts import readiness_problems
from plans.pdf.render import render
from plans.snapshot.diff import diff_snapshots

from .test_pdf_render import pdf_text
from .workflow_helpers import approve, ready_plan, refresh

PLANS = Path(__file__).resolve().parents[2] / "plans"
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SATELLITES = ("risks", "stakeholders", "evaluation")
EAST = {"id": 1, "name": "East wing", "go_live": "2027-01-18", "standards": ["Reg 17"]}
ROWAN = {"id": 2, "name": "Rowan unit", "go_live": "2027-01-25", "standards": []}


def test_its_readiness_problem_blocks_submission_until_it_is_met(personas, pilot_part):
    plan = ready_plan(personas)
    manager = personas.client(personas.manager)
    problems = [p for p in readiness_problems(plan) if p.part == "pilot"]
    assert [p.message for p in problems] == ["Name at least one pilot ward before the whole home goes live."]
    assert "Name at least one pilot ward" in manager.get(reverse("plans:plan-detail", args=[plan.pk])).text
    response = manager.post(reverse("plans:plan-submit", args=[plan.pk]))
    assert response.status_code == 400 and "Name at least one pilot ward" in response.text
    pilot_part[plan.pk] = [EAST]
    assert manager.post(reverse("plans:plan-submit", args=[plan.pk])).status_code == 302
    assert refresh(plan).status == Plan.Status.IN_REVIEW


def test_its_records_are_frozen_in_the_snapshot_and_diffed_by_its_own_names(personas, pilot_part):
    plan = ready_plan(personas)
    pilot_part[plan.pk] = [EAST]
    personas.client(personas.manager).post(reverse("plans:plan-submit", args=[plan.pk]))
    first = PlanRevision.objects.get(plan=plan, number=1)
    assert first.snapshot["pilot"] == {"wards": [EAST]}
    approve(plan, personas)
    pilot_part[plan.pk] = [{**EAST, "go_live": "2027-02-01"}, ROWAN]
    personas.client(personas.manager).post(reverse("plans:plan-submit", args=[plan.pk]))
    second = PlanRevision.objects.get(plan=plan, number=2)
    changes = [(c.kind, c.label, c.details) for c in diff_snapshots(first.snapshot, second.snapshot) if c.part == "pilot"]
    assert changes == [
        ("added", "Pilot ward: Rowan unit", [("Ward", "", "Rowan unit"), ("Goes live", "", "2027-01-25")]),
        ("changed", "Pilot ward: East wing", [("Goes live", "2027-01-18", "2027-02-01")]),
    ]
    review = personas.client(personas.approver).get(reverse("plans:plan-review", args=[plan.pk])).text
    assert "Pilot ward: Rowan unit" in review and "Pilot ward: East wing" in review


def test_its_block_sits_in_section_3_of_the_revision_page(personas, pilot_part):
    plan = ready_plan(personas)
    pilot_part[plan.pk] = [EAST, ROWAN]
    personas.client(personas.manager).post(reverse("plans:plan-submit", args=[plan.pk]))
    html = personas.client(personas.manager).get(reverse("plans:revision-detail", args=[plan.pk, 1])).text
    section_3 = html.index('id="section-support"')
    section_4 = html.index('id="section-implementation"')
    assert section_3 < html.index('id="pilot-block"') < section_4
    assert "2 pilot wards: East wing, Rowan unit." in html


def test_its_appendix_is_in_the_pdf_referred_to_from_section_3(personas, pilot_part):
    plan = ready_plan(personas)
    pilot_part[plan.pk] = [EAST, ROWAN]
    personas.client(personas.manager).post(reverse("plans:plan-submit", args=[plan.pk]))
    approve(plan, personas)
    _, pages = pdf_text(render(PlanRevision.objects.get(plan=plan, number=1)))
    text = "\n".join(pages)
    letter = re.search(r"See Appendix ([A-Z]): Pilot wards and their go-live dates", text)
    assert letter, "section 3 refers to the pilot appendix"
    assert any(p.startswith(f"Appendix {letter[1]}: Pilot wards and their go-live dates") and "Rowan unit" in p for p in pages)
    # Its rows' standards are in the standards coverage appendix, among what addresses them.
    assert "Pilot ward: East wing" in text


def test_plans_names_no_satellite_app():
    """plans reaches the other apps only through the registry: its code and its templates
    never name them (import-linter checks the imports; this checks every other mention)."""
    offenders = []
    # plans' templates: its pages, and the PDF's but for the folders the satellites keep there.
    templates = [p for d in ("plans", "pdf") for p in (TEMPLATES / d).rglob("*") if p.suffix in (".html", ".txt")]
    for path in [*PLANS.rglob("*.py"), *PLANS.rglob("*.md"), *templates]:
        if "migrations" in path.parts or any(part in SATELLITES for part in path.relative_to(TEMPLATES.parent).parts[1:3]):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name in SATELLITES:
                if re.search(rf"\b{name}\b", line, flags=re.IGNORECASE) and not _prose(name, line):
                    offenders.append(f"{path.relative_to(TEMPLATES.parent)}:{number}: {line.strip()}")
    assert offenders == []


def _prose(name: str, line: str) -> bool:
    # "evaluation" is also plain English and the name of the plan's fifth section and status
    # ("Move to evaluation", Section 5 "Evaluation"); "risks" is the word for the things in a
    # register. Only an import, a dotted path, a URL namespace or a template path names an app.
    return not re.search(rf"(import\s+{name}\b|from\s+{name}\b|\b{name}\.[a-z_]|['\"]{name}:|{name}/)", line, flags=re.IGNORECASE)
