"""The register as a spreadsheet: every column a reader needs, and no formula injection."""

import csv
import datetime as dt
import io

from oakview.core.models import Standard
from plans.models import Plan

from .conftest import set_status
from .factories import RiskFactory, RiskReviewFactory


def _rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_the_register_in_reference_order(personas, plan):
    outage = RiskFactory(
        plan=plan,
        title="System outage on go-live day",
        owner=personas.manager,
        inherent_likelihood=3,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=3,
        review_date=dt.date(2020, 1, 2),
        contingency="Paper packs",
        trigger="App down 15 min",
    )
    outage.standards.add(*Standard.objects.current().filter(code__in=["Reg 12", "Reg 17"]))
    RiskReviewFactory(risk=outage, reviewed_on=dt.date(2019, 12, 1))
    RiskFactory(
        plan=plan,
        title='=HYPERLINK("http://evil")',
        inherent_likelihood=1,
        inherent_impact=1,
        residual_likelihood=1,
        residual_impact=1,
    )
    response = personas.client(personas.manager).get(f"/plans/{plan.pk}/risks.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="risk-register-plan-{plan.pk}.csv"' in response["Content-Disposition"]
    header, first, second = _rows(response)
    assert header[:10] == [
        "Ref",
        "Risk",
        "Description",
        "Category",
        "Phase",
        "Owner",
        "Likelihood before",
        "Impact before",
        "Score before",
        "Band before",
    ]
    row = dict(zip(header, first, strict=True))
    assert row["Ref"] == "R1" and row["Risk"] == "System outage on go-live day" and row["Owner"] == "Sarah Okafor"
    assert (row["Likelihood before"], row["Impact before"], row["Score before"], row["Band before"]) == (
        "3 – Possible",
        "5 – Catastrophic",
        "15",
        "Extreme",
    )
    assert (row["Score after"], row["Band after"]) == ("6", "Moderate")
    assert (row["Contingency plan"], row["Trigger"]) == ("Paper packs", "App down 15 min")
    assert (row["Next review"], row["Overdue for review"], row["Last reviewed"]) == ("02/01/2020", "Yes", "01/12/2019")
    assert row["Standards"] == "Reg 12; Reg 17"
    # A spreadsheet must not run user text as a formula.
    assert dict(zip(header, second, strict=True))["Risk"] == '\'=HYPERLINK("http://evil")'


def test_viewer_downloads_the_csv_of_an_approved_plan(personas, plan):
    RiskFactory(plan=plan, title="Wi-Fi dead spots")
    set_status(plan, Plan.Status.APPROVED)
    response = personas.client(personas.viewer).get(f"/plans/{plan.pk}/risks.csv")
    assert response.status_code == 200 and len(_rows(response)) == 2
