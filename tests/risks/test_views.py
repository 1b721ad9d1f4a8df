"""The register's pages for every persona, adding and editing (plain and htmx), bad input,
locked plans and two managers editing at once."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from oakview.core.models import AuditEvent, Role, Standard
from plans.models import Plan
from risks import services
from risks.models import Risk
from tests.factories import UserFactory, member

from .conftest import set_status
from .factories import RiskFactory, RiskReviewFactory

GOOD = {
    "title": "Agency staff without logins",
    "description": "Agency carers cannot record care.",
    "category": "workforce",
    "phase": "go_live",
    "inherent_likelihood": "4",
    "inherent_impact": "3",
    "mitigation": "Names sent 48 hours ahead.",
    "residual_likelihood": "2",
    "residual_impact": "3",
    "contingency": "Paper note sheet, entered by the shift lead.",
    "trigger": "An agency carer starts a shift without a login.",
    "status": "open",
    "review_date": "2027-01-15",
}


def _urls(plan, risk):
    return {
        "register": f"/plans/{plan.pk}/risks/",
        "csv": f"/plans/{plan.pk}/risks.csv",
        "create": f"/plans/{plan.pk}/risks/new/",
        "detail": f"/risks/{risk.pk}/",
        "edit": f"/risks/{risk.pk}/edit/",
        "delete": f"/risks/{risk.pk}/delete/",
        "review": f"/risks/{risk.pk}/reviews/new/",
    }


READS = ["register", "csv", "detail"]
WRITES = ["create", "edit", "review", "delete"]  # delete last: it removes the risk


# --- Who may do what ------------------------------------------------------------------------

# (persona, plan status, expected for reads, expected for writes)
PERMISSIONS = [
    ("anonymous", "draft", 302, 302),
    ("stranger", "draft", 404, 404),
    ("stranger", "approved", 404, 404),
    ("staff", "draft", 403, 403),
    ("viewer", "draft", 403, 403),
    ("staff", "approved", 200, 403),
    ("viewer", "in_progress", 200, 403),
    ("approver", "draft", 200, 403),
    ("approver", "in_review", 200, 403),
    ("manager", "draft", 200, 200),
]


@pytest.mark.parametrize("who,status,read,write", PERMISSIONS)
def test_every_view_for_every_persona(personas, plan, who, status, read, write):
    risk = RiskFactory(plan=plan)
    set_status(plan, status)
    client = personas.client(None if who == "anonymous" else getattr(personas, who))
    urls = _urls(plan, risk)
    for name in READS:
        response = client.get(urls[name])
        assert response.status_code == read, (name, response.status_code)
        if read == 302:
            assert response["Location"].startswith("/accounts/login/")
    review = {"reviewed_on": str(plan.start_date), "likelihood": "1", "impact": "2"}
    for name in WRITES:
        response = client.get(urls[name])
        assert response.status_code == write, (name, response.status_code)
        data = review if name == "review" else {**GOOD, "version": risk.version} if name == "edit" else GOOD
        response = client.post(urls[name], data)
        expected_post = 302 if write == 200 else write  # the manager's good POST redirects
        assert response.status_code == expected_post, (name, "POST", response.status_code)


def test_read_only_personas_see_no_edit_controls(personas, plan):
    RiskFactory(plan=plan, title="System outage on go-live day")
    set_status(plan, Plan.Status.APPROVED)
    for who in ("staff", "viewer", "approver"):
        page = personas.client(getattr(personas, who)).get(f"/plans/{plan.pk}/risks/").text
        assert "System outage on go-live day" in page
        assert "Add a risk" not in page and "/edit/" not in page


@pytest.mark.parametrize("status", ["in_review", "closed"])
def test_manager_is_told_why_a_locked_register_cannot_change(personas, plan, status):
    risk = RiskFactory(plan=plan, title="Wi-Fi dead spots")
    set_status(plan, status)
    client = personas.client(personas.manager)
    page = client.get(f"/plans/{plan.pk}/risks/").text
    assert "cannot be changed now" in page and "Add a risk" not in page
    response = client.post(f"/risks/{risk.pk}/edit/", {**GOOD, "version": risk.version}, follow=True)
    assert "cannot be changed" in response.text
    risk.refresh_from_db()
    assert risk.title == "Wi-Fi dead spots"
    response = client.post(f"/risks/{risk.pk}/delete/", follow=True)
    assert "cannot be changed" in response.text
    assert Risk.objects.filter(pk=risk.pk).exists()
    response = client.post(f"/plans/{plan.pk}/risks/new/", GOOD, follow=True)
    assert Risk.objects.count() == 1


# --- Adding and editing ----------------------------------------------------------------------


def test_manager_adds_a_risk_with_a_plain_form(personas, plan):
    reg12 = Standard.objects.get(code="Reg 12", framework__current=True)
    client = personas.client(personas.manager)
    response = client.post(f"/plans/{plan.pk}/risks/new/", {**GOOD, "owner": personas.staff.pk, "standards": [reg12.pk]})
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/risks/"
    risk = Risk.objects.get()
    assert (risk.ref, risk.owner, risk.inherent_score, risk.residual_score) == ("R1", personas.staff, 12, 6)
    assert [s.code for s in risk.standards.all()] == ["Reg 12"]
    assert AuditEvent.objects.filter(action="risk.created", object_id=risk.pk).exists()
    page = client.get(f"/plans/{plan.pk}/risks/").text
    assert "Risk R1 &#x27;Agency staff without logins&#x27; added" in page
    assert "12 High" in page and "6 Moderate" in page


def test_numbers_continue_after_a_deletion(personas, plan):
    client = personas.client(personas.manager)
    client.post(f"/plans/{plan.pk}/risks/new/", GOOD)
    client.post(f"/plans/{plan.pk}/risks/new/", {**GOOD, "title": "Second"})
    client.post(f"/risks/{Risk.objects.get(number=2).pk}/delete/")
    client.post(f"/plans/{plan.pk}/risks/new/", {**GOOD, "title": "Third"})
    assert list(Risk.objects.values_list("number", "title")) == [(1, GOOD["title"]), (3, "Third")]


def test_htmx_add_returns_the_register_with_the_new_risk(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/risks/new/", GOOD, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="risk-register"
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div id="risk-register">')
    assert "<html" not in html
    assert "Agency staff without logins" in html and "added to the register" in html
    # The new risk is counted in the heat map's "Likely x Moderate" square.
    assert "Likelihood Likely by impact Moderate: score 12, high, 1 risk" in html


def test_htmx_edit_opens_the_form_in_the_page_and_saves(personas, plan):
    risk = RiskFactory(plan=plan, title="Old title")
    client = personas.client(personas.manager)
    opened = client.get(f"/risks/{risk.pk}/edit/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="risk-register")
    assert opened.status_code == 200 and "Edit R1 Old title" in opened.text
    assert 'name="version" value="1"' in opened.text
    saved = client.post(f"/risks/{risk.pk}/edit/", {**GOOD, "title": "New title", "version": 1}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and "New title" in saved.text and "Add a risk" in saved.text
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("New title", 2)


def test_delete_asks_first_then_deletes(personas, plan):
    risk = RiskFactory(plan=plan, title="Wi-Fi dead spots")
    RiskReviewFactory(risk=risk)
    client = personas.client(personas.manager)
    page = client.get(f"/risks/{risk.pk}/delete/")
    assert page.status_code == 200 and "Delete risk R1" in page.text and "1 review" in page.text
    assert Risk.objects.filter(pk=risk.pk).exists()
    response = client.post(f"/risks/{risk.pk}/delete/")
    assert response.status_code == 302
    assert not Risk.objects.exists()
    assert AuditEvent.objects.filter(action="risk.deleted").exists()


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["inherent_likelihood", "residual_likelihood"])
@pytest.mark.parametrize("value", ["0", "6", "x"])
def test_crafted_likelihood_gets_a_message_beside_the_field(personas, plan, field, value):
    response = personas.client(personas.manager).post(f"/plans/{plan.pk}/risks/new/", {**GOOD, field: value})
    assert response.status_code == 400
    assert "Choose a likelihood from 1 (Rare) to 5 (Almost certain)." in response.text
    # Beside the field: crispy puts the message in the field's own feedback element.
    assert f'id="error_1_id_{field}"' in response.text
    # Nothing typed is lost.
    assert "Names sent 48 hours ahead." in response.text
    assert not Risk.objects.exists()


def test_crafted_impact_is_refused_too(personas, plan):
    response = personas.client(personas.manager).post(f"/plans/{plan.pk}/risks/new/", {**GOOD, "residual_impact": "6"})
    assert response.status_code == 400
    assert "Choose an impact from 1 (Negligible) to 5 (Catastrophic)." in response.text


def test_htmx_bad_input_comes_back_in_the_page(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/risks/new/", {**GOOD, "inherent_impact": "0"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only 2xx responses in
    assert "Choose an impact from 1 (Negligible)" in response.text
    assert not Risk.objects.exists()
    assert "Paper note sheet, entered by the shift lead." in response.text


def test_owner_from_another_home_is_refused(personas, plan):
    response = personas.client(personas.manager).post(f"/plans/{plan.pk}/risks/new/", {**GOOD, "owner": personas.stranger.pk})
    assert response.status_code == 400
    assert "Choose an owner who is a member of Oak View." in response.text
    assert not Risk.objects.exists()


def test_service_refuses_an_owner_outside_the_home_even_without_the_form(personas, plan):
    with pytest.raises(ValidationError) as e:
        services.risk_create(
            plan_id=plan.pk,
            by=personas.manager,
            data={
                "title": "X",
                "inherent_likelihood": 2,
                "inherent_impact": 2,
                "residual_likelihood": 1,
                "residual_impact": 1,
                "owner": UserFactory(),
            },
        )
    assert "member of Oak View" in str(e.value)


def test_residual_higher_than_inherent_is_explained(personas, plan):
    response = personas.client(personas.manager).post(
        f"/plans/{plan.pk}/risks/new/", {**GOOD, "residual_likelihood": "5", "residual_impact": "5"}
    )
    assert response.status_code == 400
    assert "cannot be higher than before it (12)" in response.text


def test_missing_title_is_explained(personas, plan):
    response = personas.client(personas.manager).post(f"/plans/{plan.pk}/risks/new/", {**GOOD, "title": ""})
    assert response.status_code == 400 and "This field is required." in response.text


# --- Two managers at once -----------------------------------------------------------------------


def test_second_save_of_the_same_version_is_refused_and_keeps_the_input(personas, plan):
    deputy = member(personas.home, Role.MANAGER, "deputy")
    risk = RiskFactory(plan=plan, title="Wi-Fi dead spots")
    first = personas.client(personas.manager).post(f"/risks/{risk.pk}/edit/", {**GOOD, "title": "First", "version": 1})
    assert first.status_code == 302
    second = personas.client(deputy).post(f"/risks/{risk.pk}/edit/", {**GOOD, "title": "Second", "version": 1})
    assert second.status_code == 409
    assert "Someone else changed this since you opened it" in second.text
    assert 'value="Second"' in second.text
    risk.refresh_from_db()
    assert (risk.title, risk.version) == ("First", 2)


# --- Filters, sorting, heat map ------------------------------------------------------------------


@pytest.fixture
def register(personas, plan):
    """Three risks: extreme go-live (staff owns), high planning, low embedding and closed."""
    return {
        "outage": RiskFactory(
            plan=plan,
            title="System outage",
            inherent_likelihood=4,
            inherent_impact=5,
            residual_likelihood=2,
            residual_impact=3,
            owner=personas.staff,
        ),
        "wifi": RiskFactory(
            plan=plan,
            title="Wi-Fi dead spots",
            phase=Risk.Phase.PLANNING,
            inherent_likelihood=3,
            inherent_impact=4,
            residual_likelihood=2,
            residual_impact=2,
        ),
        "costs": RiskFactory(
            plan=plan,
            title="Budget overrun",
            phase=Risk.Phase.EMBEDDING,
            status=Risk.Status.CLOSED,
            inherent_likelihood=1,
            inherent_impact=3,
            residual_likelihood=1,
            residual_impact=1,
            review_date=dt.date(2020, 1, 1),
        ),
    }


def _titles(response):
    return re.findall(r'<a href="/risks/\d+/">([^<]+)</a>', response.text)


def test_register_sorts_by_score_highest_first(personas, register, plan):
    client = personas.client(personas.manager)
    assert _titles(client.get(f"/plans/{plan.pk}/risks/")) == ["System outage", "Wi-Fi dead spots", "Budget overrun"]
    assert _titles(client.get(f"/plans/{plan.pk}/risks/?sort=inherent")) == [
        "Budget overrun",
        "Wi-Fi dead spots",
        "System outage",
    ]
    assert _titles(client.get(f"/plans/{plan.pk}/risks/?sort=ref")) == ["System outage", "Wi-Fi dead spots", "Budget overrun"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("band=extreme", ["System outage"]),
        ("band=high", ["Wi-Fi dead spots"]),
        ("band=low", ["Budget overrun"]),
        ("phase=planning", ["Wi-Fi dead spots"]),
        ("status=closed", ["Budget overrun"]),
        ("cell=inherent-4-5", ["System outage"]),
        ("cell=residual-2-2", ["Wi-Fi dead spots"]),
        ("band=nonsense", ["System outage", "Wi-Fi dead spots", "Budget overrun"]),  # ignored, not an error
    ],
)
def test_register_filters(personas, register, plan, query, expected):
    response = personas.client(personas.manager).get(f"/plans/{plan.pk}/risks/?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected


def test_owner_filter(personas, register, plan):
    response = personas.client(personas.manager).get(f"/plans/{plan.pk}/risks/?owner={personas.staff.pk}")
    assert _titles(response) == ["System outage"]


def test_htmx_filter_returns_only_the_register(personas, register, plan):
    response = personas.client(personas.manager).get(
        f"/plans/{plan.pk}/risks/?phase=planning", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="risk-register"
    )
    assert "<html" not in response.text and _titles(response) == ["Wi-Fi dead spots"]


def test_heat_map_cells_link_to_their_risks(personas, register, plan):
    page = personas.client(personas.manager).get(f"/plans/{plan.pk}/risks/").text
    assert f'href="/plans/{plan.pk}/risks/?cell=inherent-4-5#register-table"' in page
    assert f'href="/plans/{plan.pk}/risks/?cell=residual-2-3#register-table"' in page
    assert "cell=inherent-5-5" not in page  # empty squares are not links
    assert '<title id="heat-inherent-title">' in page and '<desc id="heat-residual-desc">' in page
    # The text alternative: a table with a caption, headers and the counts.
    assert "Before mitigation (inherent risk): number of risks by likelihood (rows) and impact (columns)" in page


def test_overdue_reviews_are_flagged_but_not_for_closed_risks(personas, plan):
    RiskFactory(plan=plan, title="Late", review_date=dt.date(2020, 1, 1))
    RiskFactory(plan=plan, title="Closed", review_date=dt.date(2020, 1, 1), status=Risk.Status.CLOSED)
    client = personas.client(personas.manager)
    page = client.get(f"/plans/{plan.pk}/risks/").text
    assert page.count("Overdue for review</span>") == 1
    assert _titles(client.get(f"/plans/{plan.pk}/risks/?review=overdue")) == ["Late"]


# --- Query counts -----------------------------------------------------------------------------------


def _fill(plan, n, owner):
    for i in range(n):
        risk = RiskFactory(
            plan=plan,
            owner=owner,
            inherent_likelihood=i % 5 + 1,
            inherent_impact=(i * 3) % 5 + 1,
            residual_likelihood=1,
            residual_impact=1,
        )
        RiskReviewFactory(risk=risk)
        risk.standards.add(*Standard.objects.filter(code="Reg 12"))


@pytest.mark.parametrize("n", [10, 300])
def test_register_query_count_does_not_grow_with_the_register(personas, plan, n, django_assert_num_queries):
    _fill(plan, n, personas.staff)
    client = personas.client(personas.manager)
    # 1 session, 2 user, 3 the user's roles, 4 plan with home and author, 5 home members
    # (filter and form), 6 risks with owners and scores, 7 their reviews with reviewers,
    # 8 their standards, 9-10 heat-map counts before and after mitigation, 11 home members
    # for the add form's owner list, 12 standards for the add form.
    with django_assert_num_queries(12):
        response = client.get(f"/plans/{plan.pk}/risks/")
    assert response.status_code == 200
    assert response.text.count('<tr id="risk-') == n


@pytest.mark.parametrize("n", [10, 300])
def test_csv_query_count_does_not_grow_with_the_register(personas, plan, n, django_assert_num_queries):
    _fill(plan, n, personas.staff)
    client = personas.client(personas.viewer)
    set_status(plan, Plan.Status.APPROVED)
    # 1 session, 2 user, 3 roles, 4 plan, 5 risks with owners, 6 reviews, 7 standards.
    with django_assert_num_queries(7):
        response = client.get(f"/plans/{plan.pk}/risks.csv")
    assert response.status_code == 200
