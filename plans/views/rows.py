"""Adding, editing and deleting a plan's rows, one set of views for every row kind
(plans.rows): with htmx the kind's block of the plan page is re-rendered in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from oakview.core.once import AlreadySent, create_once
from plans import selectors, services
from plans.access import get_plan_for_user, get_row_for_user
from plans.models import Plan
from plans.rows import RowType, row_type
from plans.services import PlanLocked

from .drafting import locked_response, refuse_locked


def _rows_response(request: AuthedRequest, plan: Plan, row: RowType) -> HttpResponse:
    """After an htmx change, the kind's block of the plan page, re-rendered in place."""
    plan = get_plan_for_user(request.user, plan.pk)
    response = render(request, row.template, {"plan": plan, **selectors.plan_page(plan)})
    response["HX-Retarget"] = f"#rows-{row.kind}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _after_change(request: AuthedRequest, plan: Plan, row: RowType, message: str) -> HttpResponse:
    if request.htmx:
        return _rows_response(request, plan, row)
    messages.success(request, message)
    return redirect(f"{reverse('plans:plan-detail', args=[plan.pk])}#rows-{row.kind}")


def _row_form_page(
    request: AuthedRequest, *, plan: Plan, row: RowType, form: Any, instance: Any = None, status: int = 200
) -> HttpResponse:
    article = "an" if row.label[0] in "aeiou" else "a"
    context = {
        "plan": plan,
        "form": form,
        "kind": row.kind,
        "row": instance,
        "heading": f"Edit {row.label}" if instance else f"Add {article} {row.label}",
        "form_url": request.path,
    }
    template = "plans/row_form.html#form" if request.htmx else "plans/row_form.html"
    # htmx swaps only 2xx responses: it gets the form back with 200 and the messages in it.
    return render(request, template, context, status=200 if request.htmx else status)


@login_required
@require_http_methods(["GET", "POST"])
def row_create(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    row = row_type(kind)
    plan = get_plan_for_user(request.user, pk, write=True)
    if not plan.can_edit_content() and request.method != "POST":
        return locked_response(request, plan, PlanLocked(plan))
    form = row.form(request.POST or None, instance=row.model(plan=plan), plan=plan)
    status = 200
    if request.method == "POST" and not plan.can_edit_content():
        status = refuse_locked(form, PlanLocked(plan))
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                create_once(form, lambda: services.row_save(row=form.instance, by=request.user, m2m=form.m2m_values()))
            except AlreadySent as e:
                return _after_change(request, plan, row, str(e))
            except PlanLocked as e:
                status = refuse_locked(form, e)
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                return _after_change(request, plan, row, f"Added {row.label} “{form.instance}”.")
    return _row_form_page(request, plan=plan, row=row, form=form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: AuthedRequest, kind: str, row_pk: int) -> HttpResponse:
    row = row_type(kind)
    instance: Any = get_row_for_user(request.user, row.model, row_pk, write=True)
    plan = get_plan_for_user(request.user, instance.plan_id, write=True)
    if not plan.can_edit_content() and request.method != "POST":
        return locked_response(request, plan, PlanLocked(plan))
    form = row.form(request.POST or None, instance=instance, plan=plan)
    status = 200
    if request.method == "POST" and not plan.can_edit_content():
        status = refuse_locked(form, PlanLocked(plan))
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.row_save(
                    row=form.instance,
                    by=request.user,
                    expected_version=form.expected_version(),
                    m2m=form.m2m_values(),
                )
            except StaleEdit:
                form.add_stale_error()
                status = 409
            except PlanLocked as e:
                status = refuse_locked(form, e)
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                return _after_change(request, plan, row, f"Saved {row.label} “{form.instance}”.")
    return _row_form_page(request, plan=plan, row=row, form=form, instance=instance, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def row_delete(request: AuthedRequest, kind: str, row_pk: int) -> HttpResponse:
    row = row_type(kind)
    instance: Any = get_row_for_user(request.user, row.model, row_pk, write=True)
    plan = get_plan_for_user(request.user, instance.plan_id, write=True)
    if request.method == "POST":
        try:
            services.row_delete(row=instance, by=request.user)
        except PlanLocked as e:
            return locked_response(request, plan, e)
        return _after_change(request, plan, row, f"Deleted {row.label} “{instance}”.")
    context = {"plan": plan, "row": instance, "kind": row.kind, "label": row.label}
    return render(request, "plans/row_confirm_delete.html", context)
