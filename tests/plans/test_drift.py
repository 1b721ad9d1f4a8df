"""Approval drift, generically: a material change since the revision in force (any part's
drift()) shows as "changes since approval" on the plan page and the dashboard for the
manager and the approver, tells the approvers once per episode through the outbox, and
readies the re-approval; back in line, or approved again, the episode ends."""

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.urls import reverse

from oakview.core.models import OutboxMessage
from plans.models import DriftEpisode, Milestone, Plan
from plans.services import drift, workflow
from tests.factories import MilestoneFactory, ResourceFactory

from .workflow_helpers import approve, ready_plan, refresh, submit


def _approved(personas):
    plan = ready_plan(personas, go_live_date=dt.date(2027, 2, 1))
    MilestoneFactory(plan=plan, title="Go-live", due_date=dt.date(2027, 2, 1))
    submit(plan, personas)
    approve(plan, personas)
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    return refresh(plan)


def test_a_material_edit_is_shown_to_manager_and_approver_and_mailed_once(personas, django_capture_on_commit_callbacks):
    plan = _approved(personas)
    assert drift.drift_refresh(plan) == [] and not DriftEpisode.objects.exists()
    mail.outbox.clear()
    ResourceFactory(plan=plan, description="Extra tablet", quantity=Decimal("1"), unit_cost=Decimal("250.00"))
    Milestone.objects.filter(plan=plan, title="Go-live").update(due_date=dt.date(2027, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        page = personas.client(personas.approver).get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
    assert "Changes since approval" in page and "Milestone “Go-live”: due 1 Feb 2027 approved, now 1 Mar 2027" in page
    (message,) = mail.outbox
    assert message.to == [personas.approver.email]
    assert message.subject == f"Changes since approval: {plan.title}"
    assert "Budget: £" in message.body and "Milestone “Go-live”" in message.body
    assert OutboxMessage.objects.filter(task_name="plans.tasks.notify_drift_task").count() == 1
    # Seen again, by the manager and on the dashboard: the same episode, no second mail.
    with django_capture_on_commit_callbacks(execute=True):
        manager_page = personas.client(personas.manager).get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()
        dashboard = personas.client(personas.approver).get(reverse("core:dashboard")).content.decode()
    assert "Submit the plan for approval" in manager_page
    assert "Changes since approval" in dashboard and "Milestone “Go-live”: due 1 Feb 2027 approved" in dashboard
    assert len(mail.outbox) == 1 and DriftEpisode.objects.filter(plan=plan).count() == 1


def test_re_approval_ends_the_episode_and_a_later_departure_is_told_again(personas, django_capture_on_commit_callbacks):
    plan = _approved(personas)
    ResourceFactory(plan=plan, description="Extra tablet", quantity=Decimal("1"), unit_cost=Decimal("250.00"))
    with django_capture_on_commit_callbacks(execute=True):
        assert drift.drift_refresh(plan)
    submit(plan, personas)  # readied: the submission asks for exactly these changes
    approve(plan, personas)
    plan = refresh(plan)
    assert plan.status == Plan.Status.IN_PROGRESS
    assert drift.drift_refresh(plan) == []
    assert not DriftEpisode.objects.filter(plan=plan, closed_at__isnull=True).exists()
    mail.outbox.clear()
    Plan.objects.filter(pk=plan.pk).update(go_live_date=dt.date(2027, 2, 15))
    with django_capture_on_commit_callbacks(execute=True):
        assert drift.drift_refresh(refresh(plan)) == ["Go-live date: 1 Feb 2027 approved, now 15 Feb 2027"]
    assert len(mail.outbox) == 1 and DriftEpisode.objects.filter(plan=plan).count() == 2


def test_back_in_line_closes_the_episode(personas, django_capture_on_commit_callbacks):
    plan = _approved(personas)
    extra = ResourceFactory(plan=plan, description="Extra tablet", quantity=Decimal("1"), unit_cost=Decimal("250.00"))
    with django_capture_on_commit_callbacks(execute=True):
        drift.drift_refresh(plan)
    extra.delete()
    assert drift.drift_refresh(plan) == []
    assert DriftEpisode.objects.get(plan=plan).closed_at is not None
