"""A plan's actions and training schedule as CSV, and each person's iCalendar feed of their
actions and training sessions (built with the icalendar library)."""

from __future__ import annotations

import datetime as dt

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from oakview.core.formats import csv_response, short_date, short_datetime
from oakview.core.http import AuthedRequest
from oakview.core.models import User
from plans import selectors, services
from plans.access import get_plan_for_user, require_approved_for_readers
from plans.models import Action, Plan, TrainingSession
from plans.snapshot.care_hours import cover_for_plan


@login_required
def actions_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    require_approved_for_readers(plan)
    rows = (
        [
            a.title, a.description, a.owner.display_name if a.owner else "", short_date(a.due_date),
            a.get_status_display(), a.milestone.title if a.milestone else "",
            "; ".join(s.code for s in a.standards.all()), short_datetime(a.completed_at),
        ]
        for a in selectors.actions_for_csv(plan)
    )  # fmt: skip
    header = ["Action", "Description", "Owner", "Due", "Status", "Milestone", "Standards", "Completed"]
    return csv_response(f"{slugify(plan.title)}-actions.csv", header, rows)


@login_required
def training_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    require_approved_for_readers(plan)
    selectors.training_for_csv(plan)
    cover = {c.day: c for c in cover_for_plan(plan)}
    rows = []
    for t in plan.training_sessions.all():
        start = timezone.localtime(t.starts_at)
        day = cover.get(start.date())
        rows.append([
            t.title, short_date(start), f"{start:%H:%M}", t.duration_hours, t.trainer,
            "; ".join(u.display_name for u in t.attendees.all()), t.backfill_hours,
            day.available if day else "", day.required if day else "", day.shortfall if day else "",
        ])  # fmt: skip
    header = ["Session", "Date", "Start", "Hours", "Trainer", "Attendees", "Backfill hours",
              "Care hours available that day", "Required", "Shortfall"]  # fmt: skip
    return csv_response(f"{slugify(plan.title)}-training.csv", header, rows)


# --- The calendar feed --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.calendar_token_revoke(user=request.user)
            messages.success(request, "Your calendar link is switched off. Calendars using it will stop updating.")
        else:
            services.calendar_token_reset(user=request.user)
            messages.success(request, "New calendar link made. Any old link has stopped working.")
        return redirect("plans:calendar")
    token = request.user.calendar_token
    url = request.build_absolute_uri(reverse("plans:calendar-feed", args=[token])) if token else ""
    return render(request, "plans/calendar.html", {"feed_url": url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot sign in): the long random token is the key."""
    if not token:
        raise Http404
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_for(user).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="oakview.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def calendar_for(user: User) -> icalendar.Calendar:
    """The person's open and done actions with a due date (all-day events) and the training
    sessions they attend, in the homes they still belong to."""
    host = (getattr(settings, "SITE_URL", "") or "oakview").split("//")[-1].split("/")[0] or "oakview"
    now = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Oakview//Change plans//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Oakview: {user.display_name}")
    actions = Action.objects.for_owner(user).exclude(due_date=None).select_related("plan__home")
    for a in actions:
        assert a.due_date is not None  # excluded above
        done = " (done)" if a.status == Action.Status.DONE else ""
        calendar.add_component(_event(
            uid=f"action-{a.pk}@{host}", stamp=now, start=a.due_date, end=a.due_date + dt.timedelta(days=1),
            summary=f"Due: {a.title}{done}",
            description=f"{_where(a.plan)} Status: {a.get_status_display()}.", transparent=True,
        ))  # fmt: skip
    sessions = TrainingSession.objects.filter(attendees=user, plan__home__memberships__user=user).select_related("plan__home")
    for t in sessions:
        trainer = f" Trainer: {t.trainer}." if t.trainer else ""
        calendar.add_component(_event(
            uid=f"training-{t.pk}@{host}", stamp=now, start=t.starts_at.astimezone(dt.UTC),
            end=(t.starts_at + dt.timedelta(hours=float(t.duration_hours))).astimezone(dt.UTC),
            summary=f"Training: {t.title}", description=f"{_where(t.plan)}{trainer}",
        ))  # fmt: skip
    return calendar


def _where(plan: Plan) -> str:
    return f"{plan.title} at {plan.home.name}."


def _event(*, uid: str, stamp: dt.datetime, start: dt.date | dt.datetime, end: dt.date | dt.datetime,
           summary: str, description: str, transparent: bool = False) -> icalendar.Event:  # fmt: skip
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    if transparent:
        event.add("transp", "TRANSPARENT")
    return event
