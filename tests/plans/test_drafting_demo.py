"""The Oak View demo plan and the template it is made from."""

import pytest
from django.utils import timezone

from oakview.core.demo import seed_people
from plans.demo.plan import TITLE, seed_plan
from plans.models import Action, ActionUpdate, Driver, Plan, TrainingSession
from plans.snapshot.care_hours import cover_for_plan, shortfall_days
from plans.snapshot.sections import SECTIONS, WORD_GUIDE
from plans.snapshot.text import word_count


@pytest.fixture
def demo(db):
    ctx = seed_people()
    return ctx, seed_plan(ctx)


def test_demo_plan_is_a_realistic_draft_from_the_template(demo):
    ctx, plan = demo
    assert plan.home == ctx.oak_view and plan.author == ctx.users["manager"] and plan.status == Plan.Status.DRAFT
    words = sum(word_count(plan.narrative(s)) for s in SECTIONS)
    assert WORD_GUIDE[0] <= words <= WORD_GUIDE[1]
    assert all(word_count(plan.narrative(s)) > 300 for s in SECTIONS)
    evidence = " ".join(plan.drivers.values_list("evidence", flat=True))
    assert "30% of files not updated in real time" in evidence
    assert "agency staff could not read handwriting" in evidence
    assert set(Driver.standards.through.objects.filter(driver__plan=plan).values_list("standard__code", flat=True)) >= {
        "Reg 17",
        "Reg 12",
    }
    assert {r.kind for r in plan.resources.all()} == {"human", "physical", "financial"}
    assert (plan.end_date - plan.start_date).days in range(84, 95)


def test_demo_actions_are_assigned_to_staff_and_some_are_overdue(demo):
    ctx, plan = demo
    today = timezone.localdate()
    owners = set(plan.actions.values_list("owner__username", flat=True))
    assert {"staff1", "staff2", "staff3"} <= owners
    for name in ("staff1", "staff3"):
        assert Action.objects.filter(plan=plan, owner=ctx.users[name]).overdue(today).exists(), name
    assert plan.actions.filter(status=Action.Status.DONE).exists()
    assert ActionUpdate.objects.filter(action__plan=plan, note__gt="").exists()


def test_demo_training_has_one_short_day_and_one_covered_by_backfill(demo):
    _ctx, plan = demo
    cover = cover_for_plan(plan)
    short = shortfall_days(cover)
    assert len(short) == 1 and short[0].shortfall > 0
    # Every other training day would be short without its backfill, and is covered by it.
    needs_backfill = [d for d in cover if d.off_floor > d.rostered - d.required]
    training_days = {timezone.localtime(s.starts_at).date() for s in TrainingSession.objects.filter(plan=plan)}
    assert {d.day for d in needs_backfill} == training_days
    assert [d for d in needs_backfill if d.is_short] == short
    # All 32 care staff, two three-hour parts each, in groups of four: sixteen sessions, and
    # every place of every session is someone on the team.
    sessions = TrainingSession.objects.filter(plan=plan).prefetch_related("attendees")
    assert sessions.count() == 16
    trained = [a.pk for s in sessions for a in s.attendees.all()]
    assert len(trained) == 64 and len(set(trained)) == 32
    night = [s for s in sessions if s.title.startswith("Night")]
    assert night and all(timezone.localtime(s.starts_at).hour == 20 for s in night)


def test_seeding_twice_changes_nothing(demo):
    ctx, plan = demo
    counts = (
        Plan.objects.count(),
        Action.objects.count(),
        TrainingSession.objects.count(),
        ActionUpdate.objects.count(),
        Plan.history.count(),
    )
    assert seed_plan(seed_people()) == plan
    assert (
        Plan.objects.count(),
        Action.objects.count(),
        TrainingSession.objects.count(),
        ActionUpdate.objects.count(),
        Plan.history.count(),
    ) == counts
    assert Plan.objects.filter(title=TITLE).count() == 1
