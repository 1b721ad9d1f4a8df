"""Oak View's demo register: realistic, idempotent, and ready for submission."""

import io

from django.utils import timezone

from oakview.core.demo import seed_people
from plans.models import Plan
from risks.demo import seed_risks
from risks.models import Risk, RiskReview
from risks.parts import RiskPart


def _seed(db):
    ctx = seed_people()
    ctx.stdout = io.StringIO()
    from plans.demo import seed_plan

    seed_plan(ctx)
    seed_risks(ctx)
    return ctx


def test_demo_register_is_realistic_and_passes_readiness(db):
    ctx = _seed(db)
    plan = Plan.objects.filter(home=ctx.oak_view).order_by("id").first()
    risks = list(Risk.objects.filter(plan=plan))
    assert len(risks) >= 10
    titles = {r.title for r in risks}
    assert {"System outage on go-live day", "Agency staff without logins", "Wi-Fi dead spots in the home",
            "Data breach from shared logins", "Staff reverting to paper"} <= titles
    assert {r.owner.username for r in risks} <= {"manager", "staff1", "staff2", "staff3"}
    assert sum(r.phase == Risk.Phase.GO_LIVE for r in risks) >= 2
    assert Risk.objects.filter(plan=plan).overdue(timezone.localdate()).count() >= 1
    assert RiskReview.objects.filter(risk__plan=plan).count() >= 8
    assert len({r.reviewed_on for r in RiskReview.objects.filter(risk__plan=plan)}) >= 4  # over time
    assert RiskPart().readiness(plan) == []


def test_demo_is_idempotent(db):
    ctx = _seed(db)
    before = (Risk.objects.count(), RiskReview.objects.count())
    seed_risks(ctx)
    assert (Risk.objects.count(), RiskReview.objects.count()) == before


def test_demo_without_a_plan_does_nothing(db):
    seed_risks(seed_people())
    assert not Risk.objects.exists()


def test_demo_change_after_approval_shows_in_the_diff(db):
    from plans.diff import diff_snapshots
    from plans.parts import build_snapshot
    from risks.demo import revise_register_after_approval

    ctx = _seed(db)
    plan = Plan.objects.filter(home=ctx.oak_view).order_by("id").first()
    before = build_snapshot(plan)
    revise_register_after_approval(plan, ctx.users["manager"])
    revise_register_after_approval(plan, ctx.users["manager"])  # idempotent
    labels = [(c.kind, c.label) for c in diff_snapshots(before, build_snapshot(plan)) if c.part == "risks"]
    assert ("added", "Risk: Pharmacy's eMAR link delayed") in labels
    assert ("changed", "Risk: Agency staff without logins") in labels
