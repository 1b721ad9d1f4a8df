"""Every page for every persona, adding and editing (plain and htmx), bad input beside the
field with nothing lost, locked plans, confirmation before deleting, and the CSVs."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from oakview.core.models import Role
from plans.models import Action, Plan
from stakeholders.models import (
    AdkarPulse,
    Champion,
    CommunicationItem,
    Concern,
    EngagementActivity,
    Stakeholder,
)
from tests.factories import member

from .conftest import set_status
from .factories import (
    ActivityFactory,
    AdkarPulseFactory,
    ChampionFactory,
    CommunicationFactory,
    ConcernFactory,
    StakeholderFactory,
)

TODAY = timezone.localdate


def iso(days: int = 0) -> str:
    return (TODAY() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def rows(personas, plan):
    s = StakeholderFactory(plan=plan, name="Night staff", shift_pattern="nights", stance="resistant")
    return {
        "s": s,
        "pulse": AdkarPulseFactory(stakeholder=s, taken_on=TODAY()),
        "concern": ConcernFactory(plan=plan, stakeholder=s, text="Training at 14:00 is when we sleep."),
        "activity": ActivityFactory(plan=plan, held_on=TODAY() - dt.timedelta(days=1)),
        "champion": ChampionFactory(plan=plan),
        "item": CommunicationFactory(plan=plan, stakeholder=s),
        "new_champion": member(personas.home, Role.STAFF, "t-night"),
    }


def version(model, pk) -> str:
    return str(model.objects.get(pk=pk).version)


def write_urls(plan, r, personas):
    """(name, url, good POST payload) in an order where each POST leaves the next one valid."""
    s, c, a, ch, i = r["s"], r["concern"], r["activity"], r["champion"], r["item"]
    group = {
        "name": "Agency staff",
        "kind": "staff_group",
        "headcount": "3",
        "shift_pattern": "nights",
        "power": "1",
        "interest": "2",
        "stance": "sceptical",
    }
    action = {"title": "Move night training to 20:00", "owner": personas.staff.pk, "due_date": iso(7)}
    return [
        ("stakeholder-create", f"/plans/{plan.pk}/stakeholders/new/", lambda: group),
        (
            "stakeholder-edit",
            f"/stakeholders/{s.pk}/edit/",
            lambda: {**group, "name": "Night staff", "stance_reason": "Training moved", "version": version(Stakeholder, s.pk)},
        ),
        (
            "pulse-create",
            f"/stakeholders/{s.pk}/pulses/new/",
            lambda: {"taken_on": iso(), "awareness": "4", "desire": "2", "knowledge": "2", "ability": "1", "reinforcement": "1"},
        ),
        (
            "activity-create",
            f"/plans/{plan.pk}/engagement/new/",
            lambda: {
                "title": "Night drop-in",
                "kind": "drop_in",
                "held_on": iso(-1),
                "invited": "6",
                "attended": "5",
                "audience": [s.pk],
            },
        ),
        (
            "activity-edit",
            f"/stakeholders/activities/{a.pk}/edit/",
            lambda: {
                "title": "Workshop",
                "kind": "workshop",
                "held_on": iso(-1),
                "invited": "9",
                "attended": "9",
                "version": version(EngagementActivity, a.pk),
            },
        ),
        ("activity-follow-up", f"/stakeholders/activities/{a.pk}/follow-up/", lambda: action),
        (
            "champion-create",
            f"/plans/{plan.pk}/champions/new/",
            lambda: {
                "user": r["new_champion"].pk,
                "shift_pattern": "nights",
                "max_supported": "8",
                "protected_hours_per_week": "0",
                "groups": [s.pk],
            },
        ),
        (
            "champion-edit",
            f"/stakeholders/champions/{ch.pk}/edit/",
            lambda: {
                "user": ch.user_id,
                "shift_pattern": "days",
                "max_supported": "6",
                "protected_hours_per_week": "0",
                "version": version(Champion, ch.pk),
            },
        ),
        (
            "communication-create",
            f"/plans/{plan.pk}/communications/new/",
            lambda: {
                "stakeholder": s.pk,
                "message": "Night update",
                "channel": "handover",
                "frequency": "weekly",
                "next_due": iso(3),
            },
        ),
        (
            "communication-edit",
            f"/stakeholders/communications/{i.pk}/edit/",
            lambda: {
                "stakeholder": s.pk,
                "message": "Night update",
                "channel": "handover",
                "frequency": "weekly",
                "next_due": iso(3),
                "version": version(CommunicationItem, i.pk),
            },
        ),
        (
            "communication-sent",
            f"/stakeholders/communications/{i.pk}/sent/",
            lambda: {"sent_on": iso(), "next_due": iso(7), "version": version(CommunicationItem, i.pk)},
        ),
        (
            "concern-create",
            f"/plans/{plan.pk}/concerns/new/",
            lambda: {"stakeholder": s.pk, "raised_on": iso(-1), "channel": "huddle", "text": "What if the Wi-Fi drops?"},
        ),
        (
            "concern-edit",
            f"/stakeholders/concerns/{c.pk}/edit/",
            lambda: {
                "stakeholder": s.pk,
                "raised_on": iso(-2),
                "channel": "team_meeting",
                "text": "Training at 14:00 is when we sleep.",
                "version": version(Concern, c.pk),
            },
        ),
        (
            "concern-respond",
            f"/stakeholders/concerns/{c.pk}/respond/",
            lambda: {"response": "Night training moves to 20:00.", "responded_on": iso(), "version": version(Concern, c.pk)},
        ),
        ("concern-action", f"/stakeholders/concerns/{c.pk}/action/", lambda: action),
        ("pulse-delete", f"/stakeholders/pulses/{r['pulse'].pk}/delete/", lambda: {}),
        ("concern-delete", f"/stakeholders/concerns/{c.pk}/delete/", lambda: {}),
        ("activity-delete", f"/stakeholders/activities/{a.pk}/delete/", lambda: {}),
        ("champion-delete", f"/stakeholders/champions/{ch.pk}/delete/", lambda: {}),
        ("communication-delete", f"/stakeholders/communications/{i.pk}/delete/", lambda: {}),
        ("stakeholder-delete", f"/stakeholders/{s.pk}/delete/", lambda: {}),
    ]


def read_urls(plan, r):
    return [
        f"/plans/{plan.pk}/stakeholders/",
        f"/plans/{plan.pk}/stakeholders.csv",
        f"/stakeholders/{r['s'].pk}/",
        f"/plans/{plan.pk}/engagement/",
        f"/plans/{plan.pk}/engagement.csv",
        f"/plans/{plan.pk}/champions.csv",
        f"/plans/{plan.pk}/communications.csv",
        f"/plans/{plan.pk}/concerns/",
        f"/plans/{plan.pk}/concerns.csv",
    ]


# (persona, plan status, expected for reads, expected for writes)
PERMISSIONS = [
    ("anonymous", "draft", 302, 302),
    ("stranger", "draft", 404, 404),
    ("stranger", "approved", 404, 404),
    ("staff", "draft", 403, 403),
    ("viewer", "in_review", 403, 403),
    ("staff", "approved", 200, 403),
    ("viewer", "in_progress", 200, 403),
    ("approver", "draft", 200, 403),
    ("approver", "in_review", 200, 403),
    ("manager", "draft", 200, 200),
]


@pytest.mark.parametrize("who,status,read,write", PERMISSIONS)
def test_every_view_for_every_persona(personas, plan, rows, who, status, read, write):
    set_status(plan, status)
    client = personas.client(None if who == "anonymous" else getattr(personas, who))
    for url in read_urls(plan, rows):
        response = client.get(url)
        assert response.status_code == read, (url, response.status_code)
        if read == 302:
            assert response["Location"].startswith("/accounts/login/")
    for name, url, payload in write_urls(plan, rows, personas):
        response = client.get(url)
        assert response.status_code == write, (name, "GET", response.status_code)
        response = client.post(url, payload())
        expected = 302 if write == 200 else write  # the manager's good POST redirects
        assert response.status_code == expected, (name, "POST", response.status_code, response.content[:3000])
    if who == "manager":
        # Every write landed: the deletes at the end removed everything they name.
        assert not Stakeholder.objects.filter(pk=rows["s"].pk).exists()
        assert Action.objects.filter(plan=plan, title="Move night training to 20:00").count() == 2


def test_a_get_on_a_delete_shows_what_will_go_and_deletes_nothing(personas, plan, rows):
    client = personas.client(personas.manager)
    page = client.get(f"/stakeholders/{rows['s'].pk}/delete/").text
    assert "Delete stakeholder “Night staff”?" in page and "1 concern they raised stays in the log" in page
    assert Stakeholder.objects.filter(pk=rows["s"].pk).exists()


def test_read_only_personas_see_no_edit_controls(personas, plan, rows):
    set_status(plan, Plan.Status.APPROVED)
    for who in ("staff", "viewer", "approver"):
        client = personas.client(getattr(personas, who))
        for url in (f"/plans/{plan.pk}/stakeholders/", f"/plans/{plan.pk}/engagement/", f"/plans/{plan.pk}/concerns/"):
            page = client.get(url).text
            assert "Night staff" in page
            assert "/edit/" not in page and "/delete/" not in page and "Add a" not in page, (who, url)


@pytest.mark.parametrize("status", ["in_review", "closed"])
def test_the_manager_is_told_why_a_locked_plan_cannot_change(personas, plan, rows, status):
    set_status(plan, status)
    client = personas.client(personas.manager)
    page = client.get(f"/plans/{plan.pk}/stakeholders/").text
    assert "cannot be changed now" in page and "Add a stakeholder" not in page
    response = client.post(f"/plans/{plan.pk}/stakeholders/new/", {"name": "X"}, follow=True)
    assert "cannot be changed" in response.text
    assert Stakeholder.objects.count() == 1


# --- Adding and editing on the map --------------------------------------------------------------

GROUP = {
    "name": "Long-serving senior carers",
    "kind": "staff_group",
    "headcount": "6",
    "shift_pattern": "days",
    "power": "3",
    "interest": "4",
    "stance": "resistant",
    "concerns": "More time on screens than with residents.",
}


def test_manager_adds_a_stakeholder_with_a_plain_form(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/stakeholders/new/", {**GROUP, "owner": personas.staff.pk}
    )
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/stakeholders/#stakeholder-list"
    s = Stakeholder.objects.get()
    assert (s.name, s.quadrant.name, s.owner) == ("Long-serving senior carers", "Manage closely", personas.staff)


def test_manager_adds_a_stakeholder_with_htmx_and_the_grid_shows_it(personas, plan):
    client = personas.client(personas.manager)
    response = client.post(f"/plans/{plan.pk}/stakeholders/new/", GROUP, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="stakeholder-map")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div id="stakeholder-map">')  # the fragment, not the page
    assert "Added Long-serving senior carers (manage closely, resistant)." in html
    assert "Power 3, interest 4 (manage closely): 1. Long-serving senior carers (resistant)" in html  # the grid square's name
    assert 'class="marker marker-resistant"' in html


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    "change,message",
    [
        ({"power": "6"}, "Choose power from 1 (Very little) to 5 (Decisive)."),
        ({"interest": ""}, "Choose interest from 1 (Very low) to 5 (Very high)."),
        ({"kind": "family"}, "Only staff groups have a shift pattern"),
        ({"owner": "999999"}, "Choose someone who is a member of Oak View."),
        ({"concerns": "<script>alert('x')</script>"}, "Write this as plain text"),
        ({"headcount": "0"}, "A stakeholder is at least one person."),
    ],
)
def test_bad_input_is_explained_beside_the_field_and_the_typing_kept(personas, plan, htmx, change, message):
    client = personas.client(personas.manager)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "stakeholder-map"} if htmx else {}
    response = client.post(f"/plans/{plan.pk}/stakeholders/new/", {**GROUP, **change}, **headers)
    assert response.status_code == (200 if htmx else 400)
    assert message in response.content.decode()
    assert "More time on screens than with residents." in response.content.decode() or "concerns" in change
    assert 'aria-invalid="true"' in response.text or "is-invalid" in response.text
    assert not Stakeholder.objects.exists()


def test_a_stranger_cannot_be_made_owner_by_a_crafted_post(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/stakeholders/new/", {**GROUP, "owner": personas.stranger.pk}
    )
    assert response.status_code == 400 and "Choose someone who is a member of Oak View." in response.text


def test_editing_the_stance_records_why_and_a_stale_form_is_refused(personas, plan):
    s = StakeholderFactory(plan=plan, name="Night staff", shift_pattern="nights", stance="resistant")
    client = personas.client(personas.manager)
    data = {**GROUP, "name": "Night staff", "shift_pattern": "nights", "stance": "sceptical", "version": "1"}
    response = client.post(f"/stakeholders/{s.pk}/edit/", data)
    assert response.status_code == 400 and "Say what moved them" in response.text
    response = client.post(f"/stakeholders/{s.pk}/edit/", {**data, "stance_reason": "Training moved to 20:00"})
    assert response.status_code == 302
    assert s.stance_changes.last().reason == "Training moved to 20:00"
    response = client.post(f"/stakeholders/{s.pk}/edit/", {**data, "headcount": "2"})  # still version 1
    assert response.status_code == 400 and "Someone else changed this since you opened it" in response.text
    assert Stakeholder.objects.get(pk=s.pk).headcount == 6


def test_the_map_filters_by_quadrant_and_grid_square(personas, plan):
    StakeholderFactory(plan=plan, name="CQC", kind="regulator", shift_pattern="", power=5, interest=2)
    StakeholderFactory(plan=plan, name="Night staff", power=2, interest=4)
    client = personas.client(personas.manager)
    listed = client.get(f"/plans/{plan.pk}/stakeholders/?quadrant=keep_satisfied").context["page"].object_list
    assert [s.name for s in listed] == ["CQC"]
    listed = client.get(f"/plans/{plan.pk}/stakeholders/?cell=2-4").context["page"].object_list
    assert [s.name for s in listed] == ["Night staff"]
    listed = client.get(f"/plans/{plan.pk}/stakeholders/?quadrant=keep_satisfied&cell=nonsense").context["page"].object_list
    assert [s.name for s in listed] == ["CQC"]  # a bad filter is ignored, never a 500


# --- Concerns --------------------------------------------------------------------------------------


def test_logging_and_answering_a_concern_with_htmx(personas, plan):
    s = StakeholderFactory(plan=plan, name="Night staff")
    client = personas.client(personas.manager)
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "concern-log"}
    html = client.post(
        f"/plans/{plan.pk}/concerns/new/",
        {"stakeholder": s.pk, "raised_on": iso(-1), "channel": "huddle", "text": "What if the Wi-Fi drops?"},
        **headers,
    ).text
    assert "Logged the concern from Night staff." in html and "Not answered yet" in html
    concern = Concern.objects.get()
    html = client.get(f"/stakeholders/concerns/{concern.pk}/respond/", **headers).text
    assert "Save the answer" in html and 'name="response"' in html  # the form opens in place
    html = client.post(f"/stakeholders/concerns/{concern.pk}/respond/", {"response": "", "version": "1"}, **headers).text
    assert "Write the response you gave" in html  # beside the field, in place
    html = client.post(
        f"/stakeholders/concerns/{concern.pk}/respond/",
        {"response": "The tablets work offline.", "responded_on": iso(), "version": "1"},
        **headers,
    ).text
    assert "The tablets work offline." in html and "(answered)" in html
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ANSWERED


def test_an_action_from_a_concern_is_refused_for_an_outsider_and_a_date_past_the_plan(personas, plan):
    concern = ConcernFactory(plan=plan)
    client = personas.client(personas.manager)
    url = f"/stakeholders/concerns/{concern.pk}/action/"
    response = client.post(url, {"title": "Fix it", "owner": personas.stranger.pk, "due_date": iso(5)})
    assert response.status_code == 400 and "Choose someone who is a member of Oak View." in response.text
    response = client.post(url, {"title": "Fix it", "owner": personas.staff.pk, "due_date": plan.end_date + dt.timedelta(days=1)})
    assert response.status_code == 400 and "after the plan ends" in response.text and 'value="Fix it"' in response.text
    assert not Action.objects.filter(plan=plan).exists()


def test_the_concern_log_filters_overdue(personas, plan):
    ConcernFactory(plan=plan, text="Old and unanswered", raised_on=TODAY() - dt.timedelta(days=20))
    ConcernFactory(plan=plan, text="Recent", raised_on=TODAY() - dt.timedelta(days=2))
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/concerns/?status=overdue").text
    assert "Old and unanswered" in page and "Recent" not in page and "Waiting 20 days" in page


# --- Engagement, champions, communications ---------------------------------------------------------


def test_attendance_above_invitations_is_explained_beside_the_field(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/engagement/new/",
        {"title": "Workshop", "kind": "workshop", "held_on": iso(-1), "invited": "10", "attended": "12"},
    )
    assert response.status_code == 400
    assert "More attended than were invited: check both numbers." in response.text and 'value="Workshop"' in response.text
    assert not EngagementActivity.objects.exists()


def test_a_champion_paired_with_someone_outside_the_home_is_explained(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/champions/new/",
        {
            "user": personas.staff.pk,
            "shift_pattern": "days",
            "supports": [personas.stranger.pk],
            "max_supported": "8",
            "protected_hours_per_week": "0",
        },
    )
    assert response.status_code == 400 and "Choose people who are members of Oak View." in response.text
    assert not Champion.objects.exists()


def test_the_engagement_page_shows_cover_gaps_and_overdue_messages(personas, plan):
    StakeholderFactory(plan=plan, name="Night staff", shift_pattern="nights", stance="resistant", headcount=5)
    ChampionFactory(plan=plan, user=personas.staff, shift_pattern="days")
    CommunicationFactory(plan=plan, message="Night update", next_due=TODAY() - dt.timedelta(days=1))
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/engagement/").text
    assert "No champion works nights, where Night staff (5 people) is resistant or sceptical." in page
    assert "Overdue" in page and "Night update" in page


def test_a_pulse_page_explains_each_barrier(personas, plan):
    s = StakeholderFactory(plan=plan)
    client = personas.client(personas.manager)
    response = client.post(f"/stakeholders/{s.pk}/pulses/new/", {"taken_on": iso(), "awareness": "4", "desire": "9"})
    assert response.status_code == 400 and "Score desire from 1 (not at all) to 5 (fully)." in response.text
    response = client.post(
        f"/stakeholders/{s.pk}/pulses/new/",
        {"taken_on": iso(), "awareness": "4", "desire": "2", "knowledge": "1", "ability": "1", "reinforcement": "1"},
        follow=True,
    )
    assert "the barrier is desire (involve and listen)" in response.text
    assert AdkarPulse.objects.get().barrier.key == "desire"


# --- CSV ------------------------------------------------------------------------------------------


def test_each_list_downloads_as_csv_with_formulas_defused(personas, plan):
    s = StakeholderFactory(plan=plan, name='=HYPERLINK("http://x")', stance="resistant")
    ConcernFactory(plan=plan, stakeholder=s, text="+1 more shift")
    ActivityFactory(plan=plan, title="Workshop")
    ChampionFactory(plan=plan, user=personas.staff)
    CommunicationFactory(plan=plan, stakeholder=s, message="-minus")
    client = personas.client(personas.manager)

    def table(url):
        response = client.get(url)
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    header, row = table(f"/plans/{plan.pk}/stakeholders.csv")
    assert header[:3] == ["Name or group", "Kind", "People"] and row[0] == '\'=HYPERLINK("http://x")' and row[7] == "Resistant"
    assert table(f"/plans/{plan.pk}/concerns.csv")[1][3] == "'+1 more shift"
    assert table(f"/plans/{plan.pk}/engagement.csv")[1][2] == "Workshop"
    assert table(f"/plans/{plan.pk}/champions.csv")[1][0] == "Priya Sharma"
    assert table(f"/plans/{plan.pk}/communications.csv")[1][1] == "'-minus"


def test_script_in_an_action_or_a_stance_reason_is_refused_beside_the_field(personas, plan):
    concern = ConcernFactory(plan=plan)
    client = personas.client(personas.manager)
    response = client.post(
        f"/stakeholders/concerns/{concern.pk}/action/",
        {"title": "<script>alert(1)</script>", "owner": personas.staff.pk, "due_date": iso(5)},
    )
    assert response.status_code == 400 and "Write this as plain text" in response.text
    assert "<script>alert(1)</script>" not in response.text  # shown back escaped, never run
    s = StakeholderFactory(plan=plan, stance="resistant")
    response = client.post(
        f"/stakeholders/{s.pk}/edit/", {**GROUP, "stance": "neutral", "stance_reason": "<b>moved</b>", "version": "1"}
    )
    assert response.status_code == 400 and "Write this as plain text" in response.text
    assert not Action.objects.filter(plan=plan).exists() and Stakeholder.objects.get(pk=s.pk).stance == "resistant"
