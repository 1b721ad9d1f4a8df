"""seed_demo leaves Oak View's plan with revision 1 approved and a later change in review."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from oakview.core.models import User
from plans.models import Plan, PlanDecision
from plans.snapshot.diff import diff_snapshots


@pytest.mark.django_db
def test_demo_has_an_approved_revision_and_a_change_in_review(client):
    call_command("seed_demo", force=True, verbosity=0, stdout=None)
    plan = Plan.objects.filter(home__name="Oak View").order_by("pk").first()
    assert plan.status == Plan.Status.IN_REVIEW
    assert dict(plan.revisions.values_list("number", "status")) == {1: "approved", 2: "submitted"}
    decision = PlanDecision.objects.get()
    assert (decision.revision.number, decision.approver.username, decision.outcome) == (1, "approver", "approved")
    assert decision.comment
    first, second = plan.revisions.order_by("number")
    labels = [c.label for c in diff_snapshots(first.snapshot, second.snapshot)]
    assert "Resource: Bank staff backfill for night-shift training" in labels

    call_command("seed_demo", force=True, verbosity=0)  # idempotent
    assert plan.revisions.count() == 2

    client.force_login(User.objects.get(username="approver"))
    html = client.get(f"/plans/{plan.pk}/review/").text
    assert "since approved revision 1" in html
    assert "Record decision" in html
