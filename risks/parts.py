"""The risk register's part of a plan: section 4's register, described for the kernel.

Its snapshot, readiness checks and PDF appendix (every column); the columns an approver
needs on the revision page; what counts as material drift (a residual risk above the band
it was approved at); its summary for the approver and its panel on the plan page; its demo.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from oakview.core.formats import parse_date, short_date
from plans.models import Plan
from plans.parts import MET, PARTLY, Appendix, Block, Column, Drift, Evidence, EvidenceItem, Panel, PlanPart, Problem, RowKind

from . import matrix
from .charts import heat_map_pair_svg
from .demo import revise_register_after_approval, seed_large_register, seed_risks
from .models import Risk
from .selectors import band_summary, can_read_register, heat_counts_from_rows

RISKS = RowKind(
    "risks",
    "Risk",
    "Risk register",
    ref_key="ref",
    # What an approver weighs; the PDF appendix keeps every field.
    columns=(
        Column("ref", "Ref"),
        Column("title", "Risk"),
        Column("phase", "Phase"),
        Column("owner", "Owner"),
        Column("inherent_score", "Score before mitigation", "number"),
        Column("residual_score", "Score after mitigation", "number"),
        Column("contingency", "Contingency plan"),
        Column("review_date", "Next review", "date"),
        Column("status", "Status"),
    ),
)

# The checklist asks for at least this many risks about the go-live week itself, when
# residents are most exposed to records being missing or wrong.
MIN_GO_LIVE_RISKS = 2


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _assessment(prefix: str, likelihood: int, impact: int) -> dict:
    # Flat keys, so the review page's generic diff can say "inherent_score: 12 → 16".
    return {
        f"{prefix}_likelihood": likelihood,
        f"{prefix}_impact": impact,
        f"{prefix}_score": matrix.score(likelihood, impact),
        f"{prefix}_band": matrix.band_of(likelihood, impact).key,
    }


def risk_snapshot(risk: Risk) -> dict:
    return {
        "id": risk.pk,
        "ref": risk.ref,
        "title": risk.title,
        "description": risk.description,
        "category": risk.get_category_display(),
        "phase": risk.get_phase_display(),
        "owner": risk.owner.display_name if risk.owner else "",
        **_assessment("inherent", risk.inherent_likelihood, risk.inherent_impact),
        "mitigation": risk.mitigation,
        **_assessment("residual", risk.residual_likelihood, risk.residual_impact),
        "contingency": risk.contingency,
        "trigger": risk.trigger,
        "status": risk.get_status_display(),
        "review_date": _iso(risk.review_date),
        # Codes only, as in the plan part: stable even if the reference wording is revised.
        "standards": sorted(s.code for s in risk.standards.all()),
        "reviews": [
            {
                "date": _iso(review.reviewed_on),
                "reviewer": review.reviewer.display_name if review.reviewer else "",
                "likelihood": review.likelihood,
                "impact": review.impact,
                "score": review.score,
                "band": review.band.key,
                "note": review.note,
            }
            for review in risk.reviews.all()
        ],
    }


class RiskPart(PlanPart):
    key = "risks"
    title = "Risk register"
    order = 40
    section = 4
    row_kinds = (RISKS,)
    appendix_titles = {"risks": "Risk register and contingency plans"}  # noqa: RUF012 - read-only
    criteria = ("q4.go_live_risks", "outcome.continuity")
    field_labels = {
        "inherent_likelihood": "Likelihood before mitigation",
        "inherent_impact": "Impact before mitigation",
        "inherent_score": "Score before mitigation",
        "inherent_band": "Band before mitigation",
        "residual_likelihood": "Likelihood after mitigation",
        "residual_impact": "Impact after mitigation",
        "residual_score": "Score after mitigation",
        "residual_band": "Band after mitigation",
        "contingency": "Contingency plan",
        "review_date": "Next review",
    }

    def snapshot(self, plan: Plan) -> list[dict[str, Any]]:
        risks = (
            Risk.objects.filter(plan=plan)
            .select_related("owner")
            .prefetch_related("standards", "reviews__reviewer")
            .order_by("number")
        )
        return [risk_snapshot(r) for r in risks]

    def readiness(self, plan: Plan) -> list[Problem]:
        problems: list[Problem] = []
        risks = list(Risk.objects.filter(plan=plan).order_by("number"))
        register = reverse("risks:register", args=[plan.pk])
        for risk in risks:
            # Judged on the INHERENT score: the contingency is for when the mitigation fails,
            # so a risk mitigated down to "moderate" still needs one if it started high.
            if not risk.is_serious:
                continue
            url = reverse("risks:risk-edit", args=[risk.pk])
            band = risk.inherent_band.name.lower()
            missing = []
            if not risk.mitigation.strip():
                missing.append("no mitigation")
            if not risk.contingency.strip():
                missing.append("no contingency plan")
            if not risk.trigger.strip():
                missing.append("no trigger for its contingency plan")
            if missing:
                problems.append(
                    Problem(
                        part=self.key,
                        message=f"Risk {risk.ref} '{risk.title}' is {band} but has {_join(missing)}.",
                        url=url,
                    )
                )
        go_live = sum(1 for r in risks if r.phase == Risk.Phase.GO_LIVE)
        if go_live < MIN_GO_LIVE_RISKS:
            problems.append(
                Problem(
                    part=self.key,
                    message=(
                        f"The risk register needs at least {MIN_GO_LIVE_RISKS} risks for the go-live week "
                        f"(it has {go_live}): what could harm residents while records move to the new system?"
                    ),
                    url=register,
                )
            )
        return problems

    def appendices(self, snap: dict[str, Any]) -> list[Appendix]:
        rows = snap.get("risks")
        if not rows:
            return []
        return [
            Appendix(
                key=self.key,
                title=self.appendix_titles[self.key],
                template="pdf/risks/appendix.html",
                context=appendix_context(rows),
                section=4,
                # Two heat maps side by side and a register of long mitigations read best
                # across the page; on landscape pages the maps' labels stay above 8 pt.
                landscape=True,
            )
        ]

    def criteria_evidence(self, snap: dict[str, Any]) -> list[Evidence]:
        return criteria_evidence(snap.get(self.key) or [])

    def drift(self, approved: dict[str, Any], live: dict[str, Any]) -> list[Drift]:
        """A risk now scored into a worse band after mitigation than the one approved: the
        approver accepted the register as it stood, so a risk that has grown needs them again."""
        before = {r.get("id"): r for r in approved.get(self.key) or []}
        found = []
        for risk in live.get(self.key) or []:
            was = before.get(risk.get("id"))
            if was is None:
                continue
            then, now = matrix.band_for(was["residual_score"]), matrix.band_for(risk["residual_score"])
            if matrix.BANDS.index(now) > matrix.BANDS.index(then):
                found.append(Drift(
                    self.key,
                    f"Risk {risk['ref']} '{risk['title']}': {now.name.lower()} after mitigation, approved as {then.name.lower()}",
                ))  # fmt: skip
        return found

    def approver_summary(self, snap: dict[str, Any]) -> list[Block]:
        rows = snap.get(self.key) or []
        per_band: dict[str, dict[str, Any]] = {b.key: {"band": b, "count": 0} for b in reversed(matrix.BANDS)}
        for row in rows:
            per_band[matrix.band_for(row["residual_score"]).key]["count"] += 1
        without = [
            r for r in rows if matrix.band_for(r["inherent_score"]).key in matrix.SERIOUS_BANDS and not r.get("contingency")
        ]
        # The approver's first question: which risks are still the worst once mitigated.
        top = sorted(rows, key=lambda r: (-int(r.get("residual_score") or 0), -int(r.get("inherent_score") or 0)))[:3]
        top_risks = [
            {"ref": r.get("ref", ""), "title": r.get("title", ""), "score": r.get("residual_score"),
             "band": matrix.band_for(r["residual_score"])}
            for r in top
        ]  # fmt: skip
        context = {"total": len(rows), "bands": list(per_band.values()), "without_contingency": without, "top": top_risks}
        return [Block("risks/_approver_summary.html", context, order=40, title=self.title)]

    def plan_panels(self, request: HttpRequest, plan: Plan) -> list[Panel]:
        if not can_read_register(getattr(plan, "viewer_role", None), plan):
            return []
        context = {"plan": plan, **band_summary(plan, today=timezone.localdate())}
        return [Panel("risks/_plan_panel.html", context, slot="implementation", order=10)]

    def seed_demo(self, ctx: Any, plan: Plan) -> None:
        seed_risks(ctx, plan)

    def demo_after_approval(self, ctx: Any, plan: Plan) -> None:
        revise_register_after_approval(plan, ctx.users["manager"])

    def seed_large(self, ctx: Any, plan: Plan, scale: int) -> None:
        seed_large_register(ctx, plan, scale)


def _risk_item(row: dict[str, Any]) -> EvidenceItem:
    contingency = " ".join(str(row.get("contingency") or "").split())
    if len(contingency) > 90:
        contingency = contingency[:89].rstrip() + "…"
    label = (
        f"Risk {row.get('ref')}: {row.get('title')} ({str(row.get('phase') or '').lower()}, "
        f"score {row.get('inherent_score')} before mitigation); "
        + (f"contingency: {contingency}" if contingency else "no contingency plan")
    )
    return EvidenceItem(label, reverse("risks:risk-edit", args=[row["id"]]) if row.get("id") else "")


def criteria_evidence(rows: list[dict[str, Any]]) -> list[Evidence]:
    """Question 4 asks for two major risks of the go-live week, each with a contingency; the
    expected outcome asks that mitigation put continuity of care first, which the register
    shows when every serious risk has both a mitigation and a contingency."""
    found: list[Evidence] = []
    go_live_label = str(Risk.Phase.GO_LIVE.label)
    go_live = [r for r in rows if r.get("phase") == go_live_label]
    if go_live:
        covered = [r for r in go_live if str(r.get("contingency") or "").strip()]
        items = tuple(_risk_item(r) for r in go_live)
        if len(covered) >= MIN_GO_LIVE_RISKS:
            found.append(Evidence("q4.go_live_risks", MET, items, appendix="risks"))
        else:
            found.append(Evidence(
                "q4.go_live_risks", PARTLY, items, appendix="risks",
                to_complete=f"{len(covered)} of the {MIN_GO_LIVE_RISKS} go-live week risks have a contingency plan: "
                "add another risk for the first week, or a contingency to the one without.",
            ))  # fmt: skip
    planned = [r for r in rows if str(r.get("mitigation") or "").strip() and str(r.get("contingency") or "").strip()]
    serious = [r for r in rows if matrix.band_for(r["inherent_score"]).key in matrix.SERIOUS_BANDS]
    uncovered = [r for r in serious if r not in planned]
    if planned:
        items = tuple(_risk_item(r) for r in (serious or planned))
        if not uncovered:
            found.append(Evidence("outcome.continuity", MET, items, appendix="risks"))
        else:
            refs = ", ".join(str(r.get("ref")) for r in uncovered)
            found.append(Evidence(
                "outcome.continuity", PARTLY, items, appendix="risks",
                to_complete=f"Serious risks without both a mitigation and a contingency: {refs}.",
            ))  # fmt: skip
    return found


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def appendix_context(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """From snapshot rows only: the PDF of an old revision must not read today's database."""
    counts = heat_counts_from_rows(rows)
    return {
        "risks": [_for_print(row) for row in rows],
        "heat_map_svg": heat_map_pair_svg(counts.inherent, counts.residual, id_prefix="pdf-heat"),
        "bands": matrix.BANDS,
        "likelihood_levels": matrix.LIKELIHOOD,
        "impact_levels": matrix.IMPACT,
    }


def _for_print(row: dict[str, Any]) -> dict[str, Any]:
    """A snapshot row plus the matrix's names for its numbers (looked up, not stored, so the
    snapshot stays small and the wording can improve without a schema change)."""
    out = dict(row)
    for prefix in ("inherent", "residual"):
        out[f"{prefix}_likelihood_name"] = matrix.likelihood(row[f"{prefix}_likelihood"]).name
        out[f"{prefix}_impact_name"] = matrix.impact(row[f"{prefix}_impact"]).name
        out[f"{prefix}_band_obj"] = matrix.band_for(row[f"{prefix}_score"])
    out["review_date_display"] = short_date(parse_date(row.get("review_date")))
    return out
