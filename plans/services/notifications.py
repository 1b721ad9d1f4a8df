"""Email notifications, and the thin Celery tasks that send them.

Each is written to the transactional outbox (oakview.core.outbox) with the change and sent
by a Celery task after the transaction commits, so a rolled-back change never mails anyone,
a slow mail server never holds a request, and a broker outage neither fails the request
nor loses the mail (beat hands it over when the broker is back). Nobody is mailed about their own
change. The tasks live beside the functions they run (as pretix keeps a task beside its
service), so a service that queues one imports it without a circle; plans.tasks lists them
for Celery's autodiscovery, and each is named so the name survives moves.
"""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from oakview.core.formats import long_date
from oakview.core.mail import send_email
from oakview.core.models import Role, User
from oakview.core.outbox import OutboxTask, outbox_enqueue
from oakview.core.tasks import send_email_task
from plans.models import Action, Plan, PlanDecision, PlanRevision, ReminderLog
from plans.parts import collect_reminder_lines


def _absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def action_assigned(*, action: Action, by: User) -> None:
    """Tell the new owner of an action it is theirs (not when they assigned it to themselves)."""
    owner = action.owner
    if owner is None or owner.pk == getattr(by, "pk", None) or not owner.email:
        return
    subject = f"New action for you: {action.title}"
    due = long_date(action.due_date, "no due date")
    body = (
        f"Hello {owner.display_name},\n\n"
        f'{by.display_name} has assigned you an action in the plan "{action.plan.title}" '
        f"at {action.plan.home.name}:\n\n  {action.title}\n  Due: {due}\n\n"
        f"See your actions: {_absolute(reverse('plans:my-actions'))}\n"
    )
    # Through the outbox: written with the assignment, sent after the commit, kept and
    # retried if the broker is down (never a 500 for the saved action, never a lost mail).
    # send_email makes the subject one line (a title may carry CR LF).
    outbox_enqueue(send_email_task, subject=subject, body=body, to=[owner.email])


# --- Workflow: submission, decision, overdue reminders ----------------------------------------
# These run inside the Celery tasks below, queued by plans.services.workflow after
# its transaction commits; they read the rows afresh, so a task run twice mails the same
# thing and a row deleted meanwhile mails nothing.


def _send(*, template: str, context: dict[str, Any], to: list[str]) -> None:
    subject = render_to_string(f"plans/email/{template}_subject.txt", context)
    body = render_to_string(f"plans/email/{template}.txt", context)
    send_email(subject=subject, body=body, to=to)  # header-safe subject


def _approvers(plan: Plan, *, exclude_ids: set[int]) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__home_id=plan.home_id, memberships__role=Role.APPROVER, is_active=True)
        .exclude(pk__in=exclude_ids)
        .exclude(email="")
        .order_by("pk")
    )


def send_submission_emails(*, revision_id: int) -> int:
    """Tell the home's approvers a revision awaits them (not the submitter, nor the author:
    neither may decide on it)."""
    revision = PlanRevision.objects.select_related("plan__home", "plan__author", "submitted_by").filter(pk=revision_id).first()
    if revision is None:
        return 0
    plan = revision.plan
    sent = 0
    for approver in _approvers(plan, exclude_ids={revision.submitted_by_id, plan.author_id}):
        _send(
            template="submitted",
            context={
                "recipient": approver,
                "plan": plan,
                "revision": revision,
                "review_url": _absolute(reverse("plans:plan-review", args=[plan.pk])),
            },
            to=[approver.email],
        )
        sent += 1
    return sent


def send_decision_emails(*, decision_id: int) -> int:
    """Tell the author (and the submitter, if someone else) what the approver decided."""
    decision = (
        PlanDecision.objects.select_related(
            "revision__plan__home", "revision__plan__author", "revision__submitted_by", "approver"
        )
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return 0
    revision = decision.revision
    plan = revision.plan
    recipients = {u.pk: u for u in (plan.author, revision.submitted_by) if u.pk != decision.approver_id and u.email}
    for person in recipients.values():
        _send(
            template="decided",
            context={
                "recipient": person,
                "plan": plan,
                "revision": revision,
                "decision": decision,
                "approved": decision.outcome == PlanDecision.Outcome.APPROVED,
                "revision_url": _absolute(reverse("plans:revision-detail", args=[plan.pk, revision.number])),
            },
            to=[person.email],
        )
    return len(recipients)


def send_overdue_reminders(*, today: dt.date) -> int:
    """One email per person with something overdue, at most one per user per day: their
    overdue open actions, and the lines each plan part adds (a communication item due, a
    concern waiting for an answer).

    The ReminderLog row is claimed before the mail is queued, in its own transaction: a
    second run the same day (a retried task, a second beat) finds the row and skips.
    """
    overdue = (
        Action.objects.overdue(today)
        .filter(owner__isnull=False, owner__is_active=True, plan__home__memberships__user=F("owner"))
        .exclude(owner__email="")
        .exclude(plan__status="closed")
        .select_related("plan__home")
        .order_by("owner_id", "due_date", "pk")
    )
    by_owner: dict[int, list[Action]] = {}
    for action in overdue:
        if action.owner_id is not None:  # filtered above; the check tells the type checker
            by_owner.setdefault(action.owner_id, []).append(action)
    part_lines = collect_reminder_lines(today)
    people = User.objects.filter(pk__in=set(by_owner) | set(part_lines), is_active=True).exclude(email="").in_bulk()
    sent = 0
    for user_id, person in sorted(people.items()):
        actions, lines = by_owner.get(user_id, []), part_lines.get(user_id, [])
        if not actions and not lines:
            continue
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=person, date=today, action_count=len(actions))
                subject, body = _reminder_text(person, actions, lines, today)
                outbox_enqueue(send_email_task, subject=subject, body=body, to=[person.email])
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


def _reminder_text(owner: User, actions: list[Action], lines: list[str], today: dt.date) -> tuple[str, str]:
    context = {
        "recipient": owner,
        "actions": [{"action": a, "days_late": (today - a.due_date).days if a.due_date else 0, "plan": a.plan} for a in actions],
        "count": len(actions),
        "lines": lines,
        "my_actions_url": _absolute(reverse("plans:my-actions")),
    }
    subject = " ".join(render_to_string("plans/email/overdue_subject.txt", context).split())
    return subject, render_to_string("plans/email/overdue.txt", context)


# --- Tasks ----------------------------------------------------------------------------------

_RETRY: dict[str, Any] = {
    "bind": True,
    "base": OutboxTask,  # queued through the outbox: a duplicate delivery mails nobody twice
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="plans.tasks.notify_submitted_task", **_RETRY)
def notify_submitted_task(self: Task[Any, Any], *, revision_id: int, outbox_id: int | None = None) -> int:
    return send_submission_emails(revision_id=revision_id)


@shared_task(name="plans.tasks.notify_decided_task", **_RETRY)
def notify_decided_task(self: Task[Any, Any], *, decision_id: int, outbox_id: int | None = None) -> int:
    return send_decision_emails(decision_id=decision_id)


@shared_task(name="plans.tasks.send_overdue_reminders_task", bind=True, acks_late=True)
def send_overdue_reminders_task(self: Task[Any, Any]) -> int:
    # "Today" in the home's time zone (settings.TIME_ZONE): a reminder sent at 07:00 London
    # time is about actions due before today there, whatever UTC says.
    return send_overdue_reminders(today=timezone.localdate())
