"""Every main page of the large plan against a bare template of the same rows.

In-process (Django's test client, production settings, PostgreSQL): for each page, the
real request, and a bare Django template (benchmarks/templates/bench/bare.html: a heading
and a table per kind of row, no layout, no queries) rendering the rows that page shows,
loaded into memory beforehand. Interleaved rounds, medians; the ratio is the figure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from common import ROOT, interleaved, median_ms


@dataclass
class PageResult:
    name: str
    url: str
    user: str
    page_ms: float
    bare_ms: float
    queries: int
    rows: int

    @property
    def ratio(self) -> float:
        return self.page_ms / self.bare_ms if self.bare_ms else float("inf")


def _bare_template() -> Any:
    from django.template import engines

    engine = engines["django"].engine
    with open(ROOT / "benchmarks" / "templates" / "bench" / "bare.html", encoding="utf-8") as f:
        return engine.from_string(f.read())


def _tables_plan(plan: Any) -> list[dict[str, Any]]:
    from plans.models import Action, TrainingSession

    actions = [
        (a.title, a.description[:160], a.owner.display_name if a.owner else "", a.due_date, a.get_status_display(),
         a.milestone.title if a.milestone else "", " ".join(s.code for s in a.standards.all()), "Edit", "Delete")
        for a in Action.objects.filter(plan=plan).select_related("owner", "milestone").prefetch_related("standards")
    ]  # fmt: skip
    training = [
        (
            t.title,
            t.starts_at,
            t.duration_hours,
            t.trainer,
            ", ".join(u.display_name for u in t.attendees.all()),
            "Edit",
            "Delete",
        )
        for t in TrainingSession.objects.filter(plan=plan).prefetch_related("attendees")
    ]
    small = (
        [(d.description, d.get_kind_display(), d.evidence[:100]) for d in plan.drivers.all()]
        + [(o.title, o.target_date, o.measure) for o in plan.objectives.all()]
        + [(r.description, r.quantity, r.unit_cost, r.total_cost) for r in plan.resources.all()]
        + [(m.title, m.due_date, m.done) for m in plan.milestones.all()]
    )
    return [
        {"title": "Actions", "rows": actions},
        {"title": "Training", "rows": training},
        {"title": "Drivers, objectives, resources, milestones", "rows": small},
    ]


def _tables_snapshot(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    from plans.parts import registered_parts, rows_of

    tables = []
    for part in registered_parts():
        for kind in part.row_kinds:
            rows = [[row.get(c.key, "") for c in kind.columns] for row in rows_of(part, kind, snapshot)]
            tables.append({"title": kind.title, "rows": rows})
    return tables


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    return out.getvalue().encode()


def run(plan: Any, rounds: int) -> list[PageResult]:
    from django.db import connection
    from django.template import Context
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from oakview.core.models import User
    from plans import selectors
    from plans.models import Action, PlanRevision
    from risks.models import Risk
    from stakeholders.models import Stakeholder

    bare = _bare_template()
    clients: dict[str, Client] = {}

    def client(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        return clients[username]

    latest = plan.revisions.order_by("-number").first()
    approved = plan.revisions.filter(status=PlanRevision.Status.APPROVED).order_by("-number").first()
    history = selectors.plan_history_page(plan, 1).object_list
    staff_actions = list(Action.objects.filter(owner__username="staff1").select_related("plan__home"))
    pages: list[tuple[str, str, str, list[dict[str, Any]] | None, list[list[Any]] | None]] = [
        ("Plan page (manager, being revised)", f"/plans/{plan.pk}/", "manager", _tables_plan(plan), None),
        ("Review page with diff (approver)", f"/plans/{plan.pk}/review/", "approver", _tables_snapshot(latest.snapshot), None),
        ("Revision page (approved)", f"/plans/{plan.pk}/revisions/{approved.number}/", "manager",
         _tables_snapshot(approved.snapshot), None),
        ("Revision list", f"/plans/{plan.pk}/revisions/", "manager",
         [{"title": "Revisions", "rows": [(r.number, r.submitted_at, r.submitted_by.display_name, r.get_status_display())
                                          for r in plan.revisions.defer("snapshot").select_related("submitted_by")]}], None),
        ("History (page 1 of 50)", f"/plans/{plan.pk}/history/", "manager",
         [{"title": "History", "rows": [(e.when, e.who, e.what, e.detail) for e in history]}], None),
        ("Actions CSV", f"/plans/{plan.pk}/actions.csv", "manager", None,
         [[a.title, a.description, a.owner.display_name if a.owner else "", a.due_date, a.get_status_display(),
           a.milestone.title if a.milestone else "", "; ".join(s.code for s in a.standards.all()), a.completed_at]
          for a in selectors.actions_for_csv(plan)]),
        ("Training CSV", f"/plans/{plan.pk}/training.csv", "manager", None,
         [[t.title, t.starts_at, t.duration_hours, t.trainer, "; ".join(u.display_name for u in t.attendees.all()),
           t.backfill_hours] for t in plan.training_sessions.prefetch_related("attendees")]),
        ("Risk register", f"/plans/{plan.pk}/risks/", "manager",
         [{"title": "Risks", "rows": [(r.ref, r.title, r.owner.display_name if r.owner else "", r.get_category_display(),
                                       r.inherent_score, r.residual_score, r.review_date, r.get_status_display())
                                      for r in Risk.objects.filter(plan=plan).select_related("owner")]}], None),
        ("Stakeholder map", f"/plans/{plan.pk}/stakeholders/", "manager",
         [{"title": "Stakeholders", "rows": [(s.name, s.get_kind_display(), s.headcount, s.power, s.interest, s.stance,
                                              s.owner.display_name if s.owner else "")
                                             for s in Stakeholder.objects.filter(plan=plan).select_related("owner")]}], None),
        ("My actions (staff1)", "/actions/", "staff1",
         [{"title": "My actions", "rows": [(a.title, a.plan.title, a.plan.home.name, a.due_date, a.get_status_display(),
                                            a.description, "Status", "Note", "Update") for a in staff_actions]}], None),
    ]  # fmt: skip

    results = []
    for name, url, user, tables, csv_rows in pages:
        c = client(user)
        if tables is not None:
            context = Context({"title": name, "tables": tables})

            def bare_fn(context: Any = context) -> object:
                return bare.render(context)

            rows = sum(len(t["rows"]) for t in tables)
        else:
            assert csv_rows is not None

            def bare_fn(csv_rows: list[list[Any]] = csv_rows) -> object:
                return _csv(csv_rows)

            rows = len(csv_rows)

        def page_fn(c: Client = c, url: str = url) -> object:
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        times = interleaved({"page": page_fn, "bare": bare_fn}, rounds)
        with CaptureQueriesContext(connection) as ctx:
            page_fn()
        results.append(
            PageResult(name, url, user, median_ms(times["page"]), median_ms(times["bare"]), len(ctx.captured_queries), rows)
        )
        print(f"  {name:<40} {results[-1].page_ms:8.1f} ms  bare {results[-1].bare_ms:7.1f} ms  "
              f"{results[-1].ratio:5.2f}x  {results[-1].queries} queries, {rows} rows", flush=True)  # fmt: skip
    return results


Runner = Callable[[Any, int], list[PageResult]]
