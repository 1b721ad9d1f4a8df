"""The broker stopped (this test's own Redis, never the shared one): submitting, approving,
assigning an action owner and exporting all answer at once, without a 500; the change is
saved; its mail and its render wait in the outbox and go out once the broker is back."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from oakview.core.models import OutboxMessage
from oakview.core.tasks import outbox_dispatch_task
from plans.models import Action, Plan, PlanExport
from tests.factories import member

from .pdf_fixtures import approved_revision
from .workflow_helpers import ready_plan

pytestmark = pytest.mark.redis
Status = OutboxMessage.Status
RESULT_TIMEOUT = 60
QUICK = 10  # seconds: the request must not hang on a dead broker (it used to take 19 s)


def _worker(app):
    return start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10)


def _post(client, url, data=None):
    started = time.monotonic()
    response = client.post(url, data or {})
    assert time.monotonic() - started < QUICK
    assert response.status_code in (200, 302), response.content.decode()[:1000]
    return response


def _deliver_waiting(app) -> None:
    """The broker is back: beat's dispatcher hands the waiting rows over and a worker runs them."""
    with _worker(app):
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=True):
            outbox_dispatch_task.delay().get(timeout=RESULT_TIMEOUT)
        for message in OutboxMessage.objects.all():
            if message.task_id:
                app.AsyncResult(message.task_id).get(timeout=RESULT_TIMEOUT)
        deadline = time.monotonic() + RESULT_TIMEOUT
        while OutboxMessage.objects.exclude(status=Status.DONE).exists() and time.monotonic() < deadline:
            time.sleep(0.1)


def test_submit_approve_and_assign_with_the_broker_down_are_saved_and_mailed_later(fault_celery, private_redis, personas):
    second_approver = member(personas.home, "approver", "t-approver2", email="approver2@example.org")
    assert second_approver.email
    newcomer = member(personas.home, "staff", "t-staff2", email="staff2@example.org")
    plan = ready_plan(personas)
    private_redis.stop()

    manager = personas.client(personas.manager)
    _post(manager, f"/plans/{plan.pk}/submit/")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_REVIEW
    _post(personas.client(personas.approver), f"/plans/{plan.pk}/review/decide/", {"revision": 1, "decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED

    action = Action.objects.get(plan=plan)
    response = _post(
        manager,
        f"/plans/action/{action.pk}/edit/",
        {
            "title": "Order tablets\r\nBcc: everyone@example.org",  # CR LF in the title: the mail still goes
            "owner": newcomer.pk,
            "status": "not_started",
            "version": action.version,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner == newcomer

    waiting = OutboxMessage.objects.order_by("pk")
    assert [m.status for m in waiting] == [Status.PENDING] * 3
    assert all(m.last_error for m in waiting)
    assert mail.outbox == []

    private_redis.start()
    _deliver_waiting(fault_celery)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.DONE}
    to = sorted(address for m in mail.outbox for address in m.to)
    # Submitted: both approvers; approved: the author; assigned: the new owner.
    assert to == sorted([personas.approver.email, second_approver.email, personas.manager.email, newcomer.email])
    assignment = next(m for m in mail.outbox if m.to == [newcomer.email])
    assert "\n" not in assignment.subject and "\r" not in assignment.subject


def test_export_with_the_broker_down_says_so_and_starts_by_itself_later(fault_celery, private_redis, personas):
    revision = approved_revision(personas)
    private_redis.stop()
    client = personas.client(personas.manager)
    url = f"/plans/{revision.plan_id}/revisions/1/export/"
    response = _post(client, url)
    page = client.get(response["Location"])
    assert "could not be queued just now" in page.text
    assert "will start by itself when the queue is back" in page.text
    export = PlanExport.objects.get()
    assert export.status == PlanExport.Status.QUEUED
    # Asking again does not make a second job.
    _post(client, url)
    assert PlanExport.objects.count() == 1 and OutboxMessage.objects.count() == 1

    private_redis.start()
    _deliver_waiting(fault_celery)
    export.refresh_from_db()
    assert export.status == PlanExport.Status.DONE, export.error
    assert "Download the PDF" in client.get(f"/plans/{revision.plan_id}/revisions/1/exports/").text
