"""This part's snapshot, and everything drawn from one: built from the database once (at
submission, and for the live pages, which read the plan the same way so the page and the
frozen revision can never disagree); the revision page, the review summary, the drift check
and the PDF read it as plain data.

Schema, version 1: {"version": 1, "kpis": [...], "measurements": [...], "evidence": [...],
"reviews": [... each with its "findings"], "benefits": {...} or null, "benefit_lines": [...]}.
Choices are stored by their names ("Higher is better", "Cultural adaptation"), which read
well in the review diff; decimals as strings, dates as ISO strings. Every version ever
written is read (read_part).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from oakview.core.formats import parse_date
from plans.models import Plan
from plans.parts import find_series

from . import charts, rules
from .models import KPI, BenefitLine, BenefitsCase, Evidence, Finding, Measurement, Review

VERSION = 1
ROW_KEYS = ("kpis", "measurements", "evidence", "reviews", "benefit_lines")
HIGHER = KPI.Direction.HIGHER.label
QUANTITATIVE = KPI.Kind.QUANTITATIVE.label
DIMENSIONS = [d.label for d in KPI.Dimension]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _dec(value: Decimal | None) -> str | None:
    return rules.plain(value) if value is not None else None


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def build(plan: Plan) -> dict[str, Any]:
    """Eight queries whatever the number of rows (and the other part's, for a KPI that reads
    a series)."""
    kpis = list(
        KPI.objects.filter(plan=plan).select_related("owner", "objective").prefetch_related("standards").order_by("order", "id")
    )
    measurements = Measurement.objects.filter(kpi__plan=plan).select_related("recorded_by").order_by("kpi_id", "date", "id")
    evidence = Evidence.objects.filter(plan=plan).select_related("kpi").order_by("date", "id")
    reviews = (
        Review.objects.filter(plan=plan)
        .select_related("decided_by")
        .prefetch_related(Prefetch("findings", queryset=Finding.objects.select_related("kpi").order_by("kpi__order", "kpi_id")))
        .order_by("held_on", "id")
    )
    case = BenefitsCase.objects.filter(plan=plan).first()
    lines = BenefitLine.objects.filter(plan=plan).order_by("kind", "id")
    rows = [
        {
            "id": m.pk,
            "kpi_id": m.kpi_id,
            "date": _iso(m.date),
            "value": _dec(m.value),
            "note": m.note,
            "by": _name(m.recorded_by),
        }
        for m in measurements
    ]
    series_cache: dict[str, Any] = {}
    for k in kpis:
        if k.series_ref:
            if k.series_ref not in series_cache:
                series_cache[k.series_ref] = find_series(plan, k.series_ref)
            found = series_cache[k.series_ref]
            if found is not None:
                rows = [r for r in rows if r["kpi_id"] != k.pk] + [
                    {
                        "id": None,
                        "kpi_id": k.pk,
                        "date": day,
                        "value": rules.plain(Decimal(str(value)).quantize(Decimal("0.1"))),
                        "note": "",
                        "by": found.label,
                    }
                    for day, value in found.points
                ]
    names: dict[Any, str] = {k.pk: k.name for k in kpis}
    return {
        "version": VERSION,
        "kpis": [_kpi(k, series_cache) for k in kpis],
        "measurements": [{**r, "kpi": names.get(r["kpi_id"], "")} for r in rows],
        "evidence": [_evidence(e) for e in evidence],
        "reviews": [_review(r) for r in reviews],
        "benefits": _case(case),
        "benefit_lines": [
            {
                "id": line.pk,
                "kind": line.get_kind_display(),
                "description": line.description,
                "annual_value": _dec(line.annual_value),
                "annual_count": line.annual_count,
                "actual_annual_value": _dec(line.actual_annual_value),
            }
            for line in lines
        ],
    }


def _kpi(k: KPI, series: dict[str, Any]) -> dict[str, Any]:
    found = series.get(k.series_ref) if k.series_ref else None
    return {
        "id": k.pk,
        "name": k.name,
        "description": k.description,
        "kind": k.get_kind_display(),
        "dimension": k.get_dimension_display(),
        "unit": k.unit,
        "direction": k.get_direction_display(),
        "lowest": _dec(k.lowest),
        "highest": _dec(k.highest),
        "baseline": _dec(k.baseline),
        "baseline_date": _iso(k.baseline_date),
        "baseline_source": k.baseline_source,
        "target": _dec(k.target),
        "target_date": _iso(k.target_date),
        "data_source": k.data_source,
        "frequency": k.get_frequency_display(),
        "owner": _name(k.owner),
        "objective": k.objective.title if k.objective else "",
        "standards": sorted(s.code for s in k.standards.all()),
        "series": found.label if found is not None else "",
    }


def _evidence(e: Evidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "kpi": e.kpi.name if e.kpi else "",
        "source": e.get_source_display(),
        "method": e.get_method_display(),
        "date": _iso(e.date),
        "summary": e.summary,
        "quotes": e.quote_list,
        "themes": e.theme_list,
        "sentiment": e.get_sentiment_display(),
    }


def _review(r: Review) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.get_kind_display(),
        "kind_key": r.kind,
        "held_on": _iso(r.held_on),
        "summary": r.summary,
        "decision": r.get_decision_display() if r.decision else "",
        "reasons": r.reasons,
        "decided_by": _name(r.decided_by),
        "decided_on": _iso(r.decided_at.date()) if r.decided_at else None,
        "findings": [
            {
                "kpi_id": f.kpi_id,
                "kpi": f.kpi.name,
                "status": f.get_status_display(),
                "value": _dec(f.value),
                "comment": f.comment,
            }
            for f in r.findings.all()
        ],
    }


def _case(case: BenefitsCase | None) -> dict[str, Any] | None:
    if case is None:
        return None
    return {
        "minutes_saved_per_shift": _dec(case.minutes_saved_per_shift),
        "carer_shifts_per_week": case.carer_shifts_per_week,
        "hour_value": f"{case.hour_value:.2f}",
        "horizon_years": case.horizon_years,
        "actual_minutes_saved_per_shift": _dec(case.actual_minutes_saved_per_shift),
        "social_return": case.social_return,
    }


# --- Reading a snapshot -----------------------------------------------------------------------


def read(snap: Any) -> dict[str, Any] | None:
    """This part's data from a whole-plan snapshot, in the current shape, or None when the
    revision was frozen before this part existed."""
    return read_part(snap.get("evaluation") if isinstance(snap, dict) else None)


def read_part(part: Any) -> dict[str, Any] | None:
    if not isinstance(part, dict):
        return None
    rows: dict[str, Any] = {key: [r for r in part.get(key) or [] if isinstance(r, dict)] for key in ROW_KEYS}
    rows["benefits"] = part.get("benefits") if isinstance(part.get("benefits"), dict) else None
    return rows


def terms_of(kpi: dict[str, Any], go_live: dt.date | None) -> rules.Terms:
    return rules.Terms(
        baseline=rules.to_decimal(kpi.get("baseline")),
        target=rules.to_decimal(kpi.get("target")),
        higher_is_better=kpi.get("direction", HIGHER) == HIGHER,
        baseline_date=parse_date(kpi.get("baseline_date")),
        target_date=parse_date(kpi.get("target_date")),
        go_live=go_live,
    )


def readings_by_kpi(part: dict[str, Any]) -> dict[Any, list[rules.Reading]]:
    found: dict[Any, list[rules.Reading]] = {}
    for m in part["measurements"]:
        day, value = parse_date(m.get("date")), rules.to_decimal(m.get("value"))
        if day is not None and value is not None:
            found.setdefault(m.get("kpi_id"), []).append(rules.Reading(day, value))
    for readings in found.values():
        readings.sort(key=lambda r: r.date)
    return found


def plan_cost(plan: dict[str, Any]) -> Decimal:
    return sum((rules.to_decimal(r.get("total_cost")) or Decimal(0) for r in plan.get("resources") or []), Decimal(0))


def benefits_of(part: dict[str, Any], plan: dict[str, Any], *, actual: bool = False) -> rules.Benefits | None:
    case = part["benefits"]
    if case is None:
        return None
    minutes = rules.to_decimal(case.get("actual_minutes_saved_per_shift") if actual else case.get("minutes_saved_per_shift"))
    if minutes is None:
        return None
    lines = part["benefit_lines"]
    avoided = Decimal(0)
    for line in lines:
        value = rules.to_decimal(line.get("actual_annual_value") if actual else line.get("annual_value"))
        avoided += value if value is not None else (rules.to_decimal(line.get("annual_value")) or Decimal(0))
    return rules.benefits(
        cost=plan_cost(plan),
        minutes_per_shift=minutes,
        shifts_per_week=int(case.get("carer_shifts_per_week") or 0),
        hour_value=rules.to_decimal(case.get("hour_value")) or Decimal(0),
        avoided_a_year=avoided,
        events_avoided_a_year=sum(int(line.get("annual_count") or 0) for line in lines),
        horizon_years=int(case.get("horizon_years") or 3),
    )


def kpi_rows(part: dict[str, Any], plan: dict[str, Any], *, id_prefix: str, charts_for: bool = True) -> list[dict[str, Any]]:
    """Each KPI with its readings, status (rules.status) and, if asked, its run chart."""
    go_live = parse_date(plan.get("go_live_date"))
    readings = readings_by_kpi(part)
    out = []
    for number, kpi in enumerate(part["kpis"], start=1):
        terms = terms_of(kpi, go_live)
        mine = readings.get(kpi.get("id"), [])
        row = {**kpi, "number": number, "terms": terms, "readings": mine, "status": rules.status(terms, mine)}
        if charts_for:
            row["chart"] = charts.run_chart_svg(
                name=str(kpi.get("name", "")),
                unit=str(kpi.get("unit", "")),
                terms=terms,
                readings=mine,
                id_prefix=f"{id_prefix}-kpi{number}",
            )
        out.append(row)
    return out


def document(snap: dict[str, Any], *, id_prefix: str, charts_for: bool = True) -> dict[str, Any] | None:
    """Everything the appendix, the revision block and the dashboard show, from the snapshot
    alone; None when the revision has nothing of ours."""
    part = read(snap)
    if part is None or not (part["kpis"] or part["evidence"] or part["benefits"]):
        return None
    plan = snap.get("plan") or {}
    kpis = kpi_rows(part, plan, id_prefix=id_prefix, charts_for=charts_for)
    expected = benefits_of(part, plan)
    actual = benefits_of(part, plan, actual=True)
    themes = Counter(t for e in part["evidence"] for t in e.get("themes") or [])
    final = next((r for r in reversed(part["reviews"]) if r.get("kind_key") == Review.Kind.FINAL), None)
    return {
        "kpis": kpis,
        "rag_counts": Counter(k["status"].rag.key for k in kpis),
        "dimensions": [(d, sum(1 for k in kpis if k.get("dimension") == d)) for d in DIMENSIONS],
        "dimensions_used": ", ".join(
            f"{d.lower()} {n}" for d in DIMENSIONS if (n := sum(1 for k in kpis if k.get("dimension") == d))
        ),
        "evidence": [{**e, "date_d": parse_date(e.get("date"))} for e in reversed(part["evidence"])],
        "themes": themes.most_common(),
        "reviews": [
            {**r, "held_on_d": parse_date(r.get("held_on")), "decided_on_d": parse_date(r.get("decided_on"))}
            for r in reversed(part["reviews"])
        ],
        "final": final,
        "benefits": expected,
        "actual": actual,
        "case": part["benefits"],
        "lines": part["benefit_lines"],
        "benefits_svg": charts.benefits_svg(expected, id_prefix=f"{id_prefix}-benefits") if expected and charts_for else None,
        "go_live": parse_date(plan.get("go_live_date")),
    }
