"""A plan that passes readiness, and shortcuts through the workflow, for workflow tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from plans.models import Plan
from plans.services import workflow
from tests.evaluation.factories import record_decision, satisfy_evaluation_readiness
from tests.factories import ActionFactory, DriverFactory, ObjectiveFactory, PlanFactory, ResourceFactory
from tests.risks.factories import RiskFactory
from tests.stakeholders.factories import satisfy_support_readiness

NARRATIVE = "The home moves from paper care plans to a digital system within three months. " * 6


def ready_plan(personas, **kwargs) -> Plan:
    fields = {
        "home": personas.home,
        "author": personas.manager,
        "title": "Digital care planning",
        **{f"narrative_{key}": NARRATIVE for key in ("need", "planning", "support", "implementation", "evaluation")},
        **kwargs,
    }
    plan = PlanFactory(**fields)
    DriverFactory(plan=plan, description="Missed medication entries")
    ObjectiveFactory(plan=plan, title="All care plans digital by go-live")
    for name, cost in (("Tablets", "250.00"), ("Licences", "90.00"), ("Trainer days", "400.00")):
        ResourceFactory(plan=plan, description=name, unit_cost=Decimal(cost))
    ActionFactory(plan=plan, title="Order tablets", owner=personas.staff, due_date=dt.date(2027, 1, 10))
    _satisfy_other_parts(plan)
    return plan


def _satisfy_other_parts(plan: Plan) -> None:
    """The risk register's own readiness rules (two go-live risks, mitigated), gaining
    support's (a stakeholder mapped, an engagement activity, a champion) and the
    evaluation's (a quantitative and a qualitative KPI, complete)."""
    satisfy_support_readiness(plan)
    satisfy_evaluation_readiness(plan)
    RiskFactory(plan=plan, title="Tablets fail on the first night shift")
    RiskFactory(plan=plan, title="Wi-Fi drops in the east wing")


def submit(plan: Plan, personas):
    return workflow.plan_submit(plan_id=plan.pk, by=personas.manager)


def approve(plan: Plan, personas, comment: str = "Approved."):
    number = plan.revisions.order_by("-number").first().number
    return workflow.plan_decide(plan_id=plan.pk, revision_number=number, by=personas.approver, approve=True, comment=comment)


def request_changes(plan: Plan, personas, comment: str = "Add the night-shift training."):
    number = plan.revisions.order_by("-number").first().number
    return workflow.plan_decide(plan_id=plan.pk, revision_number=number, by=personas.approver, approve=False, comment=comment)


def refresh(plan: Plan) -> Plan:
    plan.refresh_from_db()
    return plan


def close(plan: Plan, personas, outcome: str = Plan.Outcome.EMBED):
    """Close with a final decision, recorded first at the three-month evaluation as the
    evaluation part asks."""
    record_decision(plan, outcome, by=personas.manager)
    return workflow.plan_close(plan_id=plan.pk, by=personas.manager, outcome=outcome)
