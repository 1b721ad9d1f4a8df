"""The Oak View demo answers question 3: who stands where, concerns answered, champions on
days and nights, and staff moving from 60% resistant towards supportive."""

import pytest
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from oakview.core.demo import DemoContext
from oakview.core.models import User
from plans.models import Plan
from plans.parts import find_series, get_part, readiness_problems
from stakeholders import checks, demo, snapshot
from stakeholders.models import Champion, CommunicationItem, Concern, Stakeholder


@pytest.fixture
def demo_plan(db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    return Plan.objects.get(home__name="Oak View")


def test_the_demo_maps_oak_views_stakeholders(demo_plan):
    names = set(Stakeholder.objects.filter(plan=demo_plan).values_list("name", flat=True))
    assert {
        "Long-serving senior carers",
        "Tech-confident carers",
        "Night staff",
        "Agency staff",
        "Residents",
        "Families and representatives",
        "GP practice and community pharmacy",
        "Care Quality Commission",
        "Operations director and nominated individual",
        "Care management system supplier",
    } <= names
    assert Stakeholder.objects.get(plan=demo_plan, name="Long-serving senior carers").stance_changes.first().stance == "resistant"
    assert Stakeholder.objects.get(plan=demo_plan, name="Tech-confident carers").stance == "champion"


def test_the_screen_time_concern_is_answered_and_acted_on(demo_plan):
    concern = Concern.objects.get(plan=demo_plan, text__startswith="We will spend more time on screens")
    assert concern.status == Concern.Status.ACTED_ON and concern.response and concern.action_taken
    assert concern.action.title == "Set up quick-note templates for the five most common entries"
    assert not Concern.objects.filter(plan=demo_plan).overdue(timezone.localdate()).exists()


def test_champions_cover_days_and_nights_and_one_message_is_overdue(demo_plan):
    assert sorted(Champion.objects.filter(plan=demo_plan).values_list("shift_pattern", flat=True)) == ["days", "nights"]
    assert all(c.protected_resource is not None for c in Champion.objects.filter(plan=demo_plan))
    assert CommunicationItem.objects.filter(plan=demo_plan).overdue(timezone.localdate()).count() == 1


def test_staff_move_from_sixty_percent_resistant_towards_supportive(demo_plan):
    revision = demo_plan.revisions.get(number=1)
    weeks = snapshot.weeks_of(snapshot.read(revision.snapshot), revision.snapshot["plan"])
    assert weeks[0].resistant == 60.0 and weeks[0].supportive == 40.0
    assert weeks[-1].resistant < 30 and weeks[-1].supportive > 50
    points = find_series(demo_plan, "stakeholders.supportive_share").points
    assert points[0][1] == 40.0 and points[-1][1] > 50


def test_the_demo_passes_this_parts_readiness_and_was_approved_with_it(demo_plan):
    assert [p for p in readiness_problems(demo_plan) if p.part == "stakeholders" and p.blocking] == []
    assert len(demo_plan.revisions.get(number=1).snapshot["stakeholders"]["stakeholders"]) == 11


def test_the_champions_protected_time_is_the_48_hours_the_plan_pays_for(demo_plan):
    champions = list(Champion.objects.filter(plan=demo_plan).select_related("user", "protected_resource"))
    (use,) = checks.protected_time(demo_plan, champions)
    assert (use.resource, use.quantity, use.planned) == (
        "Digital champions' protected time (2 x 2 hours a week, 12 weeks)",
        48,
        48,
    )
    assert not any("protected time" in p.message for p in readiness_problems(demo_plan))


def test_the_demo_is_seeded_once_through_the_part(demo_plan):
    # plans' seed_demo asks each part; nothing else seeds this app, so each record is there once.
    assert Stakeholder.objects.filter(plan__home=demo_plan.home).count() == 12  # 11, and weekend bank staff after approval
    assert Champion.objects.filter(plan__home=demo_plan.home).count() == 2
    assert Concern.objects.filter(plan__home=demo_plan.home).count() == 5


def test_the_demo_champion_sees_who_she_supports(demo_plan):
    priya = User.objects.get(username="staff1")
    request = RequestFactory().get("/")
    request.user = priya
    (panel,) = get_part("stakeholders").my_actions_panels(request, priya)
    (duty,) = panel.context["duties"]
    assert [u.username for u in duty["supports"]] == ["staff2"] and duty["next_activity"].kind == "drop_in"


def test_the_later_change_moves_the_night_team_and_adds_weekend_staff(demo_plan):
    ctx = DemoContext(oak_view=demo_plan.home, beech_house=None, users={u.username: u for u in User.objects.all()})
    Plan.objects.filter(pk=demo_plan.pk).update(status=Plan.Status.APPROVED)  # as between approval and resubmission
    demo_plan.refresh_from_db()
    demo.after_approval(ctx, demo_plan)
    demo.after_approval(ctx, demo_plan)  # idempotent
    assert Stakeholder.objects.get(plan=demo_plan, name="Night staff").stance == "supportive"
    assert Stakeholder.objects.filter(plan=demo_plan, name="Weekend bank staff").count() == 1
    warnings = [p.message for p in readiness_problems(demo_plan) if p.part == "stakeholders"]
    assert any("No champion works weekends" in m for m in warnings)


def test_seeding_twice_changes_nothing(demo_plan):
    before = Stakeholder.objects.count(), Concern.objects.count()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Stakeholder.objects.count(), Concern.objects.count()) == before
