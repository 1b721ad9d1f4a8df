"""Idempotent creates: every create form carries a one-time token; the same form sent twice
(a double click, a resent request) adds one row, and a refused send leaves the token free
for the corrected one."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from oakview.core.models import FormSubmission
from plans.models import Adjustment, Plan, ReviewComment
from risks.models import Risk, RiskReview
from stakeholders.models import Champion, CommunicationItem, Concern, EngagementActivity, Stakeholder
from tests.factories import ActionFactory, PlanFactory
from tests.html_forms import page_form
from tests.risks.factories import RiskFactory
from tests.stakeholders.factories import StakeholderFactory

from .plans.workflow_helpers import ready_plan, submit

KERNEL_ROWS = ["driver", "objective", "resource", "milestone", "action", "training"]


def _plan(personas, status=Plan.Status.DRAFT) -> Plan:
    plan = PlanFactory(home=personas.home, author=personas.manager)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    return plan


def _case(personas, name):
    """(who, page url, post url, count of what the form adds, extra data)."""
    plan = _plan(personas)
    if name in KERNEL_ROWS:
        url = f"/plans/{plan.pk}/{name}/new/"
        model = getattr(plan, {"training": "training_sessions"}.get(name, f"{name}s"))
        return personas.manager, url, url, model.count, {}
    if name == "plan":
        return personas.manager, "/plans/new/", "/plans/new/", Plan.objects.count, {"title": "A plan made once"}
    if name == "adjustment":
        plan = _plan(personas, Plan.Status.IN_PROGRESS)
        url = f"/plans/{plan.pk}/adjustments/new/"
        return personas.manager, url, url, Adjustment.objects.count, {}
    if name == "comment":
        plan = ready_plan(personas)
        submit(plan, personas)
        return (
            personas.approver,
            f"/plans/{plan.pk}/review/",
            f"/plans/{plan.pk}/review/comments/",
            ReviewComment.objects.count,
            {},
        )
    if name == "risk":
        url = f"/plans/{plan.pk}/risks/new/"
        return personas.manager, url, url, Risk.objects.count, {}
    if name == "risk-review":
        risk = RiskFactory(plan=plan)
        url = f"/risks/{risk.pk}/reviews/new/"
        return personas.manager, url, url, RiskReview.objects.count, {"reviewed_on": str(plan.start_date)}
    if name == "stakeholder":
        url = f"/plans/{plan.pk}/stakeholders/new/"
        return (
            personas.manager,
            url,
            url,
            Stakeholder.objects.count,
            {
                "power": "3",
                "interest": "4",
                "stance": "resistant",
                "headcount": "6",
                "kind": "staff_group",
                "shift_pattern": "days",
            },
        )
    if name == "concern":
        StakeholderFactory(plan=plan)
        url = f"/plans/{plan.pk}/concerns/new/"
        return personas.manager, url, url, Concern.objects.count, {}
    if name == "activity":
        StakeholderFactory(plan=plan)
        url = f"/plans/{plan.pk}/engagement/new/"
        return personas.manager, url, url, EngagementActivity.objects.count, {}
    if name == "champion":
        url = f"/plans/{plan.pk}/champions/new/"
        return personas.manager, url, url, Champion.objects.count, {"person": personas.staff.pk}
    if name == "communication":
        StakeholderFactory(plan=plan)
        url = f"/plans/{plan.pk}/communications/new/"
        return personas.manager, url, url, CommunicationItem.objects.count, {}
    raise AssertionError(name)


CASES = [
    *KERNEL_ROWS,
    "plan",
    "adjustment",
    "comment",
    "risk",
    "risk-review",
    "stakeholder",
    "concern",
    "activity",
    "champion",
    "communication",
]


def _errors(html: str) -> list[str]:
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return re.findall(r"[^.]{0,80}(?:required|valid|must|before|after|Choose|Select|Enter)[^.]{0,80}", text)[:6]


def _form_data(personas, name):
    who, page, post, count, extra = _case(personas, name)
    client = personas.client(who)
    html = client.get(page).content.decode()
    form = page_form(html, action=post)
    assert "form_token" in form.names, f"{name}: the form carries no one-time token"
    data = form.filled(**extra)
    return client, post, count, data


@pytest.mark.parametrize("name", CASES)
def test_the_same_create_form_sent_twice_adds_one_row(personas, name):
    client, post, count, data = _form_data(personas, name)
    before = count()
    first = client.post(post, data)
    assert first.status_code in (200, 302), (name, data, _errors(first.content.decode()))
    assert count() == before + 1, (name, first.content.decode()[:3000])
    second = client.post(post, data)
    assert second.status_code < 500
    assert count() == before + 1, f"{name}: a second row from the same form"


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_the_same_moment_add_one_row(personas):
    client, post, count, data = _form_data(personas, "action")
    before = count()
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def send() -> None:
        c = Client()
        c.cookies = client.cookies
        barrier.wait()
        codes.append(c.post(post, data).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [302, 302] and count() == before + 1


def test_a_refused_send_leaves_the_token_for_the_corrected_one(personas):
    client, post, count, data = _form_data(personas, "action")
    before = count()
    assert client.post(post, {**data, "title": ""}).status_code == 400
    assert not FormSubmission.objects.exists()
    assert client.post(post, data).status_code == 302 and count() == before + 1


def test_forms_disable_their_button_while_sending():
    script = open("static/js/oakview.js").read()
    assert "disabled" in script and "htmx:afterRequest" in script


def test_unused_factories_exist():
    assert ActionFactory
