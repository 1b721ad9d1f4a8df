"""Dashboards: the manager's plans with progress, the approver's queue with its wait, and
staff's "today" with one tap to Done and what the change means for them."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from plans.models import Action
from plans.services import workflow
from tests.factories import ActionFactory, MilestoneFactory
from tests.plans.workflow_helpers import approve, ready_plan, submit


def test_the_managers_dashboard_shows_each_plans_progress(personas):
    plan = ready_plan(personas)
    today = timezone.localdate()
    plan.go_live_date = today + dt.timedelta(days=20)
    plan.save()
    ActionFactory(plan=plan, owner=personas.staff, due_date=today - dt.timedelta(days=2))
    ActionFactory(plan=plan, owner=personas.staff, status=Action.Status.DONE)
    MilestoneFactory(plan=plan, title="Pilot ends", due_date=today + dt.timedelta(days=9))
    html = personas.client(personas.manager).get("/").text
    assert "1 of 3 actions done" in html and "1 overdue" in html
    assert "go-live in 20 days" in html and "next milestone: Pilot ends" in html


def test_the_approvers_dashboard_says_how_long_a_plan_has_waited(personas):
    plan = ready_plan(personas)
    with time_machine.travel(timezone.now() - dt.timedelta(days=3, hours=1)):
        submit(plan, personas)
    html = personas.client(personas.approver).get("/").text
    assert "Awaiting your review" in html and "revision 1" in html and "waiting 3 days" in html


def test_staff_finish_a_task_in_one_tap_with_an_optional_note(personas):
    plan = ready_plan(personas)
    submit(plan, personas)
    approve(plan, personas)
    workflow.plan_start(plan_id=plan.pk, by=personas.manager)
    action = Action.objects.get(title="Order tablets")
    action.due_date = timezone.localdate() + dt.timedelta(days=2)
    action.save()
    staff = personas.client(personas.staff)
    html = staff.get("/actions/").text
    assert "Today: due in the next 7 days" in html and f'id="today-{action.pk}"' in html
    assert "What the change means for you" in html and "Read the approved plan (revision 1)" in html
    response = staff.post(
        f"/actions/{action.pk}/update/",
        {"status": "done", "version": action.version, "card": "today", "note": "Delivered to the office"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Done, thank you" in response.text
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.updates.get().note == "Delivered to the office"
