"""Oak View's demo register: realistic, idempotent, ready for submission, and seeded through
the part's demo hooks."""

import datetime as dt
import io

from django.utils import timezone

from oakview.core.demo import seed_people
from plans.demo.plan import seed_plan
from plans.models import Plan
from plans.parts import build_snapshot, get_part
from plans.snapshot.diff import diff_snapshots
from risks.models import Risk, RiskReview
from risks.parts import RiskPart


def _seed(db):
    ctx = seed_people()
    ctx.stdout = io.StringIO()
    plan = seed_plan(ctx)
    get_part("risks").seed_demo(ctx, plan)
    return ctx, plan


def test_demo_register_is_realistic_and_passes_readiness(db):
    ctx, plan = _seed(db)
    risks = list(Risk.objects.filter(plan=plan))
    assert len(risks) >= 10
    titles = {r.title for r in risks}
    assert {"System outage on go-live day", "Agency staff without logins", "Wi-Fi dead spots in the home",
            "Data breach from shared logins", "Staff reverting to paper"} <= titles  # fmt: skip
    assert {r.owner.username for r in risks} <= {"manager", "staff1", "staff2", "staff3"}
    assert sum(r.phase == Risk.Phase.GO_LIVE for r in risks) >= 2
    # None has lapsed at approval (an assessor checks), but one falls due this week.
    today = timezone.localdate()
    assert Risk.objects.filter(plan=plan).overdue(today).count() == 0
    assert Risk.objects.filter(plan=plan, review_date__lte=today + dt.timedelta(days=7)).exists()
    assert RiskReview.objects.filter(risk__plan=plan).count() >= 8
    assert len({r.reviewed_on for r in RiskReview.objects.filter(risk__plan=plan)}) >= 4  # over time
    assert RiskPart().readiness(plan) == []


def test_demo_is_idempotent(db):
    ctx, plan = _seed(db)
    before = (Risk.objects.count(), RiskReview.objects.count())
    get_part("risks").seed_demo(ctx, plan)
    assert (Risk.objects.count(), RiskReview.objects.count()) == before


def test_demo_leaves_a_plan_under_review_alone(db):
    ctx, plan = _seed(db)
    Risk.objects.filter(plan=plan).delete()
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
    get_part("risks").seed_demo(ctx, Plan.objects.get(pk=plan.pk))
    assert not Risk.objects.exists()
    assert "not editable now" in ctx.stdout.getvalue()


def test_demo_change_after_approval_shows_in_the_diff(db):
    ctx, plan = _seed(db)
    before = build_snapshot(plan)
    get_part("risks").demo_after_approval(ctx, plan)
    get_part("risks").demo_after_approval(ctx, plan)  # idempotent
    labels = [(c.kind, c.label) for c in diff_snapshots(before, build_snapshot(plan)) if c.part == "risks"]
    new = Risk.objects.get(plan=plan, title="Pharmacy's eMAR link delayed")
    agency = Risk.objects.get(plan=plan, title="Agency staff without logins")
    assert ("added", f"Risk {new.ref}: Pharmacy's eMAR link delayed") in labels
    assert ("changed", f"Risk {agency.ref}: Agency staff without logins") in labels
