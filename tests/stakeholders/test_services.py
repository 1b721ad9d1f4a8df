"""The services hold the rules: who may be named, which dates, what counts as answered,
attendance, champions' caps, locking, and the audit trail."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from oakview.core.locking import StaleEdit
from oakview.core.models import AuditEvent, Role
from plans.models import Action, Plan, Resource
from stakeholders import services
from stakeholders.models import Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder, StanceChange
from tests.factories import ResourceFactory, member

from .conftest import set_status
from .factories import ActivityFactory, ChampionFactory, CommunicationFactory, ConcernFactory, StakeholderFactory

TODAY = timezone.localdate


def fields(excinfo) -> dict:
    return {k: v[0] for k, v in excinfo.value.message_dict.items()}


def group(plan, **data):
    base = {
        "name": "Night staff",
        "kind": "staff_group",
        "headcount": 6,
        "shift_pattern": "nights",
        "power": 2,
        "interest": 4,
        "stance": "resistant",
    }
    return {**base, **data}


# --- Stakeholders and stance history --------------------------------------------------------


def test_adding_a_stakeholder_starts_their_stance_history_and_audit_trail(personas, plan):
    s = services.stakeholder_create(plan_id=plan.pk, by=personas.manager, data=group(plan, owner=personas.staff))
    (first,) = s.stance_changes.all()
    assert (first.stance, first.changed_on, first.reason, first.recorded_by) == (
        "resistant",
        TODAY(),
        "First mapped",
        personas.manager,
    )
    assert s.quadrant.key == "keep_informed"
    event = AuditEvent.objects.get(action="stakeholders.stakeholder.created")
    assert event.actor == personas.manager and "Night staff" in event.summary
    assert s.history.first().history_user == personas.manager


@pytest.mark.parametrize(
    "data,field,words",
    [
        ({"kind": "family", "shift_pattern": "nights"}, "shift_pattern", "Only staff groups have a shift pattern"),
        ({"shift_pattern": ""}, "shift_pattern", "Choose the shifts this group mostly works"),
        ({"power": 6}, "power", "Power is scored from 1 (very little) to 5 (decisive)."),
        ({"interest": 0}, "interest", "Interest is scored from 1 (very low) to 5 (very high)."),
        ({"headcount": 0}, "headcount", "greater than or equal to 1"),
        ({"concerns": "<script>alert(1)</script>"}, "concerns", "Write this as plain text"),
        ({"name": "Night <b>staff</b>"}, "name", "Write this as plain text"),
    ],
)
def test_bad_stakeholders_are_refused_beside_the_field(personas, plan, data, field, words):
    with pytest.raises(ValidationError) as e:
        services.stakeholder_create(plan_id=plan.pk, by=personas.manager, data=group(plan, **data))
    assert words in fields(e)[field]
    assert not Stakeholder.objects.exists()


def test_plain_text_allows_a_less_than_sign_that_is_not_markup(personas, plan):
    s = services.stakeholder_create(plan_id=plan.pk, by=personas.manager, data=group(plan, concerns="Notes take < 5 minutes? <3"))
    assert s.concerns == "Notes take < 5 minutes? <3"


def test_an_owner_from_another_home_is_refused(personas, plan):
    with pytest.raises(ValidationError) as e:
        services.stakeholder_create(plan_id=plan.pk, by=personas.manager, data=group(plan, owner=personas.stranger))
    assert "is not a member of Oak View" in fields(e)["owner"]


def test_a_new_stance_is_recorded_with_its_date_and_reason(personas, plan):
    s = StakeholderFactory(plan=plan, stance="resistant", mapped_on=plan.start_date)
    when = TODAY() - dt.timedelta(days=3)
    services.stakeholder_update(
        stakeholder=s,
        by=personas.manager,
        data={"stance": "sceptical"},
        expected_version=s.version,
        stance_changed_on=when,
        stance_reason="After the workshop",
    )
    assert [(c.stance, c.changed_on, c.reason) for c in s.stance_changes.all()] == [
        ("resistant", plan.start_date, "First mapped"),
        ("sceptical", when, "After the workshop"),
    ]
    assert "resistant to sceptical" in AuditEvent.objects.get(action="stakeholders.stakeholder.updated").summary


def test_other_edits_add_nothing_to_the_stance_history(personas, plan):
    s = StakeholderFactory(plan=plan)
    services.stakeholder_update(stakeholder=s, by=personas.manager, data={"headcount": 9}, expected_version=s.version)
    assert s.stance_changes.count() == 1


@pytest.mark.parametrize(
    "when,reason,field,words",
    [
        (None, "", "stance_reason", "Say what moved them"),
        (1, "Moved", "stance_changed_on", "cannot be in the future"),
        (-50, "Moved", "stance_changed_on", "last recorded on"),  # before the stance it replaces
    ],
)
def test_a_stance_change_needs_a_reason_and_a_date_in_order(personas, plan, when, reason, field, words):
    s = StakeholderFactory(plan=plan, stance="resistant", mapped_on=TODAY() - dt.timedelta(days=10))
    with pytest.raises(ValidationError) as e:
        services.stakeholder_update(
            stakeholder=s,
            by=personas.manager,
            data={"stance": "supportive"},
            expected_version=s.version,
            stance_changed_on=TODAY() + dt.timedelta(days=when) if when is not None else None,
            stance_reason=reason,
        )
    assert words in fields(e)[field]
    assert Stakeholder.objects.get(pk=s.pk).stance == "resistant" and s.stance_changes.count() == 1


def test_two_managers_saving_the_same_stakeholder_do_not_overwrite_each_other(personas, plan):
    s = StakeholderFactory(plan=plan)
    stale = Stakeholder.objects.get(pk=s.pk)
    services.stakeholder_update(stakeholder=s, by=personas.manager, data={"headcount": 7}, expected_version=1)
    with pytest.raises(StaleEdit):
        services.stakeholder_update(stakeholder=stale, by=personas.manager, data={"headcount": 2}, expected_version=1)
    assert Stakeholder.objects.get(pk=s.pk).headcount == 7


@pytest.mark.parametrize("status", [Plan.Status.IN_REVIEW, Plan.Status.CLOSED])
def test_nothing_changes_while_the_plan_is_locked(personas, plan, status):
    s = StakeholderFactory(plan=plan)
    set_status(plan, status)
    with pytest.raises(services.PlanLocked):
        services.stakeholder_create(plan_id=plan.pk, by=personas.manager, data=group(plan))
    with pytest.raises(services.PlanLocked):
        services.stakeholder_delete(stakeholder=s, by=personas.manager)
    with pytest.raises(services.PlanLocked):
        services.concern_create(
            plan_id=plan.pk, by=personas.manager, data={"stakeholder": s, "raised_on": TODAY(), "text": "Why?"}
        )
    assert Stakeholder.objects.count() == 1 and not Concern.objects.exists()


def test_the_database_refuses_levels_off_the_grid(plan):
    s = StakeholderFactory(plan=plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stakeholder.objects.filter(pk=s.pk).update(power=6)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stakeholder.objects.filter(pk=s.pk).update(kind="family")  # a family with a shift pattern


def test_adkar_pulses_are_for_staff_groups_inside_the_plan(personas, plan):
    scores = {"awareness": 4, "desire": 2, "knowledge": 2, "ability": 1, "reinforcement": 1}
    staff = StakeholderFactory(plan=plan)
    pulse = services.pulse_record(stakeholder=staff, by=personas.manager, data={"taken_on": TODAY(), **scores})
    assert pulse.barrier.key == "desire"
    families = StakeholderFactory(plan=plan, kind="family", shift_pattern="")
    with pytest.raises(ValidationError) as e:
        services.pulse_record(stakeholder=families, by=personas.manager, data={"taken_on": TODAY(), **scores})
    assert "for staff groups" in e.value.message_dict["__all__"][0]
    with pytest.raises(ValidationError) as e:
        services.pulse_record(
            stakeholder=staff, by=personas.manager, data={"taken_on": plan.start_date - dt.timedelta(days=1), **scores}
        )
    assert "before the plan starts" in fields(e)["taken_on"]


# --- Concerns ---------------------------------------------------------------------------------


def test_a_concern_moves_from_open_to_answered_to_acted_on(personas, plan):
    s = StakeholderFactory(plan=plan)
    c = services.concern_create(
        plan_id=plan.pk,
        by=personas.manager,
        data={"stakeholder": s, "raised_on": TODAY() - dt.timedelta(days=2), "text": "More screen time?"},
    )
    assert c.status == Concern.Status.OPEN
    c = services.concern_update(
        concern=c, by=personas.manager, data={"response": "No: notes at the bedside."}, expected_version=c.version
    )
    assert (c.status, c.responded_on) == (Concern.Status.ANSWERED, TODAY())
    c = services.concern_update(
        concern=c, by=personas.manager, data={"action_taken": "Quick-note templates."}, expected_version=c.version
    )
    assert c.status == Concern.Status.ACTED_ON
    assert AuditEvent.objects.filter(action="stakeholders.concern.updated", summary__startswith="Answered").count() == 1


@pytest.mark.parametrize(
    "data,field,words",
    [
        ({"action_taken": "Changed the rota"}, "response", "“you said, we did” needs both"),
        ({"response": "Yes", "responded_on": -5}, "responded_on", "cannot come before the concern was raised"),
        ({"raised_on": 3}, "raised_on", "cannot be in the future"),
        ({"raised_on": -100}, "raised_on", "before the plan starts"),
        ({"responded_on": 0}, "response", "Write the response you gave"),
        ({"text": "<img src=x onerror=alert(1)>"}, "text", "plain text"),
    ],
)
def test_bad_concerns_are_refused_beside_the_field(personas, plan, data, field, words):
    s = StakeholderFactory(plan=plan)
    raised = TODAY() - dt.timedelta(days=2)
    values = {"stakeholder": s, "raised_on": raised, "text": "Will it work at night?"}
    for key, value in data.items():
        base = raised if key == "responded_on" else TODAY()
        values[key] = base + dt.timedelta(days=value) if isinstance(value, int) else value
    with pytest.raises(ValidationError) as e:
        services.concern_create(plan_id=plan.pk, by=personas.manager, data=values)
    assert words in fields(e)[field]
    assert not Concern.objects.exists()


def test_a_plan_action_made_from_a_concern_joins_the_plan_and_is_linked(
    personas, plan, mailoutbox, django_capture_on_commit_callbacks
):
    c = ConcernFactory(plan=plan, response="We will look at it.", status=Concern.Status.ANSWERED)
    with django_capture_on_commit_callbacks(execute=True):
        action = services.concern_create_action(
            concern=c,
            by=personas.manager,
            title="Quick-note templates",
            owner=personas.staff,
            due_date=TODAY() + dt.timedelta(days=7),
        )
    c.refresh_from_db()
    assert c.action == action and c.status == Concern.Status.ACTED_ON
    assert Action.objects.get(plan=plan, title="Quick-note templates").owner == personas.staff
    assert "From a concern" in action.description
    assert [m.to for m in mailoutbox] == [[personas.staff.email]]  # plans tells the new owner


def test_an_action_from_a_concern_needs_an_owner_in_the_home_and_a_date_in_the_plan(personas, plan):
    c = ConcernFactory(plan=plan)
    with pytest.raises(ValidationError) as e:
        services.concern_create_action(concern=c, by=personas.manager, title="X", owner=personas.stranger, due_date=TODAY())
    assert "owner" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.concern_create_action(
            concern=c, by=personas.manager, title="X", owner=personas.staff, due_date=plan.end_date + dt.timedelta(days=1)
        )
    assert "after the plan ends" in fields(e)["due_date"]
    assert not Action.objects.filter(plan=plan).exists()
    c.refresh_from_db()
    assert c.action is None


# --- Engagement -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,field,words",
    [
        ({"invited": 10, "attended": 12}, "attended", "12 attended but only 10 were invited"),
        ({"held_on": 5, "attended": 3}, "attended", "has not taken place yet"),
        ({"held_on": 200}, "held_on", "after the plan ends"),
        ({"outcome": "<script>x</script>"}, "outcome", "plain text"),
    ],
)
def test_bad_activities_are_refused_beside_the_field(personas, plan, data, field, words):
    values = {"title": "Workshop", "kind": "workshop", "held_on": TODAY() - dt.timedelta(days=1), "invited": 10, "attended": 8}
    for key, value in data.items():
        values[key] = TODAY() + dt.timedelta(days=value) if key == "held_on" else value
    with pytest.raises(ValidationError) as e:
        services.activity_create(plan_id=plan.pk, by=personas.manager, data=values)
    assert words in fields(e)[field]
    assert not EngagementActivity.objects.exists()


def test_the_database_refuses_more_attending_than_invited(plan):
    a = ActivityFactory(plan=plan, invited=5, attended=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        EngagementActivity.objects.filter(pk=a.pk).update(attended=6)


def test_an_activitys_audience_comes_from_its_own_plan(personas, plan):
    other = StakeholderFactory(plan__home=personas.home)
    with pytest.raises(ValidationError) as e:
        services.activity_create(
            plan_id=plan.pk,
            by=personas.manager,
            audience=[other],
            data={"title": "Huddle", "kind": "huddle", "held_on": TODAY(), "invited": 4},
        )
    assert "this plan's stakeholders" in fields(e)["audience"]


def test_a_follow_up_action_is_added_to_the_plan_and_the_activity(personas, plan):
    a = ActivityFactory(plan=plan)
    action = services.activity_add_follow_up(
        activity=a,
        by=personas.manager,
        title="Book drop-ins",
        owner=personas.staff,
        due_date=TODAY() + dt.timedelta(days=3),
        notify=False,
    )
    assert list(a.follow_ups.all()) == [action] and action.plan == plan


# --- Champions --------------------------------------------------------------------------------


def champion(plan, user, **kw):
    return Champion(plan=plan, user=user, shift_pattern=kw.pop("shift", "days"), **kw)


def test_a_champion_supports_members_and_staff_groups_up_to_their_cap(personas, plan):
    carers = StakeholderFactory(plan=plan, headcount=5)
    c = services.champion_save(
        champion=champion(plan, personas.staff, max_supported=6),
        by=personas.manager,
        supports=[personas.approver],
        groups=[carers],
    )
    assert list(c.supports.all()) == [personas.approver] and list(c.groups.all()) == [carers]
    extra = member(personas.home, Role.STAFF, "t-staff2")
    with pytest.raises(ValidationError) as e:
        services.champion_save(
            champion=c, by=personas.manager, supports=[personas.approver, extra], groups=[carers], expected_version=c.version
        )
    assert "That is 7 people, more than the cap of 6" in fields(e)["supports"]


@pytest.mark.parametrize("who", ["stranger", "self"])
def test_a_champion_is_paired_only_with_colleagues_in_the_home(personas, plan, who):
    supported = personas.stranger if who == "stranger" else personas.staff
    with pytest.raises(ValidationError) as e:
        services.champion_save(champion=champion(plan, personas.staff), by=personas.manager, supports=[supported])
    assert ("Not members of Oak View: James Reid" if who == "stranger" else "cannot be paired with themselves") in fields(e)[
        "supports"
    ]


def test_a_champion_from_another_home_or_twice_is_refused(personas, plan):
    with pytest.raises(ValidationError) as e:
        services.champion_save(champion=champion(plan, personas.stranger), by=personas.manager)
    assert "not a member of Oak View" in fields(e)["user"]
    ChampionFactory(plan=plan, user=personas.staff)
    with pytest.raises(ValidationError) as e:
        services.champion_save(champion=champion(plan, personas.staff), by=personas.manager)
    assert "already a champion" in fields(e)["user"]


def test_protected_hours_come_from_the_plans_staff_time(personas, plan):
    tablets = ResourceFactory(plan=plan, kind=Resource.Kind.PHYSICAL)
    time = ResourceFactory(plan=plan, kind=Resource.Kind.HUMAN, description="Champions' protected time")
    with pytest.raises(ValidationError) as e:
        services.champion_save(
            champion=champion(plan, personas.staff, protected_hours_per_week=Decimal("2")), by=personas.manager
        )
    assert "which of the plan's resources" in fields(e)["protected_resource"]
    with pytest.raises(ValidationError) as e:
        services.champion_save(champion=champion(plan, personas.staff, protected_resource=tablets), by=personas.manager)
    assert "human resources" in fields(e)["protected_resource"]
    c = services.champion_save(
        champion=champion(plan, personas.staff, protected_hours_per_week=Decimal("2"), protected_resource=time),
        by=personas.manager,
    )
    assert c.protected_resource == time


# --- Communication plan -----------------------------------------------------------------------


def test_marking_a_message_sent_moves_it_on(personas, plan):
    item = CommunicationFactory(plan=plan, next_due=TODAY() - dt.timedelta(days=2))
    assert item.is_overdue(TODAY())
    item = services.communication_mark_sent(
        item=item, by=personas.manager, sent_on=TODAY(), next_due=TODAY() + dt.timedelta(days=7), expected_version=item.version
    )
    assert (item.last_sent, item.next_due, item.is_overdue(TODAY())) == (TODAY(), TODAY() + dt.timedelta(days=7), False)
    with pytest.raises(ValidationError) as e:
        services.communication_mark_sent(
            item=item, by=personas.manager, sent_on=TODAY(), next_due=TODAY(), expected_version=item.version
        )
    assert "after this one was sent" in fields(e)["next_due"]


def test_a_message_is_due_inside_the_plan_and_to_a_stakeholder_of_it(personas, plan):
    s = StakeholderFactory(plan=plan)
    elsewhere = StakeholderFactory(plan__home=personas.home)
    with pytest.raises(ValidationError) as e:
        services.communication_save(
            item=CommunicationItem(plan=plan, stakeholder=s, message="Update", next_due=plan.end_date + dt.timedelta(days=1)),
            by=personas.manager,
        )
    assert "after the plan ends" in fields(e)["next_due"]
    with pytest.raises(ValidationError) as e:
        services.communication_save(
            item=CommunicationItem(plan=plan, stakeholder=elsewhere, message="Update"), by=personas.manager
        )
    assert "this plan's map" in fields(e)["stakeholder"]


def test_deleting_a_stakeholder_keeps_what_they_said_in_the_log(personas, plan):
    c = ConcernFactory(plan=plan)
    services.stakeholder_delete(stakeholder=c.stakeholder, by=personas.manager)
    c.refresh_from_db()
    assert c.stakeholder is None and c.text.startswith("Concern number")
    assert not Stakeholder.objects.exists() and not StanceChange.objects.exists()  # their history went with them
