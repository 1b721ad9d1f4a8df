"""CSV of a plan's actions and training schedule; the personal iCalendar feed."""

from __future__ import annotations

import csv
import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from .care_hours import cover_for_plan
from .models import Action, TrainingSession
from .selectors import plan_with_rows

# A cell starting with one of these is run as a formula by spreadsheet programs; a text
# field typed by a user must never become a formula on the manager's laptop.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel opens UTF-8 (names with accents, "£") correctly
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return response


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def actions_csv_response(plan) -> HttpResponse:
    plan_with_rows(plan)
    rows = (
        [
            a.title, a.description, a.owner.display_name if a.owner else "", _date(a.due_date),
            a.get_status_display(), a.milestone.title if a.milestone else "",
            "; ".join(s.code for s in a.standards.all()),
            timezone.localtime(a.completed_at).strftime("%d/%m/%Y %H:%M") if a.completed_at else "",
        ]
        for a in plan.actions.all()
    )
    return _csv_response(
        f"{slugify(plan.title)}-actions.csv",
        ["Action", "Description", "Owner", "Due", "Status", "Milestone", "Standards", "Completed"],
        rows,
    )


def training_csv_response(plan) -> HttpResponse:
    plan_with_rows(plan)
    cover = {c.day: c for c in cover_for_plan(plan)}
    rows = []
    for t in plan.training_sessions.all():
        start = timezone.localtime(t.starts_at)
        day = cover.get(start.date())
        rows.append([
            t.title, start.strftime("%d/%m/%Y"), start.strftime("%H:%M"), t.duration_hours, t.trainer,
            "; ".join(u.display_name for u in t.attendees.all()), t.backfill_hours,
            day.available if day else "", day.required if day else "", day.shortfall if day else "",
        ])
    return _csv_response(
        f"{slugify(plan.title)}-training.csv",
        ["Session", "Date", "Start", "Hours", "Trainer", "Attendees", "Backfill hours",
         "Care hours available that day", "Required", "Shortfall"],
        rows,
    )


# --- iCalendar (RFC 5545) ---------------------------------------------------------------------


def _escape(text: str) -> str:
    return (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    # Lines longer than 75 octets are folded (RFC 5545 3.1).
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(user) -> str:
    host = (getattr(settings, "SITE_URL", "") or "oakview").split("//")[-1].split("/")[0] or "oakview"
    now = _utc(timezone.now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Oakview//Change plans//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape('Oakview: ' + user.display_name)}"]
    actions = Action.objects.for_owner(user).exclude(due_date=None).select_related("plan__home")
    for a in actions:
        status = "" if a.status != Action.Status.DONE else " (done)"
        lines += [
            "BEGIN:VEVENT",
            f"UID:action-{a.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART;VALUE=DATE:{a.due_date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{a.due_date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape('Due: ' + a.title + status)}",
            f"DESCRIPTION:{_escape(f'{a.plan.title} at {a.plan.home.name}. Status: {a.get_status_display()}.')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    sessions = TrainingSession.objects.filter(attendees=user, plan__home__memberships__user=user).select_related("plan__home")
    for t in sessions:
        end = t.starts_at + dt.timedelta(hours=float(t.duration_hours))
        lines += [
            "BEGIN:VEVENT",
            f"UID:training-{t.pk}@{host}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(t.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{_escape('Training: ' + t.title)}",
            f"DESCRIPTION:{_escape(f'{t.plan.title} at {t.plan.home.name}.' + (f' Trainer: {t.trainer}.' if t.trainer else ''))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def calendar_response(user) -> HttpResponse:
    response = HttpResponse(calendar_text(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="oakview.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
