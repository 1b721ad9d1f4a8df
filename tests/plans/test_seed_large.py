"""manage.py seed_large: the large plan the benchmarks measure, filled by every part."""

import io

from django.core.management import call_command

from plans.models import Plan


def test_seed_large_builds_the_large_plan_through_every_part(db, pilot_part):
    out = io.StringIO()
    call_command("seed_large", "--force", stdout=out)
    plan = Plan.objects.get(title="Large plan (benchmark)")
    assert plan.actions.count() >= 200
    assert plan.training_sessions.count() == 50
    assert plan.risks.count() == 60  # the risk register's seed_large
    assert all(r.reviews.count() == 2 for r in plan.risks.all()[:5])
    assert plan.stakeholders.count() == 40  # the stakeholder map's seed_large
    assert len(pilot_part[plan.pk]) == 3  # a part the tests plug in fills it too
    numbers = list(plan.revisions.order_by("number").values_list("number", "status"))
    assert [n for n, _ in numbers] == list(range(1, 11))
    assert numbers[-1][1] == "changes_requested" and ("approved" in {s for _, s in numbers})
    # The revisions differ: each one after the first has something new in it.
    first, last = plan.revisions.get(number=1).snapshot, plan.revisions.get(number=10).snapshot
    assert first["plan"]["actions"] != last["plan"]["actions"]
    assert f"/plans/{plan.pk}/" in out.getvalue()

    # A second run leaves the plan alone.
    call_command("seed_large", "--force", stdout=io.StringIO())
    assert Plan.objects.filter(title="Large plan (benchmark)").count() == 1
