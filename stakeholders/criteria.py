"""Gaining support's evidence towards the assessor's criteria (plans.assessment.criteria):
an engagement activity, champions paired with the staff who resist, and a communication
strategy that answers the concerns staff raised. From a snapshot only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from plans.parts import MET, PARTLY, Evidence, EvidenceItem

from . import snapshot, vocab

CRITERIA = ("q3.engagement", "q3.champions", "outcome.communication")
APPENDIX = "stakeholders"


def _clip(text: Any, length: int = 90) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _names(rows: list[Any]) -> list[str]:
    return [str(r.get("name")) for r in rows if isinstance(r, dict) and r.get("name")]


def criteria_evidence(snap: dict[str, Any]) -> list[Evidence]:
    part = snapshot.read(snap)
    if part is None:
        return []
    plan_id = (snap.get("plan") or {}).get("id")
    found = [_engagement(part, plan_id), _champions(part, plan_id), _communication(part, plan_id)]
    return [e for e in found if e is not None]


def _engagement(part: dict[str, Any], plan_id: Any) -> Evidence | None:
    activities = part["engagements"]
    if not activities:
        return None
    items = tuple(
        EvidenceItem(
            f"{a.get('kind')}: {_clip(a.get('title'))}"
            + (f" on {a['date']}" if a.get("date") else " (no date yet)")
            + (f", for {', '.join(_names(a.get('audience') or []))}" if a.get("audience") else ""),
            reverse("stakeholders:activity-edit", args=[a["id"]]) if a.get("id") else "",
        )
        for a in activities
    )
    if any(a.get("date") and a.get("kind") for a in activities):
        return Evidence("q3.engagement", MET, items, appendix=APPENDIX)
    return Evidence("q3.engagement", PARTLY, items, to_complete="Give the activity its date.", appendix=APPENDIX)


def _champions(part: dict[str, Any], plan_id: Any) -> Evidence | None:
    champions = part["champions"]
    if not champions:
        return None
    resistant = {r.get("id") for r in part["stakeholders"] if vocab.stance(r.get("stance")).resistant}
    items = []
    paired = 0
    for c in champions:
        groups = [g for g in c.get("groups") or [] if isinstance(g, dict)]
        people = _names(c.get("supports") or []) + _names(groups)
        if any(g.get("id") in resistant for g in groups) or c.get("supports"):
            paired += 1
        who = f" supports {', '.join(people)}" if people else " is not paired with anyone yet"
        items.append(
            EvidenceItem(
                f"Champion {c.get('name')} ({c.get('shift_pattern')}){who}",
                reverse("stakeholders:champion-edit", args=[c["id"]]) if c.get("id") else "",
            )
        )
    if paired:
        return Evidence("q3.champions", MET, tuple(items), appendix=APPENDIX)
    return Evidence(
        "q3.champions",
        PARTLY,
        tuple(items),
        to_complete="Pair each champion with the resistant or sceptical staff, or staff groups, they will support.",
        appendix=APPENDIX,
    )


def _communication(part: dict[str, Any], plan_id: Any) -> Evidence | None:
    concerns, messages = part["concerns"], part["communications"]
    if not concerns and not messages:
        return None
    answered = [c for c in concerns if str(c.get("response") or "").strip()]
    items = [
        EvidenceItem(
            f"You said: {_clip(c.get('concern'), 70)}; we answered: {_clip(c.get('response'), 70)}",
            reverse("stakeholders:concern-edit", args=[c["id"]]) if c.get("id") else "",
        )
        for c in answered
    ]
    items += [
        EvidenceItem(
            f"Communication to {m.get('stakeholder')}: {_clip(m.get('message'), 70)} ({m.get('channel')}, {m.get('frequency')})"
        )
        for m in messages
    ]
    unanswered = len(concerns) - len(answered)
    if answered and messages and not unanswered:
        return Evidence("outcome.communication", MET, tuple(items), appendix=APPENDIX)
    missing = []
    if not concerns:
        missing.append("record the concerns staff have raised and your answers")
    elif unanswered:
        missing.append(f"answer the {unanswered} concern{'s' if unanswered != 1 else ''} still open")
    if not messages:
        missing.append("add a communication plan: who hears what, how and how often")
    return Evidence(
        "outcome.communication", PARTLY, tuple(items), to_complete="; ".join(missing).capitalize() + ".", appendix=APPENDIX
    )
