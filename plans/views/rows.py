"""Adding, editing and deleting a plan's rows, one set of views for every row kind
(plans.rows): with htmx the kind's block of the plan page is re-rendered in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from oakview.core.once import AlreadySent, create_once
from plans import selectors, services
from plans.access import get_plan_for_user, get_row_for_user
from plans.forms.drafting import BulkAssignForm
from plans.models import Plan
from plans.rows import ROWS, RowType, row_type
from plans.services import PlanLocked

from .drafting import locked_response, refuse_locked


def _rows_response(request: AuthedRequest, plan: Plan, row: RowType, bulk_form: BulkAssignForm | None = None) -> HttpResponse:
    """After an htmx change, the kind's block of the section page, re-rendered in place,
    with the section's readiness items out of band so the checklist never goes stale."""
    plan = get_plan_for_user(request.user, plan.pk)
    context = {"plan": plan, **selectors.plan_page(plan), "bulk_form": bulk_form or BulkAssignForm(plan=plan)}
    html = render_to_string(row.template, context, request)
    problems = selectors.plan_problems(plan)
    statuses, _ = selectors.section_statuses(plan, problems)
    status = next(s for s in statuses if s.section.key == row.section)
    html += render_to_string("plans/plan_section.html#readiness", {"status": status, "problems": problems}, request)
    response = HttpResponse(html)
    response["HX-Retarget"] = f"#rows-{row.kind}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _after_change(request: AuthedRequest, plan: Plan, row: RowType, message: str) -> HttpResponse:
    if request.htmx:
        return _rows_response(request, plan, row)
    messages.success(request, message)
    return redirect(f"{reverse('plans:plan-section', args=[plan.pk, row.section])}#rows-{row.kind}")


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
        "section_url": reverse("plans:plan-section", args=[plan.pk, row.section]),
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
    context = {
        "plan": plan,
        "row": instance,
        "kind": row.kind,
        "label": row.label,
        "section_url": reverse("plans:plan-section", args=[plan.pk, row.section]),
    }
    return render(request, "plans/row_confirm_delete.html", context)


@login_required
@require_http_methods(["POST"])
def actions_bulk(request: AuthedRequest, pk: int) -> HttpResponse:
    """Owners and due dates for the ticked actions, in one step."""
    plan = get_plan_for_user(request.user, pk, write=True)
    if not plan.can_edit_content():
        return locked_response(request, plan, PlanLocked(plan))
    row = ROWS["action"]
    form = BulkAssignForm(request.POST, plan=plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.actions_bulk_assign(
                plan=plan,
                by=request.user,
                action_ids=[a.pk for a in data["actions"]],
                owner=data["owner"],
                due_date=data["due_date"],
            )
        except StaleEdit:
            form.add_error(None, "Someone else changed one of these actions just now: look again and retry.")
        except PlanLocked as e:
            return locked_response(request, plan, e)
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            if request.htmx:
                return _rows_response(request, plan, row)
            messages.success(request, f"{len(changed)} action{'s' if len(changed) != 1 else ''} updated.")
            return redirect(f"{reverse('plans:plan-section', args=[plan.pk, row.section])}#rows-action")
    if request.htmx:
        return _rows_response(request, plan, row, bulk_form=form)
    for error in form.non_field_errors() + form.errors.get("actions", []) + form.errors.get("due_date", []):
        messages.error(request, str(error))
    return redirect(f"{reverse('plans:plan-section', args=[plan.pk, row.section])}#rows-action")
