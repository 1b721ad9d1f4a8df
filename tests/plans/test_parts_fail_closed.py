"""A part whose check or appendix cannot run never lets a plan through: fail closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Plan, PlanExport
from plans.parts import PlanPart, get_part, readiness_problems, register_part, unregister_part
from tests.services import committed

from .pdf_fixtures import approved_revision
from .workflow_helpers import ready_plan, refresh


class BrokenPart(PlanPart):
    key = "broken"
    title = "Broken checks"

    def snapshot(self, plan):
        return {}

    def readiness(self, plan):
        raise RuntimeError("the checklist's database view is missing")

    def appendices(self, snap):
        raise RuntimeError("the appendix template is missing")


@pytest.fixture
def broken_part():
    register_part(BrokenPart())
    yield
    unregister_part("broken")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_raising_readiness_check_is_a_blocking_problem(personas, broken_part):
    plan = ready_plan(personas)
    problems = [p for p in readiness_problems(plan) if p.part == "broken"]
    assert len(problems) == 1 and problems[0].blocking
    assert "Broken checks checks could not run" in problems[0].message


def test_a_raising_readiness_check_blocks_submission_with_the_problem_shown(personas, broken_part):
    plan = ready_plan(personas)
    response = personas.client(personas.manager).post(reverse("plans:plan-submit", args=[plan.pk]))
    assert response.status_code == 400
    assert "Broken checks checks could not run" in response.content.decode()
    assert refresh(plan).status == Plan.Status.DRAFT
    assert not plan.revisions.exists()


def test_without_the_broken_part_the_same_plan_submits(personas):
    plan = ready_plan(personas)
    response = personas.client(personas.manager).post(reverse("plans:plan-submit", args=[plan.pk]))
    assert response.status_code == 302
    assert refresh(plan).status == Plan.Status.IN_REVIEW


def test_a_raising_appendix_fails_the_export_with_the_error_recorded(personas, broken_part):
    revision = approved_revision(personas)
    client = personas.client(personas.manager)
    with committed():  # the job is handed over after the commit
        client.post(reverse("plans:revision-export", args=[revision.plan_id, revision.number]))
    export = PlanExport.objects.get(revision=revision)
    assert export.status == PlanExport.Status.FAILED
    assert not export.file
    assert "RuntimeError: the appendix template is missing" in export.error
    page = client.get(reverse("plans:revision-exports", args=[revision.plan_id, revision.number]))
    assert "the appendix template is missing" in page.content.decode()


def test_the_plan_part_fails_closed_too(personas, monkeypatch):
    """The wave-1 bug: an ImportError inside the plan's own readiness gave "no problems"."""

    def cannot_import(plan):
        raise ImportError("No module named 'plans.readiness'")

    monkeypatch.setattr(get_part("plan"), "readiness", cannot_import)
    plan = ready_plan(personas)
    blocking = [p for p in readiness_problems(plan) if p.blocking]
    assert [p.part for p in blocking] == ["plan"]
    assert "could not run" in blocking[0].message
