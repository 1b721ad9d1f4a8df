"""The pages' query counts do not grow with the plan: the same at 10 stakeholders as at 300."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from oakview.core.models import Role
from plans.models import Action
from plans.parts import get_part
from stakeholders.models import (
    AdkarPulse,
    Champion,
    CommunicationItem,
    Concern,
    EngagementActivity,
    Stakeholder,
    StanceChange,
)
from tests.factories import member

TODAY = timezone.localdate


def fill(plan, personas, n: int) -> None:
    """n stakeholders, each with a stance change, a pulse, a concern and a message; n/10
    activities (each with an audience and a follow-up-free outcome) and champions."""
    shifts = ["days", "nights", "weekends"]
    stances = ["resistant", "sceptical", "neutral", "supportive", "champion"]
    people = Stakeholder.objects.bulk_create(
        Stakeholder(
            plan=plan,
            name=f"Group {i:03}",
            kind="staff_group",
            headcount=1 + i % 7,
            shift_pattern=shifts[i % 3],
            power=1 + i % 5,
            interest=1 + (i // 5) % 5,
            stance=stances[i % 5],
            owner=personas.manager,
        )
        for i in range(n)
    )
    start = plan.start_date
    StanceChange.objects.bulk_create(
        [StanceChange(stakeholder=s, stance="resistant", changed_on=start) for s in people]
        + [
            StanceChange(stakeholder=s, stance=s.stance, changed_on=start + dt.timedelta(days=i % 50))
            for i, s in enumerate(people)
        ]
    )
    AdkarPulse.objects.bulk_create(
        AdkarPulse(stakeholder=s, taken_on=TODAY(), awareness=4, desire=3, knowledge=2, ability=2, reinforcement=1)
        for s in people
    )
    Concern.objects.bulk_create(
        Concern(plan=plan, stakeholder=s, raised_on=start + dt.timedelta(days=i % 50), text=f"Worry {i}")
        for i, s in enumerate(people)
    )
    CommunicationItem.objects.bulk_create(
        CommunicationItem(
            plan=plan,
            stakeholder=s,
            message=f"Update {i}",
            owner=personas.manager,
            next_due=TODAY() + dt.timedelta(days=i % 20 - 10),
        )
        for i, s in enumerate(people)
    )
    for i in range(max(1, n // 10)):
        activity = EngagementActivity.objects.create(
            plan=plan,
            title=f"Workshop {i}",
            held_on=start + dt.timedelta(days=i % 50),
            invited=10,
            attended=8,
            facilitator=personas.manager,
        )
        activity.audience.set(people[i::10])
        activity.follow_ups.add(Action.objects.create(plan=plan, title=f"Follow-up {i}", owner=personas.staff))
        champion = Champion.objects.create(
            plan=plan,
            user=member(personas.home, Role.STAFF, f"t-champion-{n}-{i}"),
            shift_pattern=shifts[i % 3],
            max_supported=30,
        )
        champion.groups.set(people[i::40])
        champion.supports.set([personas.staff])


PAGES = {
    # 13: session, user, plan (with home and author), the user's roles; every stakeholder for
    # the grid; the list's count and page (with owners); staff stance histories; summary
    # (stakeholders, concerns, counts on the plan); latest pulses; the home's members for the
    # form's owner
    "map": ("/plans/{pk}/stakeholders/", 13),
    # 16: session, user, plan, roles; activities' count; champions, the people and groups
    # they support; the communication plan with stakeholders and owners; summary (three);
    # every stakeholder for the cover check; the page of activities, their audiences, their
    # follow-up actions with owners
    "engagement": ("/plans/{pk}/engagement/", 16),
    # 11: session, user, plan, roles; stakeholders for the filter; the page's count; the
    # page's concerns (with who raised them and the plan action and its owner); summary
    # (three); stakeholders for the form
    "concerns": ("/plans/{pk}/concerns/", 11),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_query_count_is_the_same_for_10_and_300_stakeholders(personas, plan, django_assert_num_queries, page):
    client = personas.client(personas.manager)
    url = PAGES[page][0].format(pk=plan.pk)
    counts = []
    for n in (10, 290):  # 10, then 300 in all
        fill(plan, personas, n)
        client.get(url)  # warm: the session and content types are cached from here on
        with django_assert_num_queries(PAGES[page][1]) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
    assert Stakeholder.objects.filter(plan=plan).count() == 300
    assert counts[0] == counts[1]


def test_readiness_and_the_plan_panel_do_not_grow(personas, plan, django_assert_num_queries):
    part = get_part("stakeholders")
    request = RequestFactory().get("/")
    request.user = personas.manager
    plan.viewer_role = Role.MANAGER
    for n in (10, 290):
        fill(plan, personas, n)
        # stakeholders with their message counts, an activity exists, champions (with the
        # people and groups they support), overdue concerns, every stakeholder for the cover
        with django_assert_num_queries(7):
            part.readiness(plan)
        # summary (three), every stakeholder for the grid, champions (three)
        with django_assert_num_queries(7):
            part.plan_panels(request, plan)
