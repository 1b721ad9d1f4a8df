"""The part as plans sees it: snapshot, readiness, appendix, revision and review blocks,
drift, the supportive-share series, panels and reminder lines."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone
from pypdf import PdfReader

from oakview.core.dashboard import panels_for
from oakview.core.formats import long_date
from oakview.core.models import Role
from plans.models import Plan
from plans.parts import Appendix, Block, build_snapshot, find_series, get_part, readiness_problems
from plans.pdf.render import build_html, render_snapshot
from plans.services.notifications import send_overdue_reminders
from stakeholders import snapshot as snap_module
from tests.factories import PlanFactory, ResourceFactory, member

from .conftest import set_status
from .factories import (
    ActivityFactory,
    AdkarPulseFactory,
    ChampionFactory,
    CommunicationFactory,
    ConcernFactory,
    StakeholderFactory,
    StanceChangeFactory,
)

TODAY = timezone.localdate


def part():
    return get_part("stakeholders")


def problems(plan):
    return [p for p in readiness_problems(plan) if p.part == "stakeholders"]


def test_the_part_describes_itself():
    p = part()
    assert (p.key, p.section, p.title) == ("stakeholders", 3, "Gaining support")
    kinds = {k.key: k for k in p.row_kinds}
    assert set(kinds) == set(snap_module.ROW_KEYS)
    assert kinds["concerns"].label({"id": 4, "concern": "More screen time?"}) == "More screen time?"
    assert kinds["engagements"].singular == "Engagement activity"
    assert p.field_labels["action_taken"] == "We did"


def test_snapshot_is_plain_json_with_its_own_version(personas, plan):
    s = StakeholderFactory(
        plan=plan,
        name="Night staff",
        shift_pattern="nights",
        stance="resistant",
        power=3,
        interest=4,
        owner=personas.manager,
        strategy="Night team meeting",
    )
    StanceChangeFactory(stakeholder=s, stance="sceptical", changed_on=TODAY(), reason="Training moved")
    AdkarPulseFactory(stakeholder=s, taken_on=TODAY())
    ConcernFactory(
        plan=plan, stakeholder=s, text="We sleep at 14:00", response="Moved to 20:00", status="answered", responded_on=TODAY()
    )
    activity = ActivityFactory(plan=plan, title="Night drop-in", facilitator=personas.staff)
    activity.audience.add(s)
    champion = ChampionFactory(
        plan=plan,
        user=personas.staff,
        shift_pattern="nights",
        protected_hours_per_week=Decimal("2"),
        protected_resource=ResourceFactory(plan=plan, kind="human"),
    )
    champion.supports.add(personas.approver)
    champion.groups.add(s)
    CommunicationFactory(plan=plan, stakeholder=s, message="Night update", owner=personas.manager)
    snap = build_snapshot(plan)
    assert json.loads(json.dumps(snap)) == snap
    mine = snap["stakeholders"]
    assert mine["version"] == 2
    (row,) = mine["stakeholders"]
    assert {k: row[k] for k in ("name", "kind", "shift_pattern", "quadrant", "stance", "owner", "headcount")} == {
        "name": "Night staff",
        "kind": "Staff group",
        "shift_pattern": "Nights",
        "quadrant": "Manage closely",
        "stance": "Resistant",
        "owner": "Sarah Okafor",
        "headcount": 4,
    }
    assert [(c["stance"], c["reason"]) for c in mine["stance_changes"]] == [
        ("Resistant", "First mapped"),
        ("Sceptical", "Training moved"),
    ]
    assert mine["pulses"][0]["barrier"] == "Desire" and mine["pulses"][0]["action"] == "Involve and listen"
    assert mine["concerns"][0]["status"] == "Answered" and mine["concerns"][0]["raised_by"] == "Night staff"
    assert mine["engagements"][0]["audience"] == [{"id": s.pk, "name": "Night staff"}]
    assert mine["champions"][0] == {
        "id": champion.pk,
        "name": "Priya Sharma",
        "shift_pattern": "Nights",
        "supports": [{"id": personas.approver.pk, "name": "David Hughes"}],
        "groups": [{"id": s.pk, "name": "Night staff"}],
        "people": 5,
        "max_supported": 8,
        "protected_hours_per_week": "2.0",
        "protected_from": None,
        "protected_resource": champion.protected_resource.description,
        "note": "",
    }
    assert mine["communications"][0]["message"] == "Night update"


@pytest.mark.parametrize("n", [3, 30])
def test_snapshot_query_count_does_not_grow(plan, django_assert_num_queries, n):
    for _ in range(n):
        s = StakeholderFactory(plan=plan)
        AdkarPulseFactory(stakeholder=s)
        ConcernFactory(plan=plan, stakeholder=s)
        CommunicationFactory(plan=plan, stakeholder=s)
        ActivityFactory(plan=plan).audience.add(s)
        ChampionFactory(plan=plan).groups.add(s)
    # stakeholders with owners, stance changes, pulses, concerns with actions, activities with
    # facilitators, their audiences, their follow-ups, champions with users and resources,
    # their supported people, their groups, communications with stakeholders and owners
    with django_assert_num_queries(11):
        part().snapshot(plan)


# --- Readiness --------------------------------------------------------------------------------


def test_an_empty_plan_is_asked_for_a_map_an_activity_and_a_champion(plan):
    found = problems(plan)
    assert [p.blocking for p in found] == [True, True, True]
    assert "Map the stakeholders" in found[0].message and found[0].url == f"/plans/{plan.pk}/stakeholders/"
    assert "at least one engagement activity" in found[1].message and found[1].url.endswith("#activities")
    assert "at least one change champion" in found[2].message and found[2].url.endswith("#champions")


def test_a_ready_plan_has_no_problems(plan):
    StakeholderFactory(plan=plan, stance="supportive")
    ActivityFactory(plan=plan)
    ChampionFactory(plan=plan)
    assert problems(plan) == []


@pytest.mark.parametrize(
    "stance,power,strategy,message,words",
    [
        ("resistant", 3, "", False, "has no strategy for engaging them and no item in the communication plan"),
        ("sceptical", 5, "One-to-ones", False, "has no item in the communication plan"),
        ("resistant", 4, "", True, "has no strategy for engaging them"),
        ("resistant", 2, "", False, None),  # low power: keep informed, not a readiness matter
        ("neutral", 5, "", False, None),
        ("resistant", 3, "One-to-ones", True, None),
    ],
)
def test_powerful_doubters_need_a_strategy_and_a_message(plan, stance, power, strategy, message, words):
    s = StakeholderFactory(plan=plan, name="Senior carers", stance=stance, power=power, strategy=strategy)
    if message:
        CommunicationFactory(plan=plan, stakeholder=s)
    ActivityFactory(plan=plan)
    ChampionFactory(plan=plan)
    found = problems(plan)
    if words is None:
        assert found == []
    else:
        (problem,) = found
        assert problem.blocking and problem.message.startswith(f"Senior carers ({stance}, power {power}) {words}")


def test_an_unanswered_concern_over_fourteen_days_is_a_warning_not_a_block(plan):
    StakeholderFactory(plan=plan, stance="supportive")
    ActivityFactory(plan=plan)
    ChampionFactory(plan=plan)
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=14))  # today is day 14: not yet
    assert problems(plan) == []
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=15))
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=30), response="Answered", status="answered")
    (problem,) = problems(plan)
    assert not problem.blocking
    assert problem.message.startswith("1 concern raised more than 14 days ago has no response yet")
    assert problem.url == f"/plans/{plan.pk}/concerns/?status=overdue"


def test_a_shift_without_a_champion_is_a_warning(plan):
    StakeholderFactory(plan=plan, name="Night staff", shift_pattern="nights", stance="resistant", headcount=5)
    ActivityFactory(plan=plan)
    ChampionFactory(plan=plan, shift_pattern="days")
    (problem,) = problems(plan)
    assert not problem.blocking and "No champion works nights" in problem.message


# --- Documents from the snapshot ------------------------------------------------------------------


@pytest.fixture
def stored():
    with open("tests/stakeholders/snapshots/v1.json", encoding="utf-8") as f:
        return json.load(f)


def test_the_stored_version_1_snapshot_still_makes_its_appendix(db, stored, django_assert_num_queries):
    with django_assert_num_queries(0):  # from the snapshot alone: an old revision never reads today's data
        (appendix,) = part().appendices(stored)
        html = render_to_string(appendix.template, {**appendix.context, "label": "Appendix D", "title": appendix.title})
    assert isinstance(appendix, Appendix) and appendix.section == 3
    assert appendix.title == "Stakeholder map, engagement and communication plan"
    assert "<h2>Appendix D: Stakeholder map, engagement and communication plan</h2>" in html
    names = [s["name"] for s in stored["stakeholders"]["stakeholders"]]
    assert len(names) == 11 and all(name in html for name in names)
    assert html.count('class="marker marker-') >= 11 + 5  # every stakeholder, plus the key
    assert '<title id="pdf-support-grid-title">' in html and '<desc id="pdf-support-grid-desc">' in html
    assert "Staff stance over time" in html and "We will spend more time on screens than with residents." in html
    assert "Night staff, Agency staff" in html or "Agency staff, Night staff" in html  # Margaret's groups


def test_the_stored_snapshot_renders_in_the_whole_pdf_under_question_3(db, stored):
    meta = {
        "number": 1,
        "status": "Approved",
        "submitted_by": "Sarah Okafor",
        "submitted_at": timezone.now(),
        "decisions": [],
        "approver": "",
        "approved_at": None,
    }
    html = build_html(stored, meta)
    support = html[html.index('id="section-support"') : html.index('id="section-implementation"')]
    assert "Stakeholder map, engagement and communication plan" in support  # referred to from question 3
    assert html.count("<h2>Appendix") >= 1 and 'aria-labelledby="pdf-support-grid-title pdf-support-grid-desc"' in html


def test_the_stored_snapshot_prints_its_appendix_with_the_grid(db, stored):
    meta = {
        "number": 1,
        "status": "Approved",
        "submitted_by": "Sarah Okafor",
        "submitted_at": timezone.now(),
        "decisions": [],
        "approver": "",
        "approved_at": None,
    }
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_snapshot(stored, meta))).pages]
    start = next(
        i
        for i, text in enumerate(pages)
        if text.lstrip().startswith("Appendix ") and "Stakeholder map, engagement and communication plan" in text.split("\n")[0]
    )
    appendix = " ".join(" ".join(pages[start:]).split())  # table cells wrap names over lines
    assert "Power →" in pages[start] and "Keep satisfied" in pages[start]  # the grid is drawn, as text and shapes
    for name in ("Long-serving senior carers", "Care Quality Commission", "Margaret Bell", "You said, we did"):
        assert name in appendix
    assert "We will spend more time on screens than with residents." in appendix


def test_a_snapshot_from_before_this_part_shows_nothing_of_it():
    with open("tests/plans/snapshots/schema1.json", encoding="utf-8") as f:
        old = json.load(f)
    assert "stakeholders" not in old
    assert part().appendices(old) == [] and part().revision_blocks(old) == [] and part().approver_summary(old) == []
    assert part().drift(old, old) == []


def test_revision_and_review_blocks_come_from_the_snapshot(db, stored, django_assert_num_queries):
    with django_assert_num_queries(0):
        (block,) = part().revision_blocks(stored)
        html = render_to_string(block.template, {"block": block.context})  # as the kernel includes it
        (summary,) = part().approver_summary(stored)
        brief = render_to_string(summary.template, {"block": summary.context})
    assert isinstance(block, Block) and block.section == 3
    assert "You said, we did" in html and "Tech-confident carers" in html and "Margaret Bell" in html
    assert 'aria-labelledby="rev-support-grid-title rev-support-grid-desc"' in html
    assert "Staff (30 people)" in brief and "56.7% supportive" in brief and "Champion cover: every resistant shift" in brief


def test_a_version_1_snapshot_reads_with_no_start_to_protected_time(stored):
    assert stored["stakeholders"]["version"] == 1
    champions = snap_module.read(stored)["champions"]
    assert champions and all(c["protected_from"] is None for c in champions)


# --- Drift --------------------------------------------------------------------------------------


def test_drift_names_a_removed_champion_and_a_lost_shift_as_material(stored):
    live = json.loads(json.dumps(stored))
    mine = live["stakeholders"]
    margaret = next(c for c in mine["champions"] if c["name"] == "Margaret Bell")
    mine["champions"].remove(margaret)
    night = next(s for s in mine["stakeholders"] if s["name"] == "Night staff")
    night["stance"] = "Resistant"
    mine["engagements"].pop(0)
    mine["stakeholders"].append(
        {
            "id": 999,
            "name": "Weekend bank staff",
            "kind": "Staff group",
            "headcount": 3,
            "shift_pattern": "Weekends",
            "power": 4,
            "interest": 3,
            "stance": "Resistant",
        }
    )
    found = part().drift(stored, live)
    assert [(d.material, d.message) for d in found] == [
        (True, "Champion Margaret Bell was in the approved plan and has been removed."),
        (
            True,
            "The team meeting 'Why we are changing: the near-misses and the audit' was in the approved plan and has been removed.",
        ),
        (True, "Nights had a champion in the approved plan and now has none, though Night staff still doubt the change."),
        (False, "New since approval: Weekend bank staff, resistant with power 4."),
    ]
    assert part().drift(stored, stored) == []


# --- The series the evaluation app reads ------------------------------------------------------------


def test_the_supportive_share_is_a_series_other_parts_can_read(plan):
    plan.start_date = TODAY() - dt.timedelta(days=TODAY().weekday() + 14)  # a Monday two weeks back
    plan.save()
    s = StakeholderFactory(plan=plan, headcount=3, stance="resistant", mapped_on=plan.start_date)
    StakeholderFactory(plan=plan, headcount=1, stance="champion", mapped_on=plan.start_date)
    StakeholderFactory(plan=plan, kind="family", shift_pattern="", headcount=40, stance="resistant")  # not staff
    StanceChangeFactory(stakeholder=s, stance="supportive", changed_on=plan.start_date + dt.timedelta(days=8))
    series = find_series(plan, "stakeholders.supportive_share")
    assert (series.key, series.unit) == ("supportive_share", "%")
    weeks = [plan.start_date + dt.timedelta(days=7 * i) for i in range(3)]
    assert series.points == ((weeks[0].isoformat(), 25.0), (weeks[1].isoformat(), 100.0), (weeks[2].isoformat(), 100.0))


# --- Panels and reminders ----------------------------------------------------------------------------


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_plan_page_panel_is_for_those_who_may_read_the_map(personas, plan):
    StakeholderFactory(plan=plan, stance="supportive", headcount=3)
    plan.viewer_role = Role.MANAGER
    (panel,) = part().plan_panels(_request(personas.manager), plan)
    assert panel.slot == "support" and panel.context["summary"].supportive_share == 100.0
    html = render_to_string(panel.template, {"panel": panel.context})
    assert "100% of staff supportive" in html and f"/plans/{plan.pk}/engagement/" in html
    plan.viewer_role = Role.STAFF
    assert part().plan_panels(_request(personas.staff), plan) == []  # a draft is the manager's working paper
    set_status(plan, Plan.Status.APPROVED)
    plan.viewer_role = Role.STAFF
    assert len(part().plan_panels(_request(personas.staff), plan)) == 1


def test_a_champion_sees_who_they_support_and_the_next_activity(personas, plan, django_assert_num_queries):
    group = StakeholderFactory(plan=plan, name="Night staff", headcount=5)
    champion = ChampionFactory(plan=plan, user=personas.staff, shift_pattern="nights")
    champion.supports.add(personas.approver)
    champion.groups.add(group)
    ActivityFactory(plan=plan, title="Held last week", held_on=TODAY() - dt.timedelta(days=7))
    ActivityFactory(
        plan=plan, title="Night drop-in", kind="drop_in", held_on=TODAY() + dt.timedelta(days=2), invited=6, attended=None
    )
    ActivityFactory(plan=plan, title="Later workshop", held_on=TODAY() + dt.timedelta(days=9), attended=None)
    # the user's homes, champions with plans and homes, supported people, groups, upcoming activities
    with django_assert_num_queries(5):
        (panel,) = part().my_actions_panels(_request(personas.staff), personas.staff)
    html = render_to_string(panel.template, {"panel": panel.context})
    assert "You are a change champion" in html and "David Hughes; Night staff (5 people)" in html
    assert "Drop-in, “Night drop-in”" in html and "Later workshop" not in html
    assert part().my_actions_panels(_request(personas.viewer), personas.viewer) == []
    set_status(plan, Plan.Status.CLOSED)
    assert part().my_actions_panels(_request(personas.staff), personas.staff) == []


SITE = "https://oakview.example"


@pytest.fixture
def waiting(personas, plan, settings):
    """An overdue message for Priya, one due today, and two concerns past 14 days."""
    settings.SITE_URL = SITE
    s = StakeholderFactory(plan=plan, name="Night staff")
    CommunicationFactory(
        plan=plan,
        stakeholder=s,
        owner=personas.staff,
        message="Night update",
        channel="handover",
        next_due=TODAY() - dt.timedelta(days=3),
    )
    CommunicationFactory(plan=plan, stakeholder=s, owner=personas.staff, next_due=TODAY())  # due today: not late
    CommunicationFactory(
        plan=plan, stakeholder=s, owner=personas.stranger, next_due=TODAY() - dt.timedelta(days=9)
    )  # not in the home
    ConcernFactory(plan=plan, stakeholder=s, raised_on=TODAY() - dt.timedelta(days=20))
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=15))
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=14))  # day 14: not yet
    return plan


def test_reminder_lines_are_overdue_messages_for_their_owners_and_waiting_concerns_for_managers(personas, waiting):
    lines = part().reminder_lines(TODAY())
    assert lines == {
        personas.staff.pk: [
            f"Message to Night staff (handover or huddle): “Night update”, due {long_date(TODAY() - dt.timedelta(days=3))}, "
            f"3 days ago (Digital care records, Oak View): {SITE}/plans/{waiting.pk}/engagement/"
        ],
        personas.manager.pk: [
            f"2 concerns in “Digital care records” (Oak View) have waited over 14 days for an answer, "
            f"the oldest since {long_date(TODAY() - dt.timedelta(days=20))}: {SITE}/plans/{waiting.pk}/concerns/?status=overdue"
        ],
    }
    set_status(waiting, Plan.Status.CLOSED)
    assert part().reminder_lines(TODAY()) == {}


@pytest.mark.parametrize("n", [2, 20])
def test_reminder_lines_take_three_queries_whatever_the_number_of_plans(personas, django_assert_num_queries, n):
    for i in range(n):
        other = PlanFactory(home=personas.home, author=personas.manager, title=f"Plan {i}")
        s = StakeholderFactory(plan=other)
        CommunicationFactory(plan=other, stakeholder=s, owner=personas.staff, next_due=TODAY() - dt.timedelta(days=2))
        ConcernFactory(plan=other, stakeholder=s, raised_on=TODAY() - dt.timedelta(days=30))
    # overdue messages with stakeholder, plan and home; concerns waiting, per plan; the homes' managers
    with django_assert_num_queries(3):
        lines = part().reminder_lines(TODAY())
    assert len(lines[personas.staff.pk]) == n and len(lines[personas.manager.pk]) == n


def test_the_daily_reminder_mail_carries_these_lines(personas, waiting, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders(today=TODAY()) == 2  # Priya and Sarah; the stranger is not in the home
    mails = {m.to[0]: m for m in mailoutbox}
    assert "Message to Night staff (handover or huddle): “Night update”" in mails[personas.staff.email].body
    assert "2 concerns in “Digital care records” (Oak View) have waited over 14 days" in mails[personas.manager.email].body
    assert personas.stranger.email not in mails


def test_the_dashboard_shows_managers_what_is_waiting(personas, plan):
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=20))
    ConcernFactory(plan=plan, raised_on=TODAY() - dt.timedelta(days=3))
    CommunicationFactory(plan=plan, next_due=TODAY() - dt.timedelta(days=1))
    roles = {personas.home.pk: Role.MANAGER}
    panel = next(p for p in panels_for(_request(personas.manager), roles) if p.template == "stakeholders/_dashboard.html")
    html = render_to_string(panel.template, {"panel": panel.context})
    assert "1 concern unanswered for over 14 days." in html and "1 message overdue" in html
    assert f"/plans/{plan.pk}/concerns/?status=overdue" in html
    staff_panels = panels_for(_request(personas.staff), {personas.home.pk: Role.STAFF})
    assert all(p.template != "stakeholders/_dashboard.html" for p in staff_panels)
    other = member(personas.other_home, Role.MANAGER, "t-other")
    other_panel = next(
        p
        for p in panels_for(_request(other), {personas.other_home.pk: Role.MANAGER})
        if p.template == "stakeholders/_dashboard.html"
    )
    assert other_panel.context["concern_total"] == 0  # another home's plan never shows


def test_a_revision_with_nothing_recorded_has_no_appendix_or_block(plan):
    snap = build_snapshot(plan)
    assert snap["stakeholders"]["version"] == 2 and not snap["stakeholders"]["stakeholders"]
    assert part().appendices(snap) == [] and part().revision_blocks(snap) == [] and part().approver_summary(snap) == []


# --- The review diff --------------------------------------------------------------------------------


def test_the_diff_names_rows_and_fields_and_leaves_out_ids_history_and_routine_sends(stored):
    new = json.loads(json.dumps(stored))["stakeholders"]
    new["version"] = 2  # a newer snapshot of the same plan: not a change anyone made
    cqc = next(s for s in new["stakeholders"] if s["name"] == "Care Quality Commission")
    new["stakeholders"].remove(cqc)  # with its stance history and its message
    new["stance_changes"] = [c for c in new["stance_changes"] if c["stakeholder_id"] != cqc["id"]]
    new["communications"] = [c for c in new["communications"] if c["stakeholder"] != cqc["name"]]
    new["communications"][0].update(last_sent="2026-12-20", next_due="2026-12-27")  # sent, due again
    new["communications"][1]["frequency"] = "Fortnightly"
    new["concerns"].append({"id": 900, "raised_on": "2026-12-10", "raised_by": "Night staff", "concern": "Wi-Fi at night?"})
    new["stakeholders"].append({"id": 901, "name": "Weekend bank staff", "stance": "Resistant"})
    new["stance_changes"].append({"id": 902, "stakeholder_id": 901, "stakeholder": "Weekend bank staff", "stance": "Resistant"})
    changes = part().diff(stored["stakeholders"], new)
    assert [(c.kind, c.label) for c in changes] == [
        ("added", "Stakeholder: Weekend bank staff"),  # its first stance is said here, not again as a stance change
        ("removed", "Stakeholder: Care Quality Commission"),
        ("added", "Concern: Wi-Fi at night?"),
        ("removed", "Communication: Milestone summary on request; notification of anything that stops the service running saf…"),
        ("changed", f"Communication: {new['communications'][1]['message']}"),
    ]
    assert changes[2].details == [("Raised on", "", "10 Dec 2026"), ("Raised by", "", "Night staff")]  # its words are the title
    assert changes[4].details == [("How often", "Weekly", "Fortnightly")]
    assert part().diff(stored["stakeholders"], stored["stakeholders"]) == []
    assert part().diff(None, None) == []
