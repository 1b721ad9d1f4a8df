"""The part as people meet it on the kernel's pages, through real requests: its panel at the
end of question 3 on the plan page, its block under question 3 of a revision, its summary
and its own diff lines on the review page, a champion's duties on My actions, and the
managers' dashboard panel. Nothing in plans names this app: the kernel asks the part."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import Resource
from stakeholders.models import Champion, CommunicationItem, Stakeholder
from tests.factories import ResourceFactory
from tests.plans.workflow_helpers import approve, ready_plan, submit

from .factories import ActivityFactory, ChampionFactory, CommunicationFactory, ConcernFactory, StanceChangeFactory


def _section(html: str, key: str, following: str) -> str:
    return html[html.index(f'id="section-{key}"') : html.index(f'id="section-{following}"')]


@pytest.fixture
def ready(personas):
    """A plan that passes every part's readiness, with night staff resisting and a champion
    on nights who supports Priya's colleague."""
    plan = ready_plan(personas)
    night = Stakeholder.objects.create(
        plan=plan, name="Night staff", headcount=5, shift_pattern="nights", power=2, interest=4, stance="resistant"
    )
    night.stance_changes.create(stance="resistant", changed_on=plan.start_date, reason="First mapped")
    champion = ChampionFactory(plan=plan, user=personas.staff, shift_pattern="nights")
    champion.groups.add(night)
    CommunicationFactory(plan=plan, stakeholder=night, message="Night update", owner=personas.manager)
    return plan


def test_question_3s_page_has_the_panel(personas, ready):
    # Question 3 has its own page: the panel sits there, after the section's own records.
    html = personas.client(personas.manager).get(reverse("plans:plan-section", args=[ready.pk, "support"])).text
    support = html[html.index('id="section-support"') :]
    assert "Stakeholders, engagement and champions" in support
    assert f"/plans/{ready.pk}/stakeholders/" in support and f"/plans/{ready.pk}/engagement/" in support
    assert html.count('id="plan-support-heading"') == 1
    assert html.count("/static/css/stakeholders.css") == 1  # the part's stylesheet, linked once in the head


def test_the_revision_page_shows_the_map_under_question_3(personas, ready):
    submit(ready, personas)
    url = reverse("plans:revision-detail", args=[ready.pk, 1])
    support = _section(personas.client(personas.manager).get(url).text, "support", "implementation")
    assert "Stakeholder map" in support and "Night staff" in support and "Priya Sharma" in support
    assert 'aria-labelledby="rev-support-grid-title rev-support-grid-desc"' in support  # the grid, drawn from the snapshot
    assert "You said, we did" in support and "Communication plan" in support
    approve(ready, personas)
    staff_view = personas.client(personas.staff).get(url)
    assert staff_view.status_code == 200 and "Night staff" in _section(staff_view.text, "support", "implementation")


def test_the_review_page_sums_up_question_3_and_words_its_changes(personas, ready):
    submit(ready, personas)
    approve(ready, personas)
    night = Stakeholder.objects.get(plan=ready, name="Night staff")
    Stakeholder.objects.filter(pk=night.pk).update(stance="sceptical")
    StanceChangeFactory(stakeholder=night, stance="sceptical", changed_on=dt.date(2026, 12, 14), reason="Training moved to 20:00")
    ConcernFactory(plan=ready, stakeholder=night, raised_on=dt.date(2026, 12, 10), text="What if the Wi-Fi drops at night?")
    # Sent and due again: the plan being run, not a change the approver must weigh.
    CommunicationItem.objects.filter(plan=ready).update(last_sent=dt.date(2026, 12, 15), next_due=dt.date(2026, 12, 22))
    submit(ready, personas)
    html = personas.client(personas.approver).get(reverse("plans:plan-review", args=[ready.pk])).text
    glance = html[html.index('id="summary-title"') :]
    assert "Gaining support" in glance and "Staff (" in glance
    assert "Changed</span> <strong>Stakeholder: Night staff</strong>" in html
    assert "Added</span> <strong>Stance change: Night staff, Sceptical from 14 Dec 2026</strong>" in html
    assert "Added</span> <strong>Concern: What if the Wi-Fi drops at night?</strong>" in html
    assert "Training moved to 20:00" in html
    for noise in ("Stakeholder id", "Version", "Communication: Night update", "Last sent"):
        assert noise not in html


def test_my_actions_tells_a_champion_who_they_support(personas, ready):
    html = personas.client(personas.staff).get(reverse("plans:my-actions")).text
    assert "You are a change champion" in html and "Night staff (5 people)" in html
    assert "You are a change champion" not in personas.client(personas.viewer).get(reverse("plans:my-actions")).text


def test_the_dashboard_tells_the_manager_what_is_waiting(personas, ready):
    ConcernFactory(plan=ready, raised_on=dt.date.today() - dt.timedelta(days=20))
    html = personas.client(personas.manager).get("/").text
    assert "Concerns and messages" in html and "1 concern unanswered for over 14 days." in html
    assert "Concerns and messages" not in personas.client(personas.staff).get("/").text


def test_protected_time_over_its_resource_is_a_warning_on_the_checklist_and_the_engagement_page(personas, ready):
    time = ResourceFactory(
        plan=ready, kind=Resource.Kind.HUMAN, description="Champion time", quantity=Decimal("20"), unit="hours"
    )
    # 1 Dec 2026 to 1 Mar 2027 is 90 days: 2 h a week from the start is 25.7 hours.
    Champion.objects.filter(plan=ready, user=personas.staff).update(
        protected_hours_per_week=Decimal("2"), protected_resource=time
    )
    manager = personas.client(personas.manager)
    plan_page = manager.get(reverse("plans:plan-detail", args=[ready.pk])).text
    warning = "protected time comes to 25.7 hours over the plan (Priya Sharma 25.7), more than the 20 hours in “Champion time”"
    assert warning in plan_page
    assert manager.post(reverse("plans:plan-submit", args=[ready.pk])).status_code == 302  # a warning, not a block
    engagement = manager.get(reverse("stakeholders:engagement", args=[ready.pk])).text
    assert warning in engagement


def test_the_demo_like_start_date_keeps_protected_time_inside_the_resource(personas, ready):
    time = ResourceFactory(
        plan=ready, kind=Resource.Kind.HUMAN, description="Champion time", quantity=Decimal("20"), unit="hours"
    )
    start = ready.start_date + dt.timedelta(days=20)  # 70 days to the end: ten weeks
    Champion.objects.filter(plan=ready, user=personas.staff).update(
        protected_hours_per_week=Decimal("2"), protected_resource=time, protected_from=start
    )
    engagement = personas.client(personas.manager).get(reverse("stakeholders:engagement", args=[ready.pk])).text
    assert "“Champion time”: 20 of its 20 hours are promised to champions over the plan." in engagement
    assert not re.search(r"protected time comes to", engagement)


def test_an_activity_in_the_plan_and_its_removal_is_drift_after_approval(personas, ready):
    activity = ActivityFactory(plan=ready, title="Night drop-in")
    submit(ready, personas)
    approve(ready, personas)
    activity.delete()
    html = personas.client(personas.manager).get(reverse("plans:plan-detail", args=[ready.pk])).text
    assert "The workshop &#x27;Night drop-in&#x27; was in the approved plan and has been removed." in html
