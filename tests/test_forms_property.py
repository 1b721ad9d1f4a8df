"""Property-based tests (hypothesis) over every form a manager or approver sends: whatever the
fields hold (control characters, NUL, huge or negative numbers, far dates, unknown choices,
fields left out), the answer is never a 500, and a refused send changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import ActionFactory, PlanFactory
from tests.html_forms import page_form
from tests.risks.factories import RiskFactory
from tests.stakeholders.factories import StakeholderFactory

from .test_create_once import CASES, _case

FORMS = [*CASES, "edit-section", "edit-details", "edit-action", "edit-risk", "edit-stakeholder"]
EXAMPLES = 12

NASTY_TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs", "Cc"]), max_size=60)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01", "9999-12-31", "2027-02-30", "31/12/9999", "2027-01-12T25:61"]),
)
VALUE = st.one_of(NASTY_TEXT, NUMBERS, DATES, st.just(""))


def _edit_case(personas, name):
    plan = PlanFactory(home=personas.home, author=personas.manager)
    url = {
        "edit-section": lambda: f"/plans/{plan.pk}/sections/need/edit/",
        "edit-details": lambda: f"/plans/{plan.pk}/edit/",
        "edit-action": lambda: f"/plans/action/{ActionFactory(plan=plan).pk}/edit/",
        "edit-risk": lambda: f"/risks/{RiskFactory(plan=plan).pk}/edit/",
        "edit-stakeholder": lambda: f"/stakeholders/{StakeholderFactory(plan=plan).pk}/edit/",
    }[name]()
    return personas.manager, url, url


def _counts() -> dict[str, int]:
    names = ("plans", "risks", "stakeholders", "core")
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in names}


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    # The audit trail and rate-limit counters may grow on any request; the content may not.
    ignore = {"core.AuditEvent", "core.SecurityEvent", "core.RateCounter"}
    return {k: (before[k], after[k]) for k in before if before[k] != after[k] and k not in ignore}


def _fuzz(personas, name):
    if name.startswith("edit-"):
        who, page, post = _edit_case(personas, name)
    else:
        who, page, post, _count, _extra = _case(personas, name)
    client = personas.client(who)
    form = page_form(client.get(page).content.decode(), action=post)
    fields = sorted(form.names - {"csrfmiddlewaretoken"})
    token = next((c.value for c in form.controls if c.name == "csrfmiddlewaretoken"), "")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional={f: st.one_of(VALUE, st.lists(VALUE, max_size=3)) for f in fields}))
    def send(posted):
        before = _counts()
        response = client.post(post, {"csrfmiddlewaretoken": token, **posted})
        assert response.status_code < 500, (name, posted)
        if response.status_code >= 400:
            assert not _changed(before, _counts()), (name, posted, response.status_code)

    send()


@pytest.mark.parametrize("name", FORMS)
def test_no_form_answers_500_or_half_saves(personas, name):
    _fuzz(personas, name)
