"""A plan's actions and training schedule as CSV, and each person's iCalendar feed of their
actions and training sessions (built with the icalendar library)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

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

from oakview.core.access import APPROVED_ONLY_ROLES, roles_by_home
from oakview.core.formats import csv_response, parse_date, parse_datetime, short_date, short_datetime
from oakview.core.http import AuthedRequest
from oakview.core.models import User
from plans import selectors, services
from plans.access import get_plan_for_user, require_approved_for_readers
from plans.models import Action, Plan, PlanRevision, TrainingSession
from plans.services.workflow import approved_revision
from plans.snapshot.care_hours import cover_for_plan, cover_from_snapshot


def reader_snapshot(plan: Plan) -> dict[str, Any] | None:
    """For staff and viewers, the plan as approved (the revision in force's snapshot): they
    never see rows in review. 403 before any approval. None for the manager and approvers,
    who read the live plan."""
    require_approved_for_readers(plan)
    if not plan.perms.approved_only:
        return None
    revision = approved_revision(plan)
    return (revision.snapshot if revision is not None else {}).get("plan") or {}


@login_required
def actions_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    approved = reader_snapshot(plan)
    header = ["Action", "Description", "Owner", "Due", "Status", "Milestone", "Standards", "Completed"]
    filename = f"{slugify(plan.title)}-actions.csv"
    if approved is not None:
        rows = [
            [
                a.get("title", ""), a.get("description", ""), a.get("owner", ""), short_date(parse_date(a.get("due_date"))),
                a.get("status", ""), a.get("milestone", ""), "; ".join(a.get("standards") or []), "",
            ]
            for a in approved.get("actions") or []
        ]  # fmt: skip
        return csv_response(filename, header, rows)
    selectors.plan_with_rows(plan)
    live = (
        [
            a.title, a.description, a.owner.display_name if a.owner else "", short_date(a.due_date),
            a.get_status_display(), a.milestone.title if a.milestone else "",
            "; ".join(s.code for s in a.standards.all()), short_datetime(a.completed_at),
        ]
        for a in plan.actions.all()
    )  # fmt: skip
    return csv_response(filename, header, live)


@login_required
def training_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    approved = reader_snapshot(plan)
    sessions: list[tuple[str, dt.datetime, Any, str, str, Any]] = []
    if approved is not None:
        cover = {c.day: c for c in cover_from_snapshot(approved)}
        for t in approved.get("training") or []:
            starts = parse_datetime(t.get("starts_at"))
            if starts is None:
                continue
            names = "; ".join(a.get("name", "") for a in t.get("attendees") or [])
            sessions.append(
                (t.get("title", ""), starts, t.get("duration_hours"), t.get("trainer", ""), names, t.get("backfill_hours"))
            )
    else:
        selectors.plan_with_rows(plan)
        cover = {c.day: c for c in cover_for_plan(plan)}
        for s in plan.training_sessions.all():
            names = "; ".join(u.display_name for u in s.attendees.all())
            sessions.append((s.title, s.starts_at, s.duration_hours, s.trainer, names, s.backfill_hours))
    rows = []
    for title, starts_at, hours, trainer, names, backfill in sessions:
        start = timezone.localtime(starts_at)
        day = cover.get(start.date())
        rows.append([
            title, short_date(start), f"{start:%H:%M}", hours, trainer, names, backfill,
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


TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot sign in): the long random token is the key."""
    # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else (a NUL byte, which
    # PostgreSQL refuses in a query) is no calendar, without asking the database.
    if not token or len(token) > 100 or not TOKEN_CHARS.fullmatch(token):
        raise Http404("No such calendar.")
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
    approved = _approved_rows_for_readers(user)
    actions = Action.objects.for_owner(user).exclude(due_date=None).select_related("plan__home")
    for a in actions:
        title, due = a.title, a.due_date
        if a.plan_id in approved:  # staff and viewers: as approved, or not at all
            row = approved[a.plan_id]["actions"].get(a.pk)
            if row is None or parse_date(row.get("due_date")) is None:
                continue
            title, due = row.get("title", ""), parse_date(row.get("due_date"))
        assert due is not None  # excluded above
        done = " (done)" if a.status == Action.Status.DONE else ""
        calendar.add_component(_event(
            uid=f"action-{a.pk}@{host}", stamp=now, start=due, end=due + dt.timedelta(days=1),
            summary=f"Due: {title}{done}",
            description=f"{_where(a.plan)} Status: {a.get_status_display()}.", transparent=True,
        ))  # fmt: skip
    sessions = TrainingSession.objects.filter(attendees=user, plan__home__memberships__user=user).select_related("plan__home")
    for t in sessions:
        title, starts, hours, trainer_name = t.title, t.starts_at, float(t.duration_hours), t.trainer
        if t.plan_id in approved:
            row = approved[t.plan_id]["training"].get(t.pk)
            approved_start = parse_datetime(row.get("starts_at")) if row else None
            if row is None or approved_start is None or user.pk not in {p.get("id") for p in row.get("attendees") or []}:
                continue
            title, starts, trainer_name = row.get("title", ""), approved_start, row.get("trainer", "")
            hours = float(row.get("duration_hours") or 0)
        trainer = f" Trainer: {trainer_name}." if trainer_name else ""
        calendar.add_component(_event(
            uid=f"training-{t.pk}@{host}", stamp=now, start=starts.astimezone(dt.UTC),
            end=(starts + dt.timedelta(hours=hours)).astimezone(dt.UTC),
            summary=f"Training: {title}", description=f"{_where(t.plan)}{trainer}",
        ))  # fmt: skip
    return calendar


def _approved_rows_for_readers(user: User) -> dict[int, dict[str, dict[int, dict[str, Any]]]]:
    """{plan id: {"actions": {id: row}, "training": {id: row}}} from the revision in force,
    for every plan in a home where the user reads approved content only (staff, viewers).
    A plan there with no approved revision gives empty maps: nothing of it is shown."""
    homes = [home for home, role in roles_by_home(user).items() if role in APPROVED_ONLY_ROLES]
    if not homes:
        return {}
    found: dict[int, dict[str, dict[int, dict[str, Any]]]] = {
        pk: {"actions": {}, "training": {}} for pk in Plan.objects.filter(home_id__in=homes).values_list("pk", flat=True)
    }
    in_force = PlanRevision.objects.filter(plan_id__in=found, status=PlanRevision.Status.APPROVED).order_by("plan_id", "-number")
    seen: set[int] = set()
    for revision in in_force:
        if revision.plan_id in seen:
            continue
        seen.add(revision.plan_id)
        snap = (revision.snapshot or {}).get("plan") or {}
        found[revision.plan_id] = {
            kind: {row["id"]: row for row in snap.get(key) or [] if isinstance(row, dict) and "id" in row}
            for kind, key in (("actions", "actions"), ("training", "training"))
        }
    return found


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
