"""The approver's page: a one-screen summary first, the decision beside it, a compact diff."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from plans.models import Resource
from tests.factories import MilestoneFactory, ResourceFactory
from tests.plans.workflow_helpers import approve, ready_plan, submit
from tests.risks.factories import RiskFactory


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def second_revision(personas):
    plan = ready_plan(personas)
    MilestoneFactory(plan=plan, title="Pilot live on Rowan unit", due_date=dt.date(2027, 1, 18))
    RiskFactory(plan=plan, title="Agency staff cannot sign in", residual_likelihood=4, residual_impact=4)
    submit(plan, personas)
    approve(plan, personas)
    tablets = Resource.objects.get(plan=plan, description="Tablets")
    tablets.quantity = Decimal("14")
    tablets.save()
    ResourceFactory(
        plan=plan, description="Bank staff backfill", unit_cost=Decimal("16.50"), quantity=Decimal("12"), secured=False
    )
    submit(plan, personas)
    return plan


def test_the_first_screen_says_what_is_being_approved(personas, second_revision):
    html = personas.client(personas.approver).get(f"/plans/{second_revision.pk}/review/").text
    summary = text_of(html[html.index('id="summary-title"') : html.index('id="changes-title"')])
    assert "Revision 2 of Oak View" in text_of(html) and "written by Sarah Okafor" in text_of(html)
    assert "What you are approving" in summary
    assert re.search(r"Cost £[\d,.]+ : £[\d,.]+ secured, £[\d,.]+ requested in this plan", summary)
    assert "Key dates" in summary and "Pilot live on Rowan unit" in summary
    assert "Top risks after mitigation" in summary
    top = summary[summary.index("Top risks after mitigation") :]
    assert top.index("Agency staff cannot sign in") < top.index("Tablets fail")  # highest residual score first
    assert "Readiness" in summary and "Changes 2" in summary


def test_the_decision_sits_beside_the_summary_and_is_reachable_from_the_top(personas, second_revision):
    html = personas.client(personas.approver).get(f"/plans/{second_revision.pk}/review/").text
    assert '<aside class="col-lg-4" aria-label="Your decision">' in html
    assert 'href="#decision">Go to your decision</a>' in html
    assert "Record decision" in html


def test_a_changed_row_is_one_line_and_an_added_row_a_one_row_table(personas, second_revision):
    html = personas.client(personas.approver).get(f"/plans/{second_revision.pk}/review/").text
    changes = html[html.index('id="changes-title"') : html.index('class="revision-section')]
    changed = re.search(r'<li class="diff-item diff-changed">(.*?)</li>', changes, re.S).group(1)
    line = text_of(changed)
    assert "Resource: Tablets" in line and "Quantity: 2.00 → changed to 14.00" in line
    assert "Total cost (£): 500.00 → changed to 3500.00" in line
    assert changed.count("<p") == 1  # one line, not a list of fields
    added = re.search(r'<li class="diff-item diff-added">(.*?)</li>', changes, re.S).group(1)
    assert "<table" in added and added.count("<tr>") == 2  # its header and its one row
    assert "Bank staff backfill" in added and "16.50" in added
