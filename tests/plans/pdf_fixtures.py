"""An approved revision built directly (the workflow UI is someone else's), for the PDF and
export tests: a plan with records in every plans table, frozen with build_snapshot."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oakview.core.models import Standard
from plans.models import PlanDecision, PlanRevision
from plans.parts import build_snapshot
from tests.factories import (
    ActionFactory,
    DriverFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
    ResourceFactory,
    TrainingSessionFactory,
)

NARRATIVES = {
    "need": "Our **care records** are on paper. An audit found gaps in 30% of files.\n\n" + "Need words here. " * 120,
    "planning": "We will move every care plan to the digital system in three months.\n\n" + "Planning words here. " * 150,
    "support": "Champions will pair with staff who are less confident.\n\n" + "Support words here. " * 130,
    "implementation": "Go-live is phased by unit, with paper back-up for a fortnight.\n\n" + "Implementation words here. " * 110,
    "evaluation": "We will measure completion of records in real time.\n\n" + "Evaluation words here. " * 100,
}


def approved_revision(personas, *, narratives: dict | None = None, number: int = 1, **plan_fields) -> PlanRevision:
    plan = PlanFactory(
        home=personas.home,
        author=personas.manager,
        title=plan_fields.pop("title", "Digital care records"),
        summary="Moving from paper care plans to a digital care management system.",
        current_state="Hand-written care plans, updated at the end of each shift.",
        desired_state="Care notes recorded at the point of care on handheld devices.",
        safety_link="Real-time records mean medication and falls risks are seen by the next carer.",
        staff_message="The system gives you time back for residents; champions will help you.",
        **{f"narrative_{k}": v for k, v in (narratives or NARRATIVES).items()},
        **plan_fields,
    )
    reg12 = Standard.objects.filter(code="Reg 12").first()
    reg17 = Standard.objects.filter(code="Reg 17").first()
    driver = DriverFactory(plan=plan, description="Care records not updated in real time")
    if reg17:
        driver.standards.add(reg17)
    ObjectiveFactory(plan=plan, title="All care plans on the system by go-live")
    ResourceFactory(
        plan=plan, description="Handheld devices", quantity=Decimal("12"), unit="devices", unit_cost=Decimal("180"), secured=True
    )
    ResourceFactory(
        plan=plan,
        kind="human",
        description="Backfill carer hours",
        quantity=Decimal("40"),
        unit="hours",
        unit_cost=Decimal("14.50"),
    )
    milestone = MilestoneFactory(plan=plan, title="Pilot on Rowan unit", due_date=dt.date(2027, 1, 8))
    MilestoneFactory(plan=plan, title="Go-live across the home", due_date=dt.date(2027, 2, 1))
    action = ActionFactory(plan=plan, title="Configure care plan templates", owner=personas.manager, milestone=milestone)
    if reg12:
        action.standards.add(reg12)
    ActionFactory(plan=plan, title="Train the digital champions", owner=personas.staff, due_date=dt.date(2027, 1, 5))
    session = TrainingSessionFactory(
        plan=plan, title="System basics, group 1", trainer="Vendor trainer", backfill_hours=Decimal("3")
    )
    session.attendees.add(personas.staff, personas.viewer)
    revision = PlanRevision.objects.create(
        plan=plan, number=number, schema=1, snapshot=build_snapshot(plan), submitted_by=personas.manager, status="approved"
    )
    PlanDecision.objects.create(revision=revision, approver=personas.approver, outcome="approved", comment="Approved: go ahead.")
    return revision


def submitted_revision(personas, **kwargs) -> PlanRevision:
    revision = approved_revision(personas, **kwargs)
    revision.decisions.all().delete()
    PlanRevision.objects.filter(pk=revision.pk).update(status="submitted")
    revision.refresh_from_db()
    return revision
