"""Drafting pages with every persona: anonymous, stranger (Beech House), staff, viewer, approver, manager."""

import datetime as dt
from decimal import Decimal

import pytest

from oakview.core.audit import audit_record
from oakview.core.models import Role
from plans.models import Action, Driver, Plan, PlanRevision, Resource, TrainingSession
from plans.parts import build_snapshot
from tests.factories import (
    ActionFactory,
    CareHomeFactory,
    DriverFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
    ResourceFactory,
    TrainingSessionFactory,
    member,
)


@pytest.fixture
def plan(personas):
    return PlanFactory(home=personas.home, author=personas.manager, title="Digital care records")


def _row_urls(plan, personas):
    rows = {
        "driver": DriverFactory(plan=plan),
        "objective": ObjectiveFactory(plan=plan),
        "resource": ResourceFactory(plan=plan),
        "milestone": MilestoneFactory(plan=plan),
        "action": ActionFactory(plan=plan),
        "training": TrainingSessionFactory(plan=plan),
    }
    urls = []
    for kind, row in rows.items():
        urls += [f"/plans/{plan.pk}/{kind}/new/", f"/plans/{kind}/{row.pk}/edit/", f"/plans/{kind}/{row.pk}/delete/"]
    return urls


READ_URLS = ["/plans/{pk}/", "/plans/{pk}/actions.csv", "/plans/{pk}/training.csv"]
WRITE_URLS = [
    "/plans/{pk}/edit/",
    "/plans/{pk}/sections/need/edit/",
    "/plans/{pk}/sections/evaluation/edit/",
    "/plans/{pk}/history/",
]


def test_anonymous_is_sent_to_sign_in_everywhere(personas, plan, client):
    for url in (
        ["/plans/", "/plans/new/", "/actions/", "/calendar/"]
        + [u.format(pk=plan.pk) for u in READ_URLS + WRITE_URLS]
        + _row_urls(plan, personas)
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_stranger_gets_404_for_another_homes_plan_and_rows(personas, plan):
    c = personas.client(personas.stranger)
    for url in [u.format(pk=plan.pk) for u in READ_URLS + WRITE_URLS] + _row_urls(plan, personas):
        assert c.get(url).status_code == 404, url
        assert c.post(url, {}).status_code in (404, 405), url
    listing = c.get("/plans/")
    assert listing.status_code == 200 and "Digital care records" not in listing.text


def _approve(plan, personas):
    return PlanRevision.objects.create(
        plan=plan,
        number=1,
        schema=1,
        snapshot=build_snapshot(plan),
        submitted_by=personas.manager,
        status=PlanRevision.Status.APPROVED,
    )


def _assert_every_write_is_403(c, plan, personas):
    for url in [u.format(pk=plan.pk) for u in WRITE_URLS] + _row_urls(plan, personas):
        assert c.get(url).status_code == 403, url
        assert c.post(url, {"title": "x"}).status_code == 403, url
    assert c.get("/plans/new/").status_code == 403


def test_approver_can_read_but_every_write_is_403(personas, plan):
    c = personas.client(personas.approver)
    for url in READ_URLS:
        assert c.get(url.format(pk=plan.pk)).status_code == 200, url
    page = c.get(f"/plans/{plan.pk}/").text
    assert "Edit narrative" not in page and "Add an action" not in page and "Recent changes" not in page
    _assert_every_write_is_403(c, plan, personas)


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_staff_and_viewers_never_see_a_draft(personas, plan, who):
    c = personas.client(getattr(personas, who))
    for url in READ_URLS:
        assert c.get(url.format(pk=plan.pk)).status_code == 403, url
    assert "Digital care records" not in c.get("/plans/").text
    _assert_every_write_is_403(c, plan, personas)


@pytest.mark.parametrize("who", ["staff", "viewer"])
def test_staff_and_viewers_read_the_approved_revision(personas, plan, who):
    revision = _approve(plan, personas)
    c = personas.client(getattr(personas, who))
    response = c.get(f"/plans/{plan.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/plans/{plan.pk}/revisions/{revision.number}/"
    assert c.get(response["Location"]).status_code == 200
    assert c.get(f"/plans/{plan.pk}/actions.csv").status_code == 200
    assert "Digital care records" in c.get("/plans/").text
    _assert_every_write_is_403(c, plan, personas)


def test_manager_reaches_every_page(personas, plan):
    c = personas.client(personas.manager)
    for url in (
        ["/plans/", "/plans/new/", "/actions/", "/calendar/"]
        + [u.format(pk=plan.pk) for u in READ_URLS + WRITE_URLS]
        + _row_urls(plan, personas)
    ):
        assert c.get(url).status_code == 200, url
    page = c.get(f"/plans/{plan.pk}/").text
    assert "The five questions" in page and "Recent changes" in page
    page = c.get(f"/plans/{plan.pk}/sections/planning/").text
    assert "the narrative" in page and "Add an action" in page


def test_plan_page_shows_the_five_sections_with_anchors(personas, plan):
    page = personas.client(personas.approver).get(f"/plans/{plan.pk}/").text
    for anchor, title in [
        ("section-need", "Analysis of Need"),
        ("section-planning", "Planning and Resource Management"),
        ("section-support", "Gaining Support"),
        ("section-implementation", "Implementation and Risk"),
        ("section-evaluation", "Evaluation"),
    ]:
        assert f'id="{anchor}"' in page and title in page


def test_manager_creates_a_plan_from_the_template(personas):
    c = personas.client(personas.manager)
    response = c.post(
        "/plans/new/",
        {
            "home": personas.home.pk,
            "title": "Going digital",
            "summary": "",
            "start_date": "2027-01-04",
            "go_live_date": "",
            "end_date": "",
            "start_from": "template",
        },
    )
    plan = Plan.objects.get(title="Going digital")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert plan.author == personas.manager and plan.status == Plan.Status.DRAFT
    assert plan.go_live_date == dt.date(2027, 3, 1) and plan.end_date == dt.date(2027, 4, 5)
    assert plan.drivers.count() >= 5 and plan.objectives.count() >= 5 and plan.milestones.count() >= 5
    assert plan.resources.filter(kind=Resource.Kind.FINANCIAL).exists() and plan.actions.count() >= 10
    assert set(plan.drivers.get(description__startswith="Care records are not").standards.values_list("code", flat=True)) == {
        "Reg 17"
    }
    page = c.get(f"/plans/{plan.pk}/sections/need/").text
    assert "30% of files not updated in real time" in page
    page = c.get(f"/plans/{plan.pk}/").text
    assert "within the guide" in page


def test_blank_plan_has_no_rows(personas):
    c = personas.client(personas.manager)
    c.post("/plans/new/", {"home": personas.home.pk, "title": "Blank", "start_date": "2027-01-04", "start_from": "blank"})
    plan = Plan.objects.get(title="Blank")
    assert plan.actions.count() == 0 and plan.narrative_need == ""


def test_manager_cannot_create_a_plan_for_a_home_they_do_not_manage(personas):
    c = personas.client(personas.manager)
    response = c.post(
        "/plans/new/", {"home": personas.other_home.pk, "title": "Sneaky", "start_date": "2027-01-04", "start_from": "blank"}
    )
    assert response.status_code == 400 and not Plan.objects.filter(title="Sneaky").exists()


def test_dates_out_of_order_are_explained_beside_the_field(personas, plan):
    c = personas.client(personas.manager)
    response = c.post(
        f"/plans/{plan.pk}/edit/",
        {
            "title": "Changed title",
            "summary": "",
            "start_date": "2027-02-01",
            "go_live_date": "2027-01-01",
            "end_date": "2027-03-01",
            "version": plan.version,
        },
    )
    assert response.status_code == 400
    assert "Go-live must be on or after the start date." in response.text
    assert 'value="Changed title"' in response.text  # the user's input is shown back
    plan.refresh_from_db()
    assert plan.title == "Digital care records"


def test_list_filters_by_status_and_home(personas, plan):
    second_home = CareHomeFactory(name="Ash Court")
    member(second_home, Role.MANAGER, personas.manager.username)
    PlanFactory(home=second_home, author=personas.manager, title="Ash Court falls plan")
    c = personas.client(personas.manager)
    both = c.get("/plans/").text
    assert "Digital care records" in both and "Ash Court falls plan" in both
    only_ash = c.get(f"/plans/?home={second_home.pk}").text
    assert "Ash Court falls plan" in only_ash and "Digital care records" not in only_ash
    assert "No plans match this filter" in c.get("/plans/?status=approved").text
    # A home you do not belong to is ignored rather than leaking anything.
    assert c.get(f"/plans/?home={personas.other_home.pk}").status_code == 200


# --- Rows ----------------------------------------------------------------------------------


def test_manager_adds_an_action_for_a_member_and_they_are_emailed(personas, plan, mailoutbox, django_capture_on_commit_callbacks):
    c = personas.client(personas.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            f"/plans/{plan.pk}/action/new/",
            {
                "title": "Order tablets",
                "description": "",
                "owner": personas.staff.pk,
                "due_date": "2027-01-10",
                "status": "not_started",
                "milestone": "",
            },
        )
    assert response.status_code == 302 and response["Location"].endswith("#rows-action")
    action = Action.objects.get(title="Order tablets")
    assert action.owner == personas.staff and action.history.count() == 1
    assert [m.to for m in mailoutbox] == [[personas.staff.email]]
    assert "Order tablets" in mailoutbox[0].subject


def test_owner_from_outside_the_home_is_refused_beside_the_field(personas, plan):
    c = personas.client(personas.manager)
    response = c.post(
        f"/plans/{plan.pk}/action/new/",
        {
            "title": "Order tablets",
            "owner": personas.stranger.pk,
            "due_date": "2027-01-10",
            "status": "not_started",
        },
    )
    assert response.status_code == 400
    assert "not a member of this home" in response.text
    assert not Action.objects.filter(title="Order tablets").exists()


def test_due_date_outside_the_plan_and_negative_costs_are_refused(personas, plan):
    c = personas.client(personas.manager)
    response = c.post(f"/plans/{plan.pk}/action/new/", {"title": "Late", "due_date": "2028-01-01", "status": "not_started"})
    assert response.status_code == 400 and "after the plan ends" in response.text
    response = c.post(
        f"/plans/{plan.pk}/resource/new/", {"kind": "physical", "description": "Tablets", "quantity": "2", "unit_cost": "-5"}
    )
    assert response.status_code == 400 and "greater than or equal to 0" in response.text
    response = c.post(
        f"/plans/{plan.pk}/training/new/",
        {"title": "T", "starts_at": "2027-01-12T09:00", "duration_hours": "-1", "backfill_hours": "0"},
    )
    assert response.status_code == 400 and "greater than or equal to 0.25" in response.text
    assert not Resource.objects.exists() and not TrainingSession.objects.exists()


def test_over_long_text_is_refused(personas, plan):
    c = personas.client(personas.manager)
    response = c.post(f"/plans/{plan.pk}/driver/new/", {"kind": "safety", "description": "x" * 301})
    assert response.status_code == 400 and "at most 300 characters" in response.text


def test_script_in_any_field_is_shown_as_text_never_run(personas, plan):
    c = personas.client(personas.manager)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    c.post(f"/plans/{plan.pk}/driver/new/", {"kind": "safety", "description": evil, "evidence": evil})
    c.post(
        f"/plans/{plan.pk}/sections/need/edit/",
        {"narrative_need": f"Hello {evil} [link](javascript:alert(1))", "version": plan.version},
    )
    page = c.get(f"/plans/{plan.pk}/").text
    assert "<script>alert" not in page and "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;" in page


def test_htmx_add_returns_the_rows_block_in_place(personas, plan):
    c = personas.client(personas.manager)
    form = c.get(f"/plans/{plan.pk}/milestone/new/", headers={"HX-Request": "true"})
    assert form.status_code == 200 and "<html" not in form.text and 'hx-post="/plans/' in form.text
    invalid = c.post(f"/plans/{plan.pk}/milestone/new/", {"title": ""}, headers={"HX-Request": "true"})
    assert invalid.status_code == 200 and "This field is required." in invalid.text
    ok = c.post(
        f"/plans/{plan.pk}/milestone/new/", {"title": "Go-live", "due_date": "2027-02-01"}, headers={"HX-Request": "true"}
    )
    assert ok.status_code == 200 and ok["HX-Retarget"] == "#rows-milestone"
    assert 'id="rows-milestone"' in ok.text and "Go-live" in ok.text


def test_delete_asks_first_then_deletes(personas, plan):
    driver = DriverFactory(plan=plan, description="Paper is lost")
    c = personas.client(personas.manager)
    confirm = c.get(f"/plans/driver/{driver.pk}/delete/")
    assert confirm.status_code == 200 and "Delete this driver?" in confirm.text
    assert Driver.objects.filter(pk=driver.pk).exists()
    assert c.post(f"/plans/driver/{driver.pk}/delete/").status_code == 302
    assert not Driver.objects.filter(pk=driver.pk).exists()


def test_training_attendee_outside_the_home_is_refused(personas, plan):
    c = personas.client(personas.manager)
    response = c.post(
        f"/plans/{plan.pk}/training/new/",
        {
            "title": "Basics",
            "starts_at": "2027-01-12T09:00",
            "duration_hours": "3",
            "backfill_hours": "0",
            "attendees": [personas.staff.pk, personas.stranger.pk],
        },
    )
    assert response.status_code == 400 and "must be members of this home" in response.text
    assert not TrainingSession.objects.exists()


def test_plan_page_flags_a_short_day_and_clears_it_when_backfill_is_added(personas, plan):
    session = TrainingSessionFactory(plan=plan, title="Basics", duration_hours=Decimal("3"))
    session.attendees.set([personas.staff, personas.manager, personas.viewer])
    c = personas.client(personas.manager)
    page = c.get(f"/plans/{plan.pk}/sections/planning/").text
    assert "1 day below the required care hours" in page and "short by 3 h" in page
    response = c.post(
        f"/plans/training/{session.pk}/edit/",
        {
            "title": "Basics",
            "starts_at": "2027-01-12T09:00",
            "duration_hours": "3",
            "trainer": "",
            "attendees": [personas.staff.pk, personas.manager.pk, personas.viewer.pk],
            "backfill_hours": "4",
            "version": session.version,
        },
    )
    assert response.status_code == 302
    page = c.get(f"/plans/{plan.pk}/sections/planning/").text
    assert "below the required care hours" not in page
    assert "Every training day keeps at least the required care hours" in page
    assert "<title" in page and "<desc" in page  # the chart is described for screen readers


# --- Optimistic lock -----------------------------------------------------------------------


def test_second_tab_saving_an_action_is_refused_and_keeps_its_input(personas, plan):
    action = ActionFactory(plan=plan, title="Order tablets")
    c = personas.client(personas.manager)
    loaded_version = action.version
    first = c.post(
        f"/plans/action/{action.pk}/edit/", {"title": "Order 12 tablets", "status": "not_started", "version": loaded_version}
    )
    assert first.status_code == 302
    second = c.post(
        f"/plans/action/{action.pk}/edit/", {"title": "Order rugged tablets", "status": "in_progress", "version": loaded_version}
    )
    assert second.status_code == 409
    assert "Someone else changed this" in second.text
    assert 'value="Order rugged tablets"' in second.text
    action.refresh_from_db()
    assert action.title == "Order 12 tablets" and action.status == "not_started"


def test_second_tab_saving_a_narrative_is_refused(personas, plan):
    c = personas.client(personas.manager)
    version = plan.version
    assert (
        c.post(f"/plans/{plan.pk}/sections/support/edit/", {"narrative_support": "First", "version": version}).status_code == 302
    )
    second = c.post(f"/plans/{plan.pk}/sections/support/edit/", {"narrative_support": "Second thoughts", "version": version})
    assert second.status_code == 409 and "Second thoughts" in second.text
    plan.refresh_from_db()
    assert plan.narrative_support == "First"


# --- Content lock and history --------------------------------------------------------------


def test_plan_in_review_cannot_be_edited(personas, plan):
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
    c = personas.client(personas.manager)
    response = c.post(f"/plans/{plan.pk}/action/new/", {"title": "Sneak in", "status": "not_started"})
    # Refused with the typed text shown again and why.
    assert response.status_code == 409 and "submitted for review while you were editing" in response.text
    assert 'value="Sneak in"' in response.text
    assert not Action.objects.filter(title="Sneak in").exists()
    page = c.get(f"/plans/{plan.pk}/sections/planning/").text
    assert "Add an action" not in page and "content cannot be changed" in page


def test_manager_sees_changes_and_audit_events_on_the_timeline(personas, plan):
    c = personas.client(personas.manager)
    c.post(f"/plans/{plan.pk}/objective/new/", {"title": "All care plans digital", "measure": "", "target": "100%"})
    audit_record(
        home_id=plan.home_id, actor=personas.approver, action="plan.approved", summary="Revision 1 approved", target=plan
    )
    page = c.get(f"/plans/{plan.pk}/").text
    assert "Sarah Okafor: Objective “All care plans digital” added" in page
    assert "David Hughes: Revision 1 approved" in page
    history = c.get(f"/plans/{plan.pk}/history/").text
    assert "All care plans digital" in history


def test_plan_page_says_when_backfill_is_what_keeps_a_day_covered(personas, plan):
    session = TrainingSessionFactory(plan=plan, title="Basics", duration_hours=Decimal("3"), backfill_hours=Decimal("4"))
    session.attendees.set([personas.staff, personas.manager, personas.viewer])
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/sections/planning/").text
    # 96 rostered - 9 off the floor = 87 against 90 required: 3 h short but for the backfill.
    assert "Covered by backfill (short by 3 h without it)" in page


def test_standards_are_offered_grouped_by_framework(personas, plan):
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/driver/new/").text
    assert '<optgroup label="CQC Fundamental Standards">' in page
    assert '<optgroup label="CQC quality statements (single assessment framework)">' in page
    regs = page.split('<optgroup label="CQC Fundamental Standards">')[1].split("</optgroup>")[0]
    assert "Reg 17 Good governance" in regs and "Well-led" not in regs
