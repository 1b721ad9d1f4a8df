"""Engagement: the activities the manager leads, the change champions with their cover by
shift, and the communication plan with what is overdue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from oakview.core.formats import long_date
from oakview.core.http import AuthedRequest

from .. import checks, selectors, services, vocab
from ..forms import ActivityForm, ChampionForm, CommunicationForm, MarkSentForm, PlanActionForm
from ..models import Champion, CommunicationItem, EngagementActivity
from .common import confirm_delete, form_page, page_query, paginate, url_with


def _back(plan_id: int, anchor: str) -> str:
    return url_with("stakeholders:engagement", plan_id, anchor)


@login_required
def engagement(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """Queries, whatever the number of rows: the activities' count and page (facilitators,
    audiences, follow-ups), champions (people, groups), the grid points for the cover
    check, the communication plan, and the summary."""
    plan = selectors.get_support_plan(request.user, plan_id)
    today = timezone.localdate()
    page = paginate(request, selectors.activities(plan))
    champion_rows = selectors.champions(plan)
    communications = list(selectors.communications(plan))
    for item in communications:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "stakeholders/engagement.html",
        {
            "plan": plan,
            "summary": selectors.summary(plan, today=today),
            "page": page,
            "page_query": page_query(request),
            "champions": champion_rows,
            "coverage": selectors.plan_coverage(selectors.grid_points(plan), champion_rows),
            "time_uses": checks.protected_time(plan, champion_rows),
            "communications": communications,
            "overdue": sum(1 for item in communications if item.overdue),
            "today": today,
            "activity_kinds": vocab.ACTIVITY_KIND_CHOICES,
        },
    )


# --- Activities ----------------------------------------------------------------------------


def _activity_form(request, plan, activity: EngagementActivity | None) -> HttpResponse:
    form = ActivityForm(request.POST or None, instance=activity, plan=plan)
    if activity is None:

        def save():
            return services.activity_create(
                plan_id=plan.pk, by=request.user, data=form.model_data(), audience=form.cleaned_data["audience"]
            )
    else:

        def save():
            return services.activity_update(
                activity=form.instance,
                by=request.user,
                data=form.model_data(),
                expected_version=form.expected_version(),
                audience=form.cleaned_data["audience"],
            )

    return form_page(
        request,
        plan=plan,
        form=form,
        save=save,
        back=_back(plan.pk, "activities"),
        title=f"Edit {activity.title}" if activity else "Add an engagement activity",
        success=lambda a: f"Saved {a.get_kind_display().lower()} “{a.title}”.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id, write=True)
    return _activity_form(request, plan, None)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_row(request.user, EngagementActivity, pk, write=True)
    return _activity_form(request, activity.plan, activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_row(request.user, EngagementActivity, pk, write=True)
    return confirm_delete(
        request,
        plan=activity.plan,
        what=activity.get_kind_display().lower(),
        name=activity.title,
        consequences="Its follow-up actions stay in the plan's actions.",
        delete=lambda: services.activity_delete(activity=activity, by=request.user),
        back=_back(activity.plan_id, "activities"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = selectors.get_row(request.user, EngagementActivity, pk, write=True)
    plan = activity.plan
    form = PlanActionForm(request.POST or None, plan=plan)
    return form_page(
        request,
        plan=plan,
        form=form,
        back=_back(plan.pk, f"activity-{activity.pk}"),
        template="stakeholders/action_form.html",
        title=f"Follow-up action from “{activity.title}”",
        extra={"source": activity, "source_kind": "activity"},
        success=lambda a: f"Added the action “{a.title}” to the plan, due {long_date(a.due_date)}.",
        save=lambda: services.activity_add_follow_up(activity=activity, by=request.user, **form.cleaned_data),
    )


# --- Champions ------------------------------------------------------------------------------


def _champion_form(request, plan, champion: Champion | None) -> HttpResponse:
    form = ChampionForm(request.POST or None, instance=champion, plan=plan)

    def save():
        target = form.instance if champion is not None else Champion(plan=plan)
        for name, value in form.model_data().items():
            setattr(target, name, value)
        return services.champion_save(
            champion=target,
            by=request.user,
            supports=form.cleaned_data["supports"],
            groups=form.cleaned_data["groups"],
            expected_version=form.expected_version() if champion else None,
        )

    return form_page(
        request,
        plan=plan,
        form=form,
        save=save,
        back=_back(plan.pk, "champions"),
        title=f"Edit champion {champion.user.display_name}" if champion else "Add a change champion",
        success=lambda c: f"Saved champion {c.user.display_name} ({c.get_shift_pattern_display().lower()}).",
    )


@login_required
@require_http_methods(["GET", "POST"])
def champion_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id, write=True)
    return _champion_form(request, plan, None)


@login_required
@require_http_methods(["GET", "POST"])
def champion_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    champion = selectors.get_row(request.user, Champion, pk, write=True)
    return _champion_form(request, champion.plan, champion)


@login_required
@require_http_methods(["GET", "POST"])
def champion_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    champion = selectors.get_row(request.user, Champion, pk, write=True)
    return confirm_delete(
        request,
        plan=champion.plan,
        what="champion",
        name=champion.user.display_name,
        consequences="The people and groups they support will have no champion until you pair them again.",
        delete=lambda: services.champion_delete(champion=champion, by=request.user),
        back=_back(champion.plan_id, "champions"),
    )


# --- Communication plan -------------------------------------------------------------------------


def _communication_form(request, plan, item: CommunicationItem | None) -> HttpResponse:
    form = CommunicationForm(request.POST or None, instance=item, plan=plan)

    def save():
        target = form.instance if item is not None else CommunicationItem(plan=plan)
        for name, value in form.model_data().items():
            setattr(target, name, value)
        return services.communication_save(
            item=target, by=request.user, expected_version=form.expected_version() if item else None
        )

    return form_page(
        request,
        plan=plan,
        form=form,
        save=save,
        back=_back(plan.pk, "communications"),
        title="Edit a message" if item else "Add to the communication plan",
        success=lambda i: f"Saved the message to {i.stakeholder.name}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def communication_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_support_plan(request.user, plan_id, write=True)
    return _communication_form(request, plan, None)


@login_required
@require_http_methods(["GET", "POST"])
def communication_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_row(request.user, CommunicationItem, pk, write=True)
    return _communication_form(request, item.plan, item)


@login_required
@require_http_methods(["GET", "POST"])
def communication_sent(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_row(request.user, CommunicationItem, pk, write=True)
    plan = item.plan
    form = MarkSentForm(request.POST or None, item=item)

    def success(saved) -> str:
        after = f"; next due {long_date(saved.next_due)}" if saved.next_due else "; no more are planned"
        return f"Recorded the message to {saved.stakeholder.name} as sent{after}."

    return form_page(
        request,
        plan=plan,
        form=form,
        back=_back(plan.pk, "communications"),
        template="stakeholders/sent_form.html",
        title=f"Mark the message to {item.stakeholder.name} as sent",
        extra={"item": item},
        success=success,
        save=lambda: services.communication_mark_sent(
            item=item,
            by=request.user,
            sent_on=form.cleaned_data["sent_on"],
            next_due=form.cleaned_data["next_due"],
            expected_version=form.expected_version(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def communication_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.get_row(request.user, CommunicationItem, pk, write=True)
    return confirm_delete(
        request,
        plan=item.plan,
        what="message",
        name=f"{item.stakeholder.name}: {item.message[:60]}",
        consequences="It leaves the communication plan.",
        delete=lambda: services.communication_delete(item=item, by=request.user),
        back=_back(item.plan_id, "communications"),
    )
