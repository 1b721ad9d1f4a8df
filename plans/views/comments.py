"""Review comments as conversations: reply, resolve, reopen. With htmx the conversation is
re-rendered in place; a plain post returns to the page it came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oakview.core.http import AuthedRequest
from plans import selectors, services
from plans.access import get_plan_for_user
from plans.models import Plan, ReviewComment
from plans.services import CommentRequired, TransitionForbidden


def _back(request: AuthedRequest, plan: Plan, comment_id: int) -> str:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("plans:plan-detail", args=[plan.pk])
    return f"{target.split('#')[0]}#comment-{comment_id}"


def _conversation(request: AuthedRequest, plan: Plan, comment_id: int, *, error: str = "") -> HttpResponse:
    found = [c for c in selectors.conversations(plan) if c.pk == comment_id]
    if not found:
        raise Http404("No such comment.")
    context = {"plan": plan, "c": found[0], "next": request.POST.get("next", ""), "reply_error": error}
    return render(request, "plans/_conversation.html", context)


def _guard(request: AuthedRequest, pk: int) -> Plan:
    plan = get_plan_for_user(request.user, pk)
    if not (plan.perms.can_manage or plan.perms.can_decide):
        raise PermissionDenied("Only the plan's manager and the home's approvers take part in its review.")
    return plan


@login_required
@require_POST
def comment_reply(request: AuthedRequest, pk: int, comment_id: int) -> HttpResponse:
    plan = _guard(request, pk)
    try:
        services.comment_reply(plan_id=plan.pk, comment_id=comment_id, by=request.user, text=request.POST.get("text", ""))
    except ReviewComment.DoesNotExist:
        raise Http404("No such comment.") from None
    except TransitionForbidden as e:
        raise PermissionDenied(str(e)) from None
    except CommentRequired as e:
        if request.htmx:
            return _conversation(request, plan, comment_id, error=e.message)
        messages.error(request, e.message)
        return redirect(_back(request, plan, comment_id))
    if request.htmx:
        return _conversation(request, plan, comment_id)
    messages.success(request, "Reply added.")
    return redirect(_back(request, plan, comment_id))


@login_required
@require_POST
def comment_resolve(request: AuthedRequest, pk: int, comment_id: int) -> HttpResponse:
    plan = _guard(request, pk)
    resolved = request.POST.get("resolved", "1") != "0"
    try:
        services.comment_resolve(plan_id=plan.pk, comment_id=comment_id, by=request.user, resolved=resolved)
    except ReviewComment.DoesNotExist:
        raise Http404("No such comment.") from None
    except TransitionForbidden as e:
        raise PermissionDenied(str(e)) from None
    if request.htmx:
        return _conversation(request, plan, comment_id)
    messages.success(request, "Comment resolved." if resolved else "Comment reopened.")
    return redirect(_back(request, plan, comment_id))
