"""This part's snapshot: built from the database once, at submission; everything after
(revision page, review summary, drift, PDF) reads it as plain data and never the live
plan, so an approved revision looks the same years later.

Schema: {"version": 1, "stakeholders": [...], "stance_changes": [...], "pulses": [...],
"concerns": [...], "engagements": [...], "champions": [...], "communications": [...]}.
Choices are stored by their names ("Resistant", "Nights"), which read well in the review
diff; the charts look the names up again. Every version ever written is read:

- version 1: as above;
- version 2 adds each champion's "protected_from" (ISO date, or null: from the plan's start);
  a version 1 champion reads as null.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from oakview.core.formats import parse_date
from plans.models import Plan

from . import rules, vocab
from .charts import GridPoint, by_cell, grid_svg, legend_svg, stance_line_svg
from .models import AdkarPulse, Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder, StanceChange

VERSION = 2
ROW_KEYS = ("stakeholders", "stance_changes", "pulses", "concerns", "engagements", "champions", "communications")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user) -> str:
    return user.display_name if user is not None else ""


def _names(rows, label=lambda r: str(r)) -> list[dict]:
    return [{"id": r.pk, "name": label(r)} for r in rows]


def build(plan: Plan) -> dict:
    """Eleven queries, whatever the number of rows."""
    stakeholders = list(Stakeholder.objects.filter(plan=plan).select_related("owner").order_by("name", "id"))
    changes = (
        StanceChange.objects.filter(stakeholder__plan=plan)
        .select_related("stakeholder")
        .order_by("stakeholder__name", "stakeholder_id", "changed_on", "id")
    )
    pulses = (
        AdkarPulse.objects.filter(stakeholder__plan=plan)
        .select_related("stakeholder")
        .order_by("stakeholder__name", "taken_on", "id")
    )
    concerns = Concern.objects.filter(plan=plan).select_related("stakeholder", "action").order_by("raised_on", "id")
    activities = (
        EngagementActivity.objects.filter(plan=plan)
        .select_related("facilitator")
        .prefetch_related(Prefetch("audience", queryset=Stakeholder.objects.order_by("name", "id")), "follow_ups")
        .order_by("held_on", "id")
    )
    champions = (
        Champion.objects.filter(plan=plan)
        .select_related("user", "protected_resource")
        .prefetch_related("supports", Prefetch("groups", queryset=Stakeholder.objects.order_by("name", "id")))
        .order_by("shift_pattern", "id")
    )
    communications = (
        CommunicationItem.objects.filter(plan=plan).select_related("stakeholder", "owner").order_by("stakeholder__name", "id")
    )
    return {
        "version": VERSION,
        "stakeholders": [_stakeholder(s) for s in stakeholders],
        "stance_changes": [
            {
                "id": c.pk,
                "stakeholder_id": c.stakeholder_id,
                "stakeholder": c.stakeholder.name,
                "date": _iso(c.changed_on),
                "stance": c.get_stance_display(),
                "reason": c.reason,
            }
            for c in changes
        ],
        "pulses": [_pulse(p) for p in pulses],
        "concerns": [_concern(c) for c in concerns],
        "engagements": [_activity(a) for a in activities],
        "champions": [_champion(c) for c in champions],
        "communications": [
            {
                "id": i.pk,
                "stakeholder": i.stakeholder.name,
                "message": i.message,
                "channel": i.get_channel_display(),
                "frequency": i.get_frequency_display(),
                "owner": _name(i.owner),
                "next_due": _iso(i.next_due),
                "last_sent": _iso(i.last_sent),
            }
            for i in communications
        ],
    }


def _stakeholder(s: Stakeholder) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "kind": s.get_kind_display(),
        "headcount": s.headcount,
        "shift_pattern": s.get_shift_pattern_display() if s.shift_pattern else "",
        "power": s.power,
        "interest": s.interest,
        "quadrant": s.quadrant.name,
        "stance": s.get_stance_display(),
        "concerns": s.concerns,
        "needs_to_hear": s.needs_to_hear,
        "strategy": s.strategy,
        "owner": _name(s.owner),
    }


def _pulse(p: AdkarPulse) -> dict:
    barrier = p.barrier
    return {
        "id": p.pk,
        "stakeholder_id": p.stakeholder_id,
        "stakeholder": p.stakeholder.name,
        "date": _iso(p.taken_on),
        **p.scores,
        "barrier": barrier.name if barrier else "",
        "action": barrier.action_kind if barrier else "",
        "note": p.note,
    }


def _concern(c: Concern) -> dict:
    return {
        "id": c.pk,
        "raised_on": _iso(c.raised_on),
        "raised_by": c.stakeholder.name if c.stakeholder else "",
        "channel": c.get_channel_display(),
        "concern": c.text,
        "response": c.response,
        "responded_on": _iso(c.responded_on),
        "action_taken": c.action_taken,
        "action": c.action.title if c.action else "",
        "status": c.get_status_display(),
    }


def _activity(a: EngagementActivity) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "kind": a.get_kind_display(),
        "date": _iso(a.held_on),
        "facilitator": _name(a.facilitator),
        "audience": _names(a.audience.all()),
        "objectives": a.objectives,
        "invited": a.invited,
        "attended": a.attended,
        "outcome": a.outcome,
        "follow_ups": _names(a.follow_ups.all(), label=lambda x: x.title),
    }


def _champion(c: Champion) -> dict:
    supports, groups = list(c.supports.all()), list(c.groups.all())
    resource = c.protected_resource
    return {
        "id": c.pk,
        "name": c.user.display_name,
        "shift_pattern": c.get_shift_pattern_display(),
        "supports": sorted(_names(supports, label=_name), key=lambda r: r["name"]),
        "groups": _names(groups),
        "people": len(supports) + sum(g.headcount for g in groups),
        "max_supported": c.max_supported,
        "protected_hours_per_week": f"{c.protected_hours_per_week:.1f}",
        "protected_from": _iso(c.protected_from),
        "protected_resource": resource.description if resource else "",
        "note": c.note,
    }


# --- Reading a snapshot -----------------------------------------------------------------------


def read(snap: dict) -> dict | None:
    """This part's data from a whole-plan snapshot, in the current shape, or None when the
    revision was frozen before this part existed."""
    return read_part(snap.get("stakeholders") if isinstance(snap, dict) else None)


def read_part(part: Any) -> dict | None:
    """This part's own snapshot value, of any version, in the current shape (None if absent)."""
    if not isinstance(part, dict):
        return None
    rows = {key: [r for r in part.get(key) or [] if isinstance(r, dict)] for key in ROW_KEYS}
    if part.get("version", 1) < 2:
        rows["champions"] = [{**c, "protected_from": None} for c in rows["champions"]]
    return rows


def _by_name(part: dict) -> list[dict]:
    return sorted(part["stakeholders"], key=lambda r: (str(r.get("name", "")).lower(), r.get("id") or 0))


def point_of(row: dict, number: int = 0) -> GridPoint:
    return GridPoint.from_row(number, row)


def points_of(part: dict) -> list[GridPoint]:
    """Numbered by name, as on the live page."""
    return [GridPoint.from_row(number, row) for number, row in enumerate(_by_name(part), start=1)]


def weeks_of(part: dict, plan: dict) -> list[rules.WeekShare]:
    """The weekly shares as they stood when the snapshot was taken: to the week of the last
    stance recorded (the stance has not changed since)."""
    staff = {r.get("id"): r for r in part["stakeholders"] if vocab.kind_key(r.get("kind")) == vocab.STAFF_GROUP}
    histories: dict = {}
    for change in part["stance_changes"]:
        day = parse_date(change.get("date"))
        if change.get("stakeholder_id") in staff and day:
            histories.setdefault(change["stakeholder_id"], []).append((day, change.get("stance", "")))
    if not histories:
        return []
    groups = [rules.GroupHistory(int(staff[k].get("headcount") or 0), tuple(v)) for k, v in histories.items()]
    until = max(day for records in histories.values() for day, _ in records)
    end = parse_date(plan.get("end_date"))
    return rules.weekly_shares(groups, start=parse_date(plan.get("start_date")), until=min(until, end) if end else until)


def coverage_of(part: dict, points: list[GridPoint]) -> rules.Coverage:
    return rules.coverage(
        groups=[p.as_group() for p in points if p.kind == vocab.STAFF_GROUP],
        champions=[
            {"name": c.get("name", ""), "shift": c.get("shift_pattern"), "people": c.get("people"), "cap": c.get("max_supported")}
            for c in part["champions"]
        ],
    )


def document(snap: dict, *, id_prefix: str) -> dict | None:
    """Everything the appendix and the revision block show, from the snapshot alone. None
    when the revision has nothing of ours (frozen before this part existed, or nothing was
    recorded): no empty appendix, as the risk register has none without risks."""
    part = read(snap)
    if part is None or not any(part.values()):
        return None
    plan = snap.get("plan") or {}
    ordered = _by_name(part)
    points = [GridPoint.from_row(number, row) for number, row in enumerate(ordered, start=1)]
    weeks = weeks_of(part, plan)
    latest_pulse: dict = {}
    for pulse in part["pulses"]:
        latest_pulse[pulse.get("stakeholder_id")] = pulse
    rows = [
        {
            **row,
            "number": point.number,
            "stance_info": point.stance,
            "quadrant_info": point.quadrant,
            "pulse": latest_pulse.get(row.get("id")),
        }
        for row, point in zip(ordered, points, strict=True)
    ]
    return {
        "rows": rows,
        "points": points,
        "cells": by_cell(points),
        "grid_svg": grid_svg(points, id_prefix=f"{id_prefix}-grid"),
        "stance_key": [{"stance": s, "icon": legend_svg(s)} for s in vocab.STANCES],
        "quadrants": vocab.QUADRANTS,
        "weeks": weeks,
        "line_svg": stance_line_svg(weeks, id_prefix=f"{id_prefix}-line"),
        "pulses": sorted(
            ({**p, "date_d": parse_date(p.get("date"))} for p in latest_pulse.values()), key=lambda p: str(p.get("stakeholder"))
        ),
        "adkar": vocab.ADKAR,
        "concerns": [
            {**c, "raised_on_d": parse_date(c.get("raised_on")), "responded_on_d": parse_date(c.get("responded_on"))}
            for c in part["concerns"]
        ],
        "engagements": [{**a, "date_d": parse_date(a.get("date"))} for a in part["engagements"]],
        "champions": [{**c, "protected_from_d": parse_date(c.get("protected_from"))} for c in part["champions"]],
        "coverage": coverage_of(part, points),
        "communications": [
            {**c, "next_due_d": parse_date(c.get("next_due")), "last_sent_d": parse_date(c.get("last_sent"))}
            for c in part["communications"]
        ],
    }
