"""The access matrix: every URL pattern of the site (walked from the resolver) opened by every
persona, with the status each must get. A new URL with no row here fails the test: decide
who may open it and add its row.

The world: Oak View with an approved plan in progress (written by an approver who used to be
its manager: the author-approver), one row of every kind, an approved revision and its PDF,
and Beech House, whose manager is the stranger. GET only: what the page shows is read
elsewhere, and the write paths are covered per app (views tests, the lock and create tests).

    OAKVIEW_PRINT_MATRIX=1 pytest tests/test_access_matrix.py -k print   # the statuses now
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from oakview.core.models import Role
from plans.models import Plan, PlanExport, PlanRevision
from plans.models.assessment import Assessment, AssessorAssignment, CriterionPassage
from plans.parts import build_snapshot
from plans.services import calendar_token_reset
from tests.factories import (
    ActionFactory,
    DriverFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
    ResourceFactory,
    TrainingSessionFactory,
    member,
)
from tests.risks.factories import RiskFactory
from tests.stakeholders.factories import (
    ActivityFactory,
    AdkarPulseFactory,
    ChampionFactory,
    CommunicationFactory,
    ConcernFactory,
    StakeholderFactory,
)

from .access_matrix_rows import ROWS

PERSONAS = ["anonymous", "stranger", "staff", "viewer", "approver", "author_approver", "manager"]


@dataclass
class World:
    plan: Plan
    ids: dict[str, int]
    token: str


def _walk(resolver: URLResolver, namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _walk(pattern, f"{namespace}:{inner}" if namespace and inner else inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def url_names() -> set[str]:
    """Every named pattern of the site; the admin's own are one row (it checks them itself)."""
    return {name for name in _walk(get_resolver()) if not name.startswith("admin:") or name in ADMIN_ROWS}


ADMIN_ROWS = {"admin:index", "admin:login"}


def _url(name: str, w: World) -> str:
    i = w.ids
    plan = w.plan.pk
    by_name: dict[str, dict] = {
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "plans:calendar-feed": {"token": w.token},
        "plans:action-status": {"pk": i["action"]},
        "plans:revision-detail": {"pk": plan, "number": 1},
        "plans:revision-exports": {"pk": plan, "number": 1},
        "plans:revision-export": {"pk": plan, "number": 1},
        "plans:export-download": {"export_id": i["export"]},
        "plans:plan-section-edit": {"pk": plan, "section": "need"},
        "plans:plan-section": {"pk": plan, "section": "need"},
        "plans:plan-section-preview": {"pk": plan, "section": "need"},
        # No review comment in this world: whoever may reach the view gets 404 or 405.
        "plans:comment-reply": {"pk": plan, "comment_id": 999999},
        "plans:comment-resolve": {"pk": plan, "comment_id": 999999},
        "plans:criterion-passage-link": {"pk": plan, "criterion": "vision"},
        "plans:criterion-passage-unlink": {"pk": plan, "passage_id": i["passage"]},
        "plans:assessor-remove": {"pk": plan, "user_id": i["assessor"]},
        "plans:assess-revision": {"pk": plan, "number": 1},
        "plans:assessment-detail": {"pk": plan, "assessment_id": i["assessment"]},
        "plans:assessment-pdf": {"pk": plan, "assessment_id": i["assessment"]},
        "risks:risk-detail": {"pk": i["risk"]},
        "risks:risk-edit": {"pk": i["risk"]},
        "risks:risk-delete": {"pk": i["risk"]},
        "risks:review-create": {"pk": i["risk"]},
        "stakeholders:stakeholder-detail": {"pk": i["stakeholder"]},
        "stakeholders:stakeholder-edit": {"pk": i["stakeholder"]},
        "stakeholders:stakeholder-delete": {"pk": i["stakeholder"]},
        "stakeholders:pulse-create": {"pk": i["stakeholder"]},
        "stakeholders:pulse-delete": {"pk": i["pulse"]},
    }
    if name in by_name:
        return reverse(name, kwargs=by_name[name])
    app, _, short = name.rpartition(":")
    for kind in ("driver", "objective", "resource", "milestone", "action", "training"):
        if short in (f"{kind}-edit", f"{kind}-delete"):
            return reverse(name, kwargs={"row_pk": i[kind]})
    for kind in ("activity", "champion", "communication", "concern"):
        if short.startswith(f"{kind}-") and short not in (f"{kind}-create",):
            return reverse(name, kwargs={"pk": i[kind]})
    for kwargs in ({}, {"pk": plan}, {"plan_id": plan}):
        try:
            return reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - the next shape of arguments
            continue
    raise AssertionError(f"no arguments known for {name}")


@pytest.fixture
def world(personas, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    author = member(personas.home, Role.APPROVER, "t-author-approver", first_name="Ann", last_name="Author")
    personas.author_approver = author
    plan = PlanFactory(home=personas.home, author=author, title="Digital care records")
    ids = {
        "driver": DriverFactory(plan=plan).pk,
        "objective": ObjectiveFactory(plan=plan).pk,
        "resource": ResourceFactory(plan=plan, unit_cost=Decimal("10")).pk,
        "milestone": MilestoneFactory(plan=plan).pk,
        "action": ActionFactory(plan=plan, owner=personas.staff, due_date=dt.date(2027, 1, 10)).pk,
        "training": TrainingSessionFactory(plan=plan, starts_at=timezone.make_aware(dt.datetime(2027, 1, 12, 9))).pk,
        "risk": RiskFactory(plan=plan).pk,
    }
    stakeholder = StakeholderFactory(plan=plan)
    ids["stakeholder"] = stakeholder.pk
    ids["pulse"] = AdkarPulseFactory(stakeholder=stakeholder).pk
    ids["activity"] = ActivityFactory(plan=plan).pk
    ids["champion"] = ChampionFactory(plan=plan).pk
    ids["communication"] = CommunicationFactory(plan=plan).pk
    ids["concern"] = ConcernFactory(plan=plan).pk
    snapshot = build_snapshot(plan)
    revision = PlanRevision.objects.create(
        plan=plan, number=1, schema=snapshot["schema"], snapshot=snapshot, submitted_by=author, status="approved"
    )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.IN_PROGRESS)
    plan.refresh_from_db()
    # The viewer is the plan's assigned assessor, with feedback begun on revision 1.
    AssessorAssignment.objects.create(plan=plan, assessor=personas.viewer, assigned_by=personas.manager)
    ids["assessor"] = personas.viewer.pk
    ids["assessment"] = Assessment.objects.create(plan=plan, revision=revision, assessor=personas.viewer, criteria_version="1").pk
    ids["passage"] = CriterionPassage.objects.create(plan=plan, criterion="vision", section="need", text="Our vision").pk
    export = PlanExport(revision=revision, requested_by=personas.manager, template_version=1, status=PlanExport.Status.DONE)
    export.file.save("plan.pdf", ContentFile(b"%PDF-1.4 a stand-in"), save=False)
    export.save()
    ids["export"] = export.pk
    return World(plan=plan, ids=ids, token=calendar_token_reset(user=personas.staff))


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


def _clients(personas) -> dict[str, Client]:
    return {who: personas.client(None if who == "anonymous" else getattr(personas, who)) for who in PERSONAS}


EXPECTED: dict[str, tuple[int, ...]] = {}


def _load_expected() -> None:
    EXPECTED.update(ROWS)


def test_every_url_has_a_row():
    _load_expected()
    missing = sorted(url_names() - set(EXPECTED))
    assert not missing, f"URLs with no row in tests/access_matrix_rows.py: {missing}"
    stale = sorted(set(EXPECTED) - url_names())
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("who", PERSONAS)
def test_every_url_answers_each_persona_as_the_matrix_says(personas, world, who):
    _load_expected()
    client = _clients(personas)[who]
    column = PERSONAS.index(who)
    wrong = {}
    for name in sorted(url_names()):
        got = _status(client, _url(name, world))
        if got != EXPECTED[name][column]:
            wrong[name] = (got, EXPECTED[name][column])
    assert not wrong, f"{who}: (got, expected) {wrong}"


@pytest.mark.skipif(not os.environ.get("OAKVIEW_PRINT_MATRIX"), reason="prints the statuses now, for a new row")
def test_print_the_matrix(personas, world):
    clients = _clients(personas)
    for name in sorted(url_names()):
        url = _url(name, world)
        print(f'    "{name}": ({", ".join(str(_status(clients[who], url)) for who in PERSONAS)}),')
