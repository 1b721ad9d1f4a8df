"""Oak View's stakeholders for the demo: who has a stake in going digital and where they
stand, four weeks in. 60% of staff start resistant or sceptical; engagement moves them
week by week. Everything is written through the services, dated from the plan's start.

plans' seed_demo asks every part: this part's seed_demo(ctx, plan) runs seed_for_plan before
the plan goes for approval, and demo_after_approval(ctx, plan) runs after_approval once
revision 1 is approved. Both are idempotent.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from plans.models import Action, Plan, Resource

from . import services
from .models import Champion, CommunicationItem, Stakeholder

STAFF = "staff_group"

# name: (kind, headcount, shifts, power, interest, stance, concerns, needs to hear, strategy, owner)
STAKEHOLDERS = {
    "Tech-confident carers": (
        STAFF,
        12,
        "days",
        3,
        5,
        "champion",
        "Colleagues will lean on us for everything while we still have our own residents.",
        "Their protected time is real and on the rota: they are champions, not the help desk.",
        "Key players: in the project group, first on the pilot, paired with colleagues on their own shifts.",
        "manager",
    ),
    "Long-serving senior carers": (
        STAFF,
        6,
        "days",
        3,
        4,
        "resistant",
        "“We will spend more time on screens than with residents.” “Paper has worked here for twenty years.”",
        "That the system gives time back, shown by colleagues on Rowan unit, and that their experience shapes how we use it.",
        "Manage closely: one-to-ones with the manager, a seat at the weekly pilot review, Priya beside them on shift, "
        "and the quick-note templates written with them.",
        "manager",
    ),
    "Day care assistants": (
        STAFF,
        5,
        "days",
        2,
        4,
        "resistant",
        "Not confident with tablets; afraid of getting it wrong in front of colleagues.",
        "Training is in paid time, a wrong entry can be corrected, and a champion is on every shift.",
        "Keep informed and involved: drop-ins with no test, an update at every team meeting.",
        "staff1",
    ),
    "Night staff": (
        STAFF,
        5,
        "nights",
        2,
        4,
        "resistant",
        "“Changes are always made for the day shift.” Training at 14:00 means coming in when we should be asleep.",
        "Training at a time that suits nights, a night champion, and Wi-Fi that works on the night round.",
        "Keep informed: a night team meeting, Margaret as their champion, training at 20:00.",
        "staff3",
    ),
    "Agency staff": (
        STAFF,
        2,
        "nights",
        1,
        2,
        "sceptical",
        "We will not have a log-in on our first shift.",
        "A log-in ready before they arrive, and a one-page guide.",
        "Monitor: log-ins set up 48 hours ahead, an induction sheet on each floor.",
        "manager",
    ),
    "Residents": (
        "resident",
        36,
        "",
        2,
        4,
        "neutral",
        "Will staff be looking at a screen instead of at me?",
        "Staff will record at your side and spend less time in the office; your care plan is still yours to see.",
        "Keep informed: the residents' meeting, and asking each resident about their own transferred care plan.",
        "manager",
    ),
    "Families and representatives": (
        "family",
        30,
        "",
        2,
        4,
        "sceptical",
        "Will my mother's records be safe online? Will I still be able to see her care plan?",
        "How the records are protected, and that they can still see and check the care plan.",
        "Keep informed: a letter, an open afternoon, and lasting power of attorney holders invited to check "
        "the transferred plan.",
        "manager",
    ),
    "GP practice and community pharmacy": (
        "external_professional",
        2,
        "",
        2,
        3,
        "supportive",
        "",
        "From go-live the notes and medicine records they ask about are digital and legible.",
        "Keep informed: a letter before go-live with who to call.",
        "manager",
    ),
    "Operations director and nominated individual": (
        "management",
        2,
        "",
        5,
        4,
        "supportive",
        "Cost and the risk of a failed go-live.",
        "Progress against the milestones and the budget, and the care hours kept during training.",
        "Manage closely: the weekly project group and a short written update.",
        "manager",
    ),
    "Care Quality Commission": (
        "regulator",
        1,
        "",
        5,
        2,
        "neutral",
        "",
        "Records stay accurate and available throughout, and residents are safe during the change.",
        "Keep satisfied: a milestone summary on request, and notification of anything that stops the service running safely.",
        "manager",
    ),
    "Care management system supplier": (
        "supplier",
        1,
        "",
        4,
        2,
        "supportive",
        "Go-live dates slipping on the home's side.",
        "Our training dates and the issues we find, early.",
        "Keep satisfied: a weekly call with the issues log.",
        "manager",
    ),
}

# (day from start, stakeholder, new stance, what moved them)
STANCE_MOVES = [
    (
        7,
        "Day care assistants",
        "sceptical",
        "After the team meeting on the near-misses: they see why, and are unsure they can do it.",
    ),
    (14, "Day care assistants", "supportive", "Tried the tablets at the workshop and asked for drop-ins."),
    (21, "Night staff", "sceptical", "Night team meeting: training moved to 20:00 and Margaret named as their champion."),
    (21, "Agency staff", "neutral", "Log-ins are now set up before the first shift."),
    (
        24,
        "Long-serving senior carers",
        "sceptical",
        "Their concern about screen time answered; two helped write the quick-note templates.",
    ),
    (27, "Night staff", "neutral", "Wi-Fi fixed on the night round; tried the tablets at handover."),
]

# (day, group, A, D, K, A, R, note)
PULSES = [
    (3, "Long-serving senior carers", 4, 1, 2, 2, 1, "Show of hands at handover."),
    (5, "Night staff", 2, 1, 1, 1, 1, "Asked at the night handover."),
    (13, "Day care assistants", 4, 4, 2, 2, 2, "After the workshop."),
    (20, "Tech-confident carers", 5, 5, 4, 4, 3, "Champions' catch-up."),
    (24, "Long-serving senior carers", 4, 3, 3, 2, 1, "After the pilot review."),
    (26, "Night staff", 4, 4, 2, 2, 1, "At the night team meeting."),
]

# (day, kind, title, facilitator, audience, objectives, invited, attended, outcome)
ACTIVITIES = [
    (
        5,
        "team_meeting",
        "Why we are changing: the near-misses and the audit",
        "manager",
        ["Long-serving senior carers", "Day care assistants", "Tech-confident carers"],
        "Share the three near-misses and the audit findings, and hear what staff think went wrong.",
        23,
        17,
        "Most agreed that handwriting and late notes cause problems; the fear is screens replacing time with residents.",
    ),
    (
        10,
        "workshop",
        "Hands-on workshop: a shift on the tablet",
        "staff1",
        ["Long-serving senior carers", "Day care assistants", "Night staff"],
        "Let staff record a real shift's notes on a tablet, with no test and no pressure.",
        16,
        12,
        "Day care assistants asked for drop-ins; senior carers worried about screen time (see the concerns log).",
    ),
    (
        12,
        "team_meeting",
        "Night team meeting",
        "manager",
        ["Night staff", "Agency staff"],
        "Hear the night team's view, and agree training times that suit nights.",
        7,
        6,
        "Night staff asked for training at 20:00, not 14:00, and for Wi-Fi that reaches the night round.",
    ),
    (
        14,
        "newsletter",
        "Weekly one-page update, number 2",
        "manager",
        ["Tech-confident carers", "Long-serving senior carers", "Day care assistants", "Night staff", "Agency staff"],
        "What has changed this week and what we have learnt.",
        30,
        None,
        "",
    ),
    (
        21,
        "pilot_group",
        "Rowan unit pilot group: first weekly review",
        "staff1",
        ["Tech-confident carers", "Long-serving senior carers"],
        "Review a week of recording on Rowan unit: what worked, what to change (plan, do, study, act).",
        8,
        7,
        "Notes recorded within the hour rose from about 70% to 88% on Rowan; staff asked for quick-note templates.",
    ),
    (
        31,
        "drop_in",
        "Tablet drop-in in the staff room",
        "staff1",
        ["Day care assistants", "Long-serving senior carers", "Night staff"],
        "Anyone can try a tablet with a champion: no test, no pressure.",
        12,
        None,
        "",
    ),
]

# (stakeholder, channel, frequency, message, owner, last sent day, next due day, or "go_live" - n)
COMMUNICATIONS = [
    (
        "Families and representatives",
        "letter",
        "once",
        "What is changing, how the records are protected, and an invitation to the open afternoon.",
        "manager",
        9,
        None,
    ),
    ("Families and representatives", "meeting", "once", "Open afternoon: see the system and ask anything.", "manager", None, 35),
    (
        "Long-serving senior carers",
        "handover",
        "weekly",
        "What the pilot found this week, in colleagues' own words.",
        "staff1",
        23,
        30,
    ),
    (
        "Night staff",
        "handover",
        "weekly",
        "Night update: training times, who your champion is, the Wi-Fi fixes.",
        "staff3",
        19,
        26,
    ),
    ("Day care assistants", "newsletter", "weekly", "The weekly one-page update.", "manager", 24, 31),
    (
        "Operations director and nominated individual",
        "email",
        "weekly",
        "Project highlights, spend against the budget, any decision needed.",
        "manager",
        25,
        32,
    ),
    (
        "Care Quality Commission",
        "email",
        "milestone",
        "Milestone summary on request; notification of anything that stops the service running safely.",
        "manager",
        None,
        56,
    ),
    (
        "GP practice and community pharmacy",
        "letter",
        "once",
        "From go-live, care notes and medicine records are digital: how to reach the shift lead.",
        "manager",
        None,
        49,
    ),
    ("Residents", "meeting", "once", "Residents' meeting: tablets on the units, and what stays the same.", "manager", None, 33),
    (
        "Care management system supplier",
        "phone",
        "weekly",
        "Issues log, training dates and go-live readiness.",
        "manager",
        22,
        29,
    ),
    ("Agency staff", "notice", "monthly", "Agency induction sheet: your log-in and who your champion is.", "manager", 12, 40),
    (
        "Tech-confident carers",
        "team_meeting",
        "fortnightly",
        "Champions' catch-up: what colleagues are asking.",
        "staff1",
        21,
        35,
    ),
]


def seed_for_plan(ctx, plan: Plan) -> None:
    if Stakeholder.objects.filter(plan=plan).exists():
        ctx.say(f"“{plan.title}” already has its stakeholder map.")
        return
    users, manager = ctx.users, ctx.users["manager"]
    start = plan.start_date or timezone.localdate()  # the template's plan always has one

    def day(n: int) -> dt.date:
        return start + dt.timedelta(days=n)

    groups = {}
    for name, (kind, headcount, shifts, power, interest, stance, concerns, hear, strategy, owner) in STAKEHOLDERS.items():
        groups[name] = services.stakeholder_create(
            plan_id=plan.pk,
            by=manager,
            stance_on=start,
            data={
                "name": name,
                "kind": kind,
                "headcount": headcount,
                "shift_pattern": shifts,
                "power": power,
                "interest": interest,
                "stance": stance,
                "concerns": concerns,
                "needs_to_hear": hear,
                "strategy": strategy,
                "owner": users[owner],
            },
        )
    _seed_history(groups, manager, day)
    _seed_activities(plan, groups, users, day)
    _seed_concerns(plan, groups, users, day)
    _seed_champions(plan, groups, users, day)
    for name, channel, frequency, message, owner, sent, due in COMMUNICATIONS:
        services.communication_save(
            by=manager,
            item=CommunicationItem(
                plan=plan,
                stakeholder=groups[name],
                channel=channel,
                frequency=frequency,
                message=message,
                owner=users[owner],
                last_sent=day(sent) if sent is not None else None,
                next_due=day(due) if due is not None else None,
            ),
        )
    ctx.say(f"“{plan.title}”: {len(groups)} stakeholders mapped, with concerns answered and champions paired.")


def _seed_history(groups: dict, manager, day) -> None:
    for offset, name, stance, reason in STANCE_MOVES:
        stakeholder = Stakeholder.objects.get(pk=groups[name].pk)
        services.stakeholder_update(
            stakeholder=stakeholder,
            by=manager,
            data={"stance": stance},
            expected_version=stakeholder.version,
            stance_changed_on=day(offset),
            stance_reason=reason,
        )
    for offset, name, a, d, k, ab, r, note in PULSES:
        services.pulse_record(
            stakeholder=groups[name],
            by=manager,
            data={
                "taken_on": day(offset),
                "awareness": a,
                "desire": d,
                "knowledge": k,
                "ability": ab,
                "reinforcement": r,
                "note": note,
            },
        )


def _seed_activities(plan: Plan, groups: dict, users: dict, day) -> None:
    manager = users["manager"]
    made = {}
    for offset, kind, title, facilitator, audience, objectives, invited, attended, outcome in ACTIVITIES:
        made[title] = services.activity_create(
            plan_id=plan.pk,
            by=manager,
            audience=[groups[n] for n in audience],
            data={
                "kind": kind,
                "title": title,
                "held_on": day(offset),
                "facilitator": users[facilitator],
                "objectives": objectives,
                "invited": invited,
                "attended": attended,
                "outcome": outcome,
            },
        )
    services.activity_add_follow_up(
        activity=made["Hands-on workshop: a shift on the tablet"],
        by=manager,
        notify=False,
        title="Book two tablet drop-ins a week in the staff room until go-live",
        owner=users["staff1"],
        due_date=day(17),
    )


def _seed_concerns(plan: Plan, groups: dict, users: dict, day) -> None:
    manager = users["manager"]

    def concern(offset, name, channel, text, **answer):
        made = services.concern_create(
            plan_id=plan.pk,
            by=manager,
            data={"stakeholder": groups[name], "raised_on": day(offset), "channel": channel, "text": text},
        )
        if answer:
            made = services.concern_update(concern=made, by=manager, data=answer, expected_version=made.version)
        return made

    screens = concern(
        5,
        "Long-serving senior carers",
        "team_meeting",
        "We will spend more time on screens than with residents.",
        response=(
            "Notes are written now, on paper, often at the end of the shift. The tablets go with you, so a note takes "
            "a minute at the bedside instead of twenty at the desk later. We will measure time on notes on Rowan unit "
            "and share what we find."
        ),
        responded_on=day(9),
        action_taken=(
            "Tablets stay on the units, not in the office; quick-note templates for the five most common entries; "
            "the pilot measures minutes spent on notes each shift."
        ),
    )
    services.concern_create_action(
        concern=screens,
        by=manager,
        notify=False,
        owner=users["staff1"],
        due_date=day(33),
        title="Set up quick-note templates for the five most common entries",
    )
    concern(
        12,
        "Night staff",
        "team_meeting",
        "Training at 14:00 means coming in when we should be asleep.",
        response="You are right. Night-shift training will run at 20:00, before the medication round, with bank backfill.",
        responded_on=day(13),
        action_taken="Night sessions moved to 20:00, with bank backfill booked.",
    )
    logins = plan.actions.filter(title__icontains="log-ins").first()
    concern(
        12,
        "Agency staff",
        "team_meeting",
        "Agency staff will not have a log-in on their first shift.",
        response="Every agency carer's log-in will be set up 48 hours before their first shift.",
        responded_on=day(15),
        action_taken="Log-ins are requested with the booking; the shift lead checks them at handover.",
        **({"action": logins} if isinstance(logins, Action) else {}),
    )
    concern(
        20,
        "Night staff",
        "huddle",
        "What happens at night if the Wi-Fi drops?",
        response="The tablets keep working offline and catch up when the signal returns; the paper downtime pack is on each floor.",
        responded_on=day(22),
    )
    concern(24, "Families and representatives", "written", "Will my mother's records be safe online?")


def _seed_champions(plan: Plan, groups: dict, users: dict, day) -> None:
    # Two hours a week each from the second week, once briefed, to the plan's end: twelve
    # weeks, the 48 hours the template's resource holds (2 x 2 hours a week, 12 weeks).
    manager = users["manager"]
    time = Resource.objects.filter(plan=plan, kind=Resource.Kind.HUMAN, description__icontains="champion").first()
    services.champion_save(
        by=manager,
        supports=[users["staff2"]],
        groups=[groups["Long-serving senior carers"]],
        champion=Champion(
            plan=plan,
            user=users["staff1"],
            shift_pattern="days",
            protected_hours_per_week=Decimal("2"),
            protected_from=day(7),
            protected_resource=time,
            note="Lead champion; runs the drop-ins.",
        ),
    )
    services.champion_save(
        by=manager,
        groups=[groups["Night staff"], groups["Agency staff"]],
        champion=Champion(
            plan=plan,
            user=users["staff3"],
            shift_pattern="nights",
            protected_hours_per_week=Decimal("2"),
            protected_from=day(7),
            protected_resource=time,
            note="Night champion; confident with the tablets since the pilot.",
        ),
    )


def after_approval(ctx, plan: Plan) -> None:
    """The later change the approver sees on the review page: the night team comes round
    once its training moves to 20:00, and weekend bank staff join the map, resistant, on a
    shift no champion works yet."""
    if Stakeholder.objects.filter(plan=plan, name="Weekend bank staff").exists():
        return
    manager = ctx.users["manager"]
    night = Stakeholder.objects.filter(plan=plan, name="Night staff").first()
    if night is None:
        return
    services.stakeholder_update(
        stakeholder=night,
        by=manager,
        data={"stance": "supportive"},
        expected_version=night.version,
        stance_reason="The first night sessions at 20:00 went well; two asked to help at the drop-ins.",
    )
    weekend = services.stakeholder_create(
        plan_id=plan.pk,
        by=manager,
        data={
            "name": "Weekend bank staff",
            "kind": STAFF,
            "headcount": 3,
            "shift_pattern": "weekends",
            "power": 1,
            "interest": 3,
            "stance": "resistant",
            "concerns": "Nobody shows us anything: we only work weekends.",
            "needs_to_hear": "A weekend champion and a short session on a Saturday.",
            "strategy": "Keep informed: a Saturday session and a weekend champion.",
            "owner": manager,
        },
    )
    services.communication_save(
        by=manager,
        item=CommunicationItem(
            plan=plan,
            stakeholder=weekend,
            channel="notice",
            frequency="weekly",
            owner=manager,
            message="Weekend update: what changed this week, and when the Saturday session is.",
            next_due=min(plan.end_date, plan.start_date + dt.timedelta(days=34)) if plan.end_date and plan.start_date else None,
        ),
    )


LARGE_GROUPS = 40  # per scale, on the large benchmark plan


def seed_large_map(ctx, plan: Plan, scale: int) -> None:
    """The large benchmark plan's map (StakeholderPart.seed_large): the demo's map, its
    activities, concerns and champions, then more groups (each with a message in the
    communication plan) up to 40 per scale."""
    seed_for_plan(ctx, plan)
    manager = ctx.users["manager"]
    today = timezone.localdate()
    have = Stakeholder.objects.filter(plan=plan).count()
    for i in range(max(0, LARGE_GROUPS * scale - have)):
        group = services.stakeholder_create(
            plan_id=plan.pk,
            by=manager,
            stance_on=plan.start_date or today,
            data={
                "name": f"Unit team {i + 1}",
                "kind": STAFF,
                "headcount": 4 + i % 9,
                "shift_pattern": "days" if i % 2 else "nights",
                "power": 1 + i % 3,
                "interest": 1 + (i * 2) % 5,
                "stance": ("supportive", "neutral", "champion")[i % 3],
                "concerns": "Whether the devices will be charged at the start of each shift.",
                "needs_to_hear": "Who to ask on their own shift, and when their training is.",
                "strategy": "Briefed at the unit huddle; paired with the unit's champion.",
                "owner": manager,
            },
        )
        services.communication_save(
            by=manager,
            item=CommunicationItem(
                plan=plan,
                stakeholder=group,
                channel=CommunicationItem.Channel.TEAM_MEETING,
                frequency=CommunicationItem.Frequency.WEEKLY,
                message="Unit huddle: what changes this week.",
                owner=manager,
                next_due=today + dt.timedelta(days=1 + i % 7),
            ),
        )
    ctx.say(f"“{plan.title}”: {Stakeholder.objects.filter(plan=plan).count()} stakeholders mapped.")
