"""Export pages: start a PDF export, watch it (htmx polling), download it.

Who may do what: the home's manager exports; manager, approver and viewer see the exports
and download them; staff may not (403); anyone outside the home gets 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from oakview.core.access import role_in
from oakview.core.audit import audit_record
from oakview.core.http import AuthedRequest
from plans.access import capabilities, get_plan_for_user
from plans.models import Plan, PlanExport, PlanRevision
from plans.services import ExportRefused, export_request, export_waiting_for_queue, is_exportable

PANEL = "plans/revision_exports.html#panel"
WAITING_MESSAGE = (
    "The export could not be queued just now: the task queue is not reachable. Your request is kept "
    "and the export will start by itself when the queue is back; you do not need to ask again."
)


def _revision_for_exports(user: Any, pk: int, number: int, *, write: bool = False) -> tuple[Plan, PlanRevision]:
    plan = get_plan_for_user(user, pk, write=write)  # 404 outside the home; 403 if read-only and writing
    if not plan.perms.can_download:
        raise PermissionDenied("Exports are for the manager, approvers and viewers of the home.")
    try:
        revision = plan.revisions.select_related("submitted_by").get(number=number)
    except PlanRevision.DoesNotExist:
        raise Http404("No such revision.") from None
    return plan, revision


def _revision_page(plan: Plan, revision: PlanRevision) -> str:
    return reverse("plans:revision-detail", args=[plan.pk, revision.number])


def _panel_context(plan: Plan, revision: PlanRevision, **extra: Any) -> dict[str, Any]:
    exports = list(revision.exports.select_related("requested_by").order_by("-created_at", "-id")[:20])
    latest = exports[0] if exports else None
    waiting = export_waiting_for_queue(exports[:1])
    return {
        # Its job waits in the outbox: the task queue was not reachable when it was asked for.
        "waiting_for_queue": bool(latest and latest.pk in waiting),
        "plan": plan,
        "revision": revision,
        "exports": exports,
        "latest": latest,
        "polling": bool(latest and latest.in_flight),
        "exportable": is_exportable(revision),
        "can_export": plan.perms.can_export and is_exportable(revision),
        "revision_url": _revision_page(plan, revision),
        **extra,
    }


@login_required
@require_GET
def revision_exports(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """The export panel: a fragment for htmx (polled while a job runs), a page otherwise."""
    plan, revision = _revision_for_exports(request.user, pk, number)
    context = _panel_context(plan, revision)
    template = PANEL if request.htmx else "plans/revision_exports.html"
    return render(request, template, context)


@login_required
@require_POST
def revision_export_create(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    plan, revision = _revision_for_exports(request.user, pk, number, write=True)
    error = None
    status = 200
    try:
        export = export_request(revision=revision, by=request.user)
    except ExportRefused as exc:
        error, status = str(exc), 400
    if request.htmx:
        # htmx swaps only 2xx responses; the fragment carries the message in an alert.
        return render(request, PANEL, _panel_context(plan, revision, error=error))
    if error:
        return render(request, "plans/revision_exports.html", _panel_context(plan, revision, error=error), status=status)
    if export.status == PlanExport.Status.DONE:
        messages.success(request, "The PDF is ready to download.")
    elif export.waiting_for_queue:
        messages.warning(request, WAITING_MESSAGE)
    else:
        messages.success(request, "Export started. The PDF will be ready in a few seconds.")
    return redirect("plans:revision-exports", pk=plan.pk, number=revision.number)


@login_required
@require_GET
def export_download(request: AuthedRequest, export_id: int) -> FileResponse:
    try:
        export = PlanExport.objects.select_related("revision__plan").get(pk=export_id)
    except PlanExport.DoesNotExist:
        raise Http404("No such export.") from None
    plan = export.revision.plan
    role = role_in(request.user, plan.home_id)
    if role is None:
        raise Http404("No such export.")
    if not capabilities(role, plan).can_download:
        raise PermissionDenied("Exports are for the manager, approvers and viewers of the home.")
    if export.status != PlanExport.Status.DONE or not export.file:
        raise Http404("This export has no file.")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this export is missing.") from None
    audit_record(
        home_id=plan.home_id,
        actor=request.user,
        action="export_downloaded",
        summary=f"PDF of revision {export.revision.number} downloaded",
        target=export.revision,
        detail={"export_id": export.pk, "sha256": export.sha256},
    )
    response = FileResponse(handle, as_attachment=True, filename=export.filename, content_type="application/pdf")
    # A care plan on a shared office PC must not linger in caches.
    response["Cache-Control"] = "private, no-store"
    return response
