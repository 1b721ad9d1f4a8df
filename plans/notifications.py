"""Email notifications. Each is sent by a Celery task after the transaction commits, so a
rolled-back change never mails anyone and a slow mail server never holds a request.
Nobody is mailed about their own change."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse

from oakview.core.tasks import send_email_task


def _absolute(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def action_assigned(*, action, by) -> None:
    """Tell the new owner of an action it is theirs (not when they assigned it to themselves)."""
    owner = action.owner
    if owner is None or owner.pk == getattr(by, "pk", None) or not owner.email:
        return
    subject = f"New action for you: {action.title}"
    due = action.due_date.strftime("%-d %b %Y") if action.due_date else "no due date"
    body = (
        f"Hello {owner.display_name},\n\n"
        f"{by.display_name} has assigned you an action in the plan \"{action.plan.title}\" "
        f"at {action.plan.home.name}:\n\n  {action.title}\n  Due: {due}\n\n"
        f"See your actions: {_absolute(reverse('plans:my-actions'))}\n"
    )
    to = [owner.email]
    transaction.on_commit(lambda: send_email_task.delay(subject=subject, body=body, to=to))


# --- Workflow: submission, decision, overdue reminders ----------------------------------------
# These run inside Celery tasks (plans.tasks.notifications), queued by plans.workflow after
# its transaction commits; they read the rows afresh, so a task run twice mails the same
# thing and a row deleted meanwhile mails nothing.


def _send(*, template: str, context: dict, to: list[str]) -> None:
    from django.core.mail import EmailMessage
    from django.template.loader import render_to_string

    subject = " ".join(render_to_string(f"plans/email/{template}_subject.txt", context).split())
    body = render_to_string(f"plans/email/{template}.txt", context)
    EmailMessage(subject=subject, body=body, to=to).send()


def _approvers(plan, *, exclude_ids: set[int]):
    from oakview.core.models import Role, User

    return (
        User.objects.filter(memberships__home_id=plan.home_id, memberships__role=Role.APPROVER, is_active=True)
        .exclude(pk__in=exclude_ids)
        .exclude(email="")
        .order_by("pk")
    )


def send_submission_emails(*, revision_id: int) -> int:
    """Tell the home's approvers a revision awaits them (not the submitter, nor the author:
    neither may decide on it)."""
    from .models import PlanRevision

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
    from .models import PlanDecision

    decision = (
        PlanDecision.objects.select_related("revision__plan__home", "revision__plan__author", "revision__submitted_by", "approver")
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


def send_overdue_reminders(*, today) -> int:
    """One email per owner of overdue open actions, at most one per user per day.

    The ReminderLog row is claimed before the mail is queued, in its own transaction: a
    second run the same day (a retried task, a second beat) finds the row and skips.
    """
    from django.db import IntegrityError

    from oakview.core.models import User

    from .models import Action, ReminderLog

    overdue = (
        Action.objects.overdue(today)
        .filter(owner__isnull=False, owner__is_active=True, plan__home__memberships__user=F("owner"))
        .exclude(owner__email="")
        .exclude(plan__status="closed")
        .select_related("plan__home")
        .order_by("owner_id", "due_date", "pk")
    )
    by_owner: dict[int, list] = {}
    for action in overdue:
        by_owner.setdefault(action.owner_id, []).append(action)
    owners = User.objects.in_bulk(list(by_owner))
    sent = 0
    for owner_id, actions in by_owner.items():
        owner = owners[owner_id]
        try:
            with transaction.atomic():
                ReminderLog.objects.create(user=owner, date=today, action_count=len(actions))
                subject, body = _reminder_text(owner, actions, today)
                to = [owner.email]
                transaction.on_commit(lambda s=subject, b=body, t=to: send_email_task.delay(subject=s, body=b, to=t))
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


def _reminder_text(owner, actions, today) -> tuple[str, str]:
    from django.template.loader import render_to_string

    context = {
        "recipient": owner,
        "actions": [
            {"action": a, "days_late": (today - a.due_date).days, "plan": a.plan}
            for a in actions
        ],
        "count": len(actions),
        "my_actions_url": _absolute(_my_actions_path()),
    }
    subject = " ".join(render_to_string("plans/email/overdue_subject.txt", context).split())
    return subject, render_to_string("plans/email/overdue.txt", context)


def _my_actions_path() -> str:
    from django.urls import NoReverseMatch

    try:
        return reverse("plans:my-actions")
    except NoReverseMatch:
        return "/"
