"""Oak View's risk register for the demo: what could go wrong moving 40 residents' care
records from paper to a digital system, scored, mitigated, with contingency plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oakview.core.models import Standard, User
from plans.models import Plan

from . import services
from .models import Risk

C, P, S = Risk.Category, Risk.Phase, Risk.Status

# (title, category, phase, owner username, (inherent L, I), (residual L, I), description,
#  mitigation, contingency, trigger, standards, reviews [(days after plan start, L, I, note)]
#  (the demo plan started four weeks ago; a review not yet due is skipped),
#  next review in days from today (negative = overdue))
RISKS = [
    (
        "System outage on go-live day",
        C.DATA_IT,
        P.GO_LIVE,
        "manager",
        (3, 5),
        (2, 3),
        "The care system or its hosting fails on the day paper records stop, so staff cannot see care plans, "
        "allergies or medication due.",
        "Supplier's go-live support on site; tablets set to keep an offline copy; a 4G router as back-up "
        "broadband; paper downtime packs (care summaries and MAR charts) printed the evening before.",
        "Shift lead declares downtime, hands out the downtime packs and records on paper; the manager rings the "
        "supplier's priority line; paper entries are back-entered within 24 hours and checked by a second person.",
        "The app will not load on two devices for more than 15 minutes, or the supplier's status page reports an outage.",
        ["Reg 12", "Reg 17"],
        [
            (10, 3, 4, "Supplier confirmed on-site support for go-live week."),
            (24, 2, 3, "Offline mode tested on all 12 tablets."),
        ],
        21,
    ),
    (
        "Agency staff without logins",
        C.WORKFORCE,
        P.GO_LIVE,
        "staff1",
        (4, 3),
        (2, 3),
        "Agency carers booked at short notice arrive without an account and cannot record care, or are tempted "
        "to use someone else's login.",
        "Agencies send names 48 hours ahead; the shift lead can create a temporary login; a one-page quick-start card in each office.",
        "The agency carer records on a paper note sheet; the shift lead enters it before the end of the shift and "
        "both sign the sheet; the agency is told before the next booking.",
        "An agency worker starts a shift without a working login.",
        ["Reg 17", "Reg 18"],
        [(14, 3, 3, "Two agencies now send names in advance; one does not yet.")],
        14,
    ),
    (
        "Incomplete transfer of paper care plans",
        C.CARE_RECORDS,
        P.PLANNING,
        "manager",
        (4, 4),
        (2, 4),
        "Some residents' care plans, risk assessments or preferences are not fully moved across before go-live, "
        "so staff act on an incomplete record.",
        "Transfer schedule by resident; every transferred plan checked against the paper file by a second person; "
        "a tracker shows who is done and signed off.",
        "Any resident not signed off keeps the paper care plan in use, flagged at every handover, until the transfer "
        "is checked; go-live for that wing waits if more than five are outstanding.",
        "The tracker shows a resident not double-checked three days before go-live.",
        ["Reg 9", "Reg 17"],
        [
            (7, 4, 4, "12 of 40 transferred."),
            (17, 3, 4, "31 of 40 transferred and checked."),
            (25, 2, 4, "All 40 transferred; 38 checked."),
        ],
        10,
    ),
    (
        "Medication record errors in the changeover",
        C.RESIDENT_SAFETY,
        P.GO_LIVE,
        "staff1",
        (3, 5),
        (2, 4),
        "Doses are missed or given twice while medication administration records move from paper MAR charts to eMAR.",
        "eMAR starts at the beginning of a new 28-day cycle; the pharmacy checks every chart; two staff sign each "
        "round in the first week; daily stock count against eMAR.",
        "Affected residents go back to paper MAR until the error is understood; the GP and pharmacy are told of any "
        "missed or extra dose the same day; an incident report and a safeguarding referral if harm is possible.",
        "Any difference between the eMAR record and the stock count at the daily audit.",
        ["Reg 12"],
        [(12, 3, 4, "Pharmacy agreed to the cycle start date."), (22, 2, 4, "Dry run of two rounds with no discrepancies.")],
        7,
    ),
    (
        "Staff reverting to paper",
        C.WORKFORCE,
        P.EMBEDDING,
        "staff2",
        (4, 3),
        (3, 2),
        "Staff who are less confident keep notes on paper 'to be safe', so the digital record is late or incomplete.",
        "A digital champion on every shift; paper note sheets removed after week two; a daily completeness report "
        "discussed at handover.",
        "Champions give one-to-one coaching on the shift; a refresher session within a week; the manager meets anyone "
        "still using paper after that.",
        "The completeness report is below 90% on two days running, or paper notes are found in a unit.",
        ["Reg 17"],
        [(9, 4, 3, "Resistance strongest on nights."), (20, 3, 2, "Champions now on every shift.")],
        3,  # due this week: no review may have lapsed when the plan is approved
    ),
    (
        "Data breach from shared logins",
        C.DATA_IT,
        P.GO_LIVE,
        "manager",
        (3, 4),
        (2, 3),
        "Staff share a login to save time, so records cannot be trusted to show who did what and private information is exposed.",
        "Individual logins only; devices lock after two minutes; PIN sign-in on tablets; weekly audit-log spot checks; "
        "Data Security and Protection Toolkit training.",
        "Disable the account at once, reset passwords, assess the breach under UK GDPR and report it to the ICO within "
        "72 hours if it is reportable; supervision with the staff involved.",
        "The audit log shows one login active on two devices at once, or someone reports a shared password.",
        ["Reg 17"],
        [],
        30,
    ),
    (
        "Wi-Fi dead spots in the home",
        C.DATA_IT,
        P.PLANNING,
        "staff3",
        (4, 3),
        (2, 2),
        "Tablets lose signal in the east wing and the garden rooms, so care is recorded late or not at all.",
        "Site survey done; two extra access points in the east wing and garden rooms; offline mode switched on.",
        "Record offline and sync at the nurses' station; a temporary mesh unit is kept on site for any new dead spot.",
        "A device shows as offline in one area for more than ten minutes.",
        ["Reg 15", "Reg 17"],
        [(6, 4, 3, "Survey found three dead spots."), (19, 2, 2, "Access points fitted; no dead spots on re-test.")],
        28,
    ),
    (
        "Night staff less confident with the devices",
        C.WORKFORCE,
        P.GO_LIVE,
        "staff3",
        (4, 3),
        (2, 3),
        "Night staff have fewer training sessions, and their one champion cannot work every night of go-live week, so "
        "night care is recorded poorly.",
        "Training at 20:00, at the start of the night shift; Margaret Bell, the night champion, works four of the seven "
        "nights of go-live week; laminated quick guides in each unit.",
        "An on-call champion by phone; the night senior records on the paper note sheet as a last resort and the day "
        "champion back-enters it by 10am.",
        "Entries missing from the night handover report.",
        ["Reg 18"],
        [],
        14,
    ),
    (
        "Care hours reduced while staff are in training",
        C.RESIDENT_SAFETY,
        P.PLANNING,
        "manager",
        (3, 4),
        (2, 3),
        "Taking carers off the floor for training leaves fewer hours of care than residents' assessed needs.",
        "Backfill hours booked for every session; training in the quieter early-afternoon slot; the plan's care-hours check on the rota.",
        "Postpone the session, or call bank staff, so the floor never drops below the required hours.",
        "The day's rostered hours minus training hours fall below the required care hours.",
        ["Reg 18", "Reg 12"],
        [],
        21,
    ),
    (
        "Residents and families worried about devices and privacy",
        C.REPUTATIONAL,
        P.EMBEDDING,
        "manager",
        (3, 2),
        (2, 2),
        "Residents or families feel watched or worry about who can read records, and complain.",
        "Letter to families; a families' meeting with a demonstration; consent and preferences reviewed in each care plan.",
        "The manager meets the family, shows what is recorded and who sees it, and records their wishes in the care plan.",
        "A concern or complaint about the devices or the records.",
        ["Reg 10", "Reg 16"],
        [],
        45,
    ),
    (
        "Costs of devices and licences over budget",
        C.FINANCIAL,
        P.PLANNING,
        "manager",
        (2, 3),
        (2, 2),
        "More tablets, chargers or licences are needed than budgeted.",
        "Quote fixed with the supplier for 12 months; spare devices counted in the resource plan.",
        "The provider's contingency budget covers up to 10% over; above that, phase the purchase of extra devices.",
        "Spending reaches 90% of the budget before go-live.",
        [],
        [],
        60,
    ),
    (
        "Inspection during the changeover finds records hard to follow",
        C.REGULATORY,
        P.EMBEDDING,
        "manager",
        (2, 4),
        (2, 3),
        "An inspector visits while some records are on paper and some digital and cannot follow a resident's care.",
        "The paper archive kept in order and to hand; the transition plan and tracker ready to show.",
        "The manager walks the inspector through the plan, the tracker and both records for any resident they ask about.",
        "Notice of an inspection, or an inspector arrives.",
        ["Reg 17"],
        [],
        30,
    ),
]


def seed_risks(ctx: Any, plan: Plan) -> None:
    """The demo plan's register (RiskPart.seed_demo). Idempotent: keyed on the risks' titles."""
    if not plan.can_edit_content():
        ctx.say("Risk register: the demo plan is not editable now; left as it is.")
        return
    today = timezone.localdate()
    manager = ctx.users.get("manager")
    existing = set(Risk.objects.filter(plan=plan).values_list("title", flat=True))
    codes = {s.code: s for s in Standard.objects.current().filter(code__startswith="Reg ")}
    added = 0
    for (
        title,
        category,
        phase,
        owner,
        (il, ii),
        (rl, ri),
        description,
        mitigation,
        contingency,
        trigger,
        standard_codes,
        reviews,
        next_review,
    ) in RISKS:
        if title in existing:
            continue
        risk = services.risk_create(
            plan_id=plan.pk,
            by=manager,
            data={
                "title": title,
                "description": description,
                "category": category,
                "phase": phase,
                "owner": ctx.users.get(owner),
                "inherent_likelihood": il,
                "inherent_impact": ii,
                "mitigation": mitigation,
                "residual_likelihood": rl,
                "residual_impact": ri,
                "contingency": contingency,
                "trigger": trigger,
                "status": S.MITIGATED if (rl * ri) <= 4 else S.OPEN,
                "review_date": today + dt.timedelta(days=next_review),
            },
            standards=[codes[c] for c in standard_codes if c in codes],
        )
        start = plan.start_date or today - dt.timedelta(days=60)
        for days, likelihood, impact, note in reviews:
            when = start + dt.timedelta(days=days)
            if when > today:
                break  # a review cannot be recorded before it happens
            services.risk_review(risk=risk, by=manager, reviewed_on=when, likelihood=likelihood, impact=impact, note=note)
        added += 1
    if added:
        ctx.say(f"Risk register: {added} risks added to '{plan.title}'.")


NEW_AFTER_APPROVAL = {
    "title": "Pharmacy's eMAR link delayed",
    "description": "The pharmacy's electronic link to the eMAR is not ready for go-live, so the first cycle's "
    "medicines are entered by hand.",
    "category": C.RESIDENT_SAFETY,
    "phase": P.GO_LIVE,
    "inherent_likelihood": 3,
    "inherent_impact": 4,
    "mitigation": "Two staff enter and check each chart; the pharmacy sends a printed cycle list to check against.",
    "residual_likelihood": 2,
    "residual_impact": 3,
    "contingency": "Stay on paper MAR charts for the first cycle and start eMAR at the next one.",
    "trigger": "The pharmacy has not confirmed the link seven days before go-live.",
    "status": S.OPEN,
}


def revise_register_after_approval(plan: Plan, by: User) -> None:
    """What a manager changes in the register after approval: a new risk, and a review that
    raises one. For the demo's second revision, so the review page shows risk changes.
    Idempotent (keyed on the new risk's title)."""
    if Risk.objects.filter(plan=plan, title=NEW_AFTER_APPROVAL["title"]).exists():
        return
    today = timezone.localdate()
    services.risk_create(
        plan_id=plan.pk,
        by=by,
        data={**NEW_AFTER_APPROVAL, "owner": by, "review_date": today + dt.timedelta(days=7)},
        standards=Standard.objects.current().filter(code="Reg 12"),
    )
    agency = Risk.objects.filter(plan=plan, title="Agency staff without logins").first()
    if agency is not None:
        services.risk_update(
            risk=agency,
            by=by,
            expected_version=agency.version,
            data={
                "mitigation": agency.mitigation + " The third agency now sends names in advance too.",
                "residual_likelihood": 1,
            },
        )


def seed_large_register(ctx: Any, plan: Plan, scale: int) -> None:
    """The large benchmark plan's register (RiskPart.seed_large): 60 risks per scale, from the
    demo's risks numbered on, each reviewed twice, every serious one fully answered."""
    manager = ctx.users["manager"]
    today = timezone.localdate()
    start = plan.start_date or today - dt.timedelta(days=60)
    codes = {s.code: s for s in Standard.objects.current().filter(code__startswith="Reg ")}
    for i in range(60 * scale):
        title, category, phase, owner, (il, ii), (rl, ri), description, mitigation, contingency, trigger, standard_codes, *_ = (
            RISKS[i % len(RISKS)]
        )
        risk = services.risk_create(
            plan_id=plan.pk,
            by=manager,
            data={
                "title": f"{title} ({i // len(RISKS) + 1})",
                "description": description,
                "category": category,
                "phase": phase,
                "owner": ctx.users.get(owner),
                "inherent_likelihood": il,
                "inherent_impact": ii,
                "mitigation": mitigation,
                "residual_likelihood": rl,
                "residual_impact": ri,
                "contingency": contingency,
                "trigger": trigger,
                "status": S.MITIGATED if (rl * ri) <= 4 else S.OPEN,
                "review_date": today + dt.timedelta(days=7 + i % 50),
            },
            standards=[codes[c] for c in standard_codes if c in codes],
        )
        for days, likelihood in ((10, il), (30, rl)):
            when = min(start + dt.timedelta(days=days + i % 10), today)
            services.risk_review(
                risk=risk, by=manager, reviewed_on=when, likelihood=likelihood, impact=ri, note="Reviewed at the project meeting."
            )
    ctx.say(f"Risk register: {60 * scale} risks added to '{plan.title}'.")
