"""The plans part's readiness rules: each failure says what to fix and links to it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from plans.parts.plan_readiness import plan_readiness
from plans.snapshot.sections import SECTIONS
from tests.factories import TrainingSessionFactory

from .workflow_helpers import ready_plan


def _messages(plan, *, blocking=True):
    # Citation warnings (an appendix no answer cites) have their own test in test_pdf_rules.
    return [p.message for p in plan_readiness(plan) if p.blocking is blocking and "[[appendix:" not in p.message]


def test_a_ready_plan_has_only_the_word_count_warning(personas):
    plan = ready_plan(personas)
    assert _messages(plan) == []
    [warning] = _messages(plan, blocking=False)
    assert warning == "The written answers come to 420 words; the guide is 2,500\u20133,500 (add detail)."


def test_word_count_within_the_guide_gives_no_warning(personas):
    plan = ready_plan(personas)
    for section in SECTIONS:
        setattr(plan, section.narrative_field, "word " * 600)
    assert _messages(plan, blocking=False) == []
    setattr(plan, SECTIONS[0].narrative_field, "word " * 1200)
    assert _messages(plan, blocking=False) == [
        "The written answers come to 3,600 words; the guide is 2,500\u20133,500 (tighten the text)."
    ]


def test_every_section_needs_a_narrative(personas):
    plan = ready_plan(personas, narrative_evaluation="  ")
    assert _messages(plan) == ["Section 5 (Evaluation) has no narrative yet: write it."]


def test_a_driver_needs_evidence(personas):
    plan = ready_plan(personas)
    plan.drivers.update(evidence="")
    assert _messages(plan) == [
        "Add at least one driver for change with its evidence (an audit finding, incident, inspection report...)."
    ]


def test_three_costed_resources(personas):
    plan = ready_plan(personas)
    plan.resources.filter(description="Licences").update(unit_cost=Decimal("0"))
    assert _messages(plan) == ["List at least 3 resources with their costs (2 costed so far)."]


def test_actions_need_owners_and_due_dates(personas):
    plan = ready_plan(personas)
    plan.actions.update(owner=None, due_date=None)
    assert _messages(plan) == ["Action \u201cOrder tablets\u201d needs an owner and a due date."]


def test_training_days_need_care_hours_cover(personas):
    personas.home.required_care_hours_per_day = Decimal("90")
    personas.home.rostered_care_hours_per_day = Decimal("92")
    personas.home.save()
    plan = ready_plan(personas)
    session = TrainingSessionFactory(
        plan=plan, starts_at=dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC), duration_hours=Decimal("3")
    )
    session.attendees.add(personas.staff, personas.viewer)  # 6 hours off the floor, 2 spare
    assert _messages(plan) == [
        "Training leaves the floor short of the required care hours on 12 Jan 2027: add backfill hours or move attendees."
    ]
    session.backfill_hours = Decimal("4")
    session.save()
    assert _messages(plan) == []


def test_problems_link_to_the_section_to_fix(personas):
    plan = ready_plan(personas, narrative_support="")
    [problem] = [p for p in plan_readiness(plan) if p.blocking]
    assert problem.url == f"/plans/{plan.pk}/sections/support/edit/"
