"""The evaluation's evidence towards the assessor's criteria (plans.assessment.criteria): a
qualitative and a quantitative measure, evidence set to be judged at three months, and
measures of both technical success and cultural adaptation. From a snapshot only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from oakview.core.formats import parse_date
from plans.parts import MET, PARTLY, Evidence, EvidenceItem

from . import snapshot
from .models import KPI

CRITERIA = ("q5.measures", "q5.three_months", "outcome.evaluation")
APPENDIX = "evaluation"
# "At three months": a KPI judged by then counts, with a fortnight's grace either side.
THREE_MONTHS = dt.timedelta(days=92 + 14)


def _item(kpi: dict[str, Any], detail: str) -> EvidenceItem:
    return EvidenceItem(f"KPI {kpi.get('name')}: {detail}", reverse("evaluation:kpi", args=[kpi["id"]]) if kpi.get("id") else "")


# Wired into the part by EvaluationPart.criteria_evidence (evaluation/parts.py).


def criteria_evidence(snap: dict[str, Any]) -> list[Evidence]:
    part = snapshot.read(snap)
    if part is None or not part["kpis"]:
        return []
    kpis = part["kpis"]
    return [_measures(kpis), _three_months(kpis, part, snap), _dimensions(kpis)]


def _measures(kpis: list[dict[str, Any]]) -> Evidence:
    kinds: dict[str, list[dict[str, Any]]] = {str(KPI.Kind.QUALITATIVE.label): [], str(KPI.Kind.QUANTITATIVE.label): []}
    for k in kpis:
        kinds.setdefault(str(k.get("kind")), []).append(k)
    items = tuple(_item(k, str(k.get("kind")).lower()) for k in kpis)
    missing = [name.lower() for name, rows in kinds.items() if not rows]
    if not missing:
        return Evidence("q5.measures", MET, items, appendix=APPENDIX)
    return Evidence("q5.measures", PARTLY, items, to_complete=f"Add a {missing[0]} KPI.", appendix=APPENDIX)


def _three_months(kpis: list[dict[str, Any]], part: dict[str, Any], snap: dict[str, Any]) -> Evidence:
    go_live = parse_date((snap.get("plan") or {}).get("go_live_date"))
    set_up = [k for k in kpis if k.get("baseline") is not None and k.get("target") is not None]
    dated = [
        k for k in set_up
        if go_live and (target := parse_date(k.get("target_date"))) and target <= go_live + THREE_MONTHS
    ]  # fmt: skip
    final = [r for r in part["reviews"] if r.get("kind_key") == "final"]
    items = tuple(
        _item(k, f"baseline {k.get('baseline')}, target {k.get('target')} by {k.get('target_date') or 'no date'}") for k in set_up
    )
    if final:
        items += tuple(EvidenceItem(f"{r.get('kind')} on {r.get('held_on')}") for r in final)
    if dated or final:
        return Evidence("q5.three_months", MET, items, appendix=APPENDIX)
    return Evidence(
        "q5.three_months",
        PARTLY,
        items,
        to_complete="Give the KPIs a baseline, a target and a target date within three months of go-live.",
        appendix=APPENDIX,
    )


def _dimensions(kpis: list[dict[str, Any]]) -> Evidence:
    technical, cultural = str(KPI.Dimension.TECHNICAL.label), str(KPI.Dimension.CULTURAL.label)
    found = {
        technical: [k for k in kpis if k.get("dimension") == technical],
        cultural: [k for k in kpis if k.get("dimension") == cultural],
    }
    items = tuple(_item(k, str(k.get("dimension")).lower()) for rows in found.values() for k in rows)
    missing = [name.lower() for name, rows in found.items() if not rows]
    if not missing:
        return Evidence("outcome.evaluation", MET, items, appendix=APPENDIX)
    return Evidence("outcome.evaluation", PARTLY, items, to_complete=f"Add a KPI for {missing[0]}.", appendix=APPENDIX)
