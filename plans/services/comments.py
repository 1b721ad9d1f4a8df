"""Review comments as conversations: the approver comments on a section (workflow's
review_comment_add), then the manager and the approvers reply, and either resolves it or
opens it again. Unresolved comments follow the plan to its next review."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from oakview.core.access import role_in
from oakview.core.audit import audit_record
from oakview.core.models import Role, User
from plans.models import CommentReply, Plan, ReviewComment

from .workflow import CommentRequired, TransitionForbidden

# The people in a plan's review conversation: its manager and the home's approvers.
CONVERSATION_ROLES = frozenset({Role.MANAGER, Role.APPROVER})


def _comment_for(comment_id: int, plan_id: int, by: User) -> ReviewComment:
    comment = ReviewComment.objects.select_for_update().select_related("revision__plan").get(pk=comment_id)
    plan: Plan = comment.revision.plan
    if plan.pk != plan_id:
        raise ReviewComment.DoesNotExist
    if role_in(by, plan.home_id) not in CONVERSATION_ROLES:
        raise TransitionForbidden("Only the plan's manager and the home's approvers take part in its review.")
    return comment


def comment_reply(*, plan_id: int, comment_id: int, by: User, text: str) -> CommentReply:
    text = (text or "").strip()
    if not text:
        raise CommentRequired("Write the reply.")
    with transaction.atomic():
        comment = _comment_for(comment_id, plan_id, by)
        reply = CommentReply.objects.create(comment=comment, author=by, text=text[:5000])
        audit_record(
            home_id=comment.revision.plan.home_id,
            actor=by,
            action="plan.comment_reply",
            summary=f"{by.display_name} replied to a review comment",
            target=comment.revision.plan,
            detail={"comment": comment.pk},
        )
    return reply


def comment_resolve(*, plan_id: int, comment_id: int, by: User, resolved: bool) -> ReviewComment:
    """Resolve a conversation (it has been dealt with) or reopen it."""
    with transaction.atomic():
        comment = _comment_for(comment_id, plan_id, by)
        if resolved and comment.resolved_at is None:
            comment.resolved_at, comment.resolved_by = timezone.now(), by
        elif not resolved:
            comment.resolved_at, comment.resolved_by = None, None
        comment.save(update_fields=["resolved_at", "resolved_by"])
        verb = "resolved" if resolved else "reopened"
        audit_record(
            home_id=comment.revision.plan.home_id,
            actor=by,
            action=f"plan.comment_{verb}",
            summary=f"{by.display_name} {verb} a review comment",
            target=comment.revision.plan,
            detail={"comment": comment.pk},
        )
    return comment
