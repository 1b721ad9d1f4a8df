"""The edit lock is not optional: a save without the hidden `version` is refused like a stale
one, and a refused save always shows the typed text back with the reason, including when
the plan was submitted while the person typed."""

from __future__ import annotations

import pytest

from oakview.core.locking import StaleEdit
from plans.forms.drafting import SECTION_FORMS, ActionForm, PlanDetailsForm
from plans.models import Action, Plan
from risks.forms import RiskForm
from risks.models import Risk
from stakeholders.forms import StakeholderForm
from stakeholders.models import Stakeholder
from tests.factories import ActionFactory
from tests.forms_data import form_data
from tests.risks.factories import RiskFactory
from tests.stakeholders.factories import StakeholderFactory

from .workflow_helpers import ready_plan

TYPED = "Words the manager typed and must not lose"


def _cases(plan: Plan):
    action = ActionFactory(plan=plan, title="Order tablets")
    risk = RiskFactory(plan=plan, title="Tablets fail")
    stakeholder = StakeholderFactory(plan=plan, name="Night staff")
    need = SECTION_FORMS["need"]
    return {
        "section": (f"/plans/{plan.pk}/sections/need/edit/", need(instance=plan), "narrative_need", plan),
        "details": (f"/plans/{plan.pk}/edit/", PlanDetailsForm(instance=plan), "title", plan),
        "action": (f"/plans/action/{action.pk}/edit/", ActionForm(instance=action, plan=plan), "title", action),
        "risk": (f"/risks/{risk.pk}/edit/", RiskForm(instance=risk, plan=plan), "title", risk),
        "stakeholder": (
            f"/stakeholders/{stakeholder.pk}/edit/",
            StakeholderForm(instance=stakeholder, plan=plan),
            "name",
            stakeholder,
        ),
    }


CASES = ["section", "details", "action", "risk", "stakeholder"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("version", [None, "", "not-a-number"])
def test_a_save_without_a_version_is_refused_like_a_stale_one(personas, case, version):
    plan = ready_plan(personas)
    url, form, field, obj = _cases(plan)[case]
    before = type(obj).objects.get(pk=obj.pk)
    data = form_data(form, **{field: TYPED, "version": version})
    if version is None:
        data.pop("version", None)
    response = personas.client(personas.manager).post(url, data)
    assert response.status_code in (400, 409), response.content.decode()[:3000]
    assert StaleEdit.message.split(".")[0] in response.text
    assert TYPED in response.text  # the typed text comes back
    after = type(obj).objects.get(pk=obj.pk)
    assert getattr(after, field) == getattr(before, field) and after.version == before.version


@pytest.mark.parametrize("case", CASES)
def test_a_save_with_the_version_still_goes_through(personas, case):
    plan = ready_plan(personas)
    url, form, field, obj = _cases(plan)[case]
    response = personas.client(personas.manager).post(url, form_data(form, **{field: TYPED}))
    assert response.status_code in (200, 302), response.content.decode()[:3000]
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == TYPED


@pytest.mark.parametrize("case", ["section", "details", "action", "risk"])
def test_a_save_after_the_plan_was_submitted_meanwhile_shows_the_text_and_why(personas, case):
    plan = ready_plan(personas)
    url, form, field, obj = _cases(plan)[case]
    data = form_data(form, **{field: TYPED})  # the page as opened, before the submission
    # Someone submits it meanwhile (the status as plan_submit leaves it; the rows this test
    # made would fail readiness, which is not what is tested here).
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_REVIEW)
    response = personas.client(personas.manager).post(url, data)
    assert response.status_code == 409, response.content.decode()[:3000]
    assert "submitted for review while you were editing" in response.text
    assert TYPED in response.text
    assert getattr(type(obj).objects.get(pk=obj.pk), field) != TYPED


def test_models_named_here_are_the_versioned_ones():
    for model in (Plan, Action, Risk, Stakeholder):
        assert hasattr(model, "version")
