"""Drafting pages: plan list, new plan, the plan page with its rows, My actions, feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from oakview.core.access import WRITE_ROLES, homes_with_role, role_in, roles_by_home
from oakview.core.forms import add_validation_errors
from oakview.core.locking import StaleEdit
from oakview.core.models import CareHome

from . import selectors, services
from .access import APPROVED_ONLY_ROLES, get_plan_for_user, get_row_for_user, require_approved_for_readers
from .forms import ROW_FORMS, SECTION_FORMS, ActionStatusForm, PlanCreateForm, PlanDetailsForm
from .hooks import plan_panels
from .markdown import word_count
from .models import SECTIONS, Action, Plan
from .models.plan import WORD_GUIDE
from .services import ROW_MODELS, PlanLocked

# What each row kind is called on the page, and which section it belongs to.
ROW_KINDS = {
    "driver": ("driver", "drivers", "need"),
    "objective": ("objective", "objectives", "planning"),
    "resource": ("resource", "resources", "planning"),
    "milestone": ("milestone", "milestones", "planning"),
    "action": ("action", "actions", "planning"),
    "training": ("training session", "training", "planning"),
}




def _is_manager(plan: Plan) -> bool:
    return getattr(plan, "viewer_role", None) in WRITE_ROLES


# --- Plans -----------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    roles = roles_by_home(request.user)
    status = request.GET.get("status", "")
    if status not in Plan.Status.values:
        status = ""
    try:
        home_id = int(request.GET.get("home") or 0) or None
    except ValueError:
        home_id = None
    if home_id is not None and home_id not in roles:
        home_id = None
    plans = selectors.plan_list(request.user, status=status, home_id=home_id)
    homes = CareHome.objects.filter(pk__in=roles)
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "homes": homes,
            "statuses": Plan.Status.choices,
            "status": status,
            "home_id": home_id,
            "can_create": bool(homes_with_role(request.user, WRITE_ROLES)),
            "today": selectors.timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    home_ids = homes_with_role(request.user, WRITE_ROLES)
    if not home_ids:
        raise PermissionDenied("Only a home's Registered Manager can start a plan.")
    form = PlanCreateForm(request.POST or None, homes=CareHome.objects.filter(pk__in=home_ids))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                home=data["home"],
                by=request.user,
                title=data["title"],
                summary=data["summary"],
                start_date=data["start_date"],
                go_live_date=data["go_live_date"],
                end_date=data["end_date"],
                from_template=data["start_from"] == PlanCreateForm.START_TEMPLATE,
            )
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, f"Plan “{plan.title}” started. Work through the five sections below.")
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if plan.viewer_role in APPROVED_ONLY_ROLES:
        # Staff and assessors read the plan as approved, never a draft in the making.
        from .workflow import approved_revision

        require_approved_for_readers(plan)
        return redirect("plans:revision-detail", pk=plan.pk, number=approved_revision(plan).number)
    context = {"plan": plan, **selectors.plan_page(plan), "panels": plan_panels(request, plan)}
    if _is_manager(plan):
        context["timeline"] = selectors.plan_timeline(plan, limit=15)
    return render(request, "plans/plan_detail.html", context)


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    entries = selectors.plan_timeline(plan, limit=500)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "plans/plan_history.html", {"plan": plan, "page": page})


def _locked_response(request, plan, exc: PlanLocked):
    messages.error(request, str(exc))
    return redirect("plans:plan-detail", pk=plan.pk)


def _save_plan_form(request, plan: Plan, form) -> int | None:
    """Validate and save a form over the plan's own fields (details or a section).

    None when saved; otherwise the status to show the form again with: 400 for bad input,
    409 when someone else saved first (the user's input stays in the form). PlanLocked
    propagates for the caller to explain.
    """
    if not form.is_valid():
        return 400
    try:
        fields = {name: form.cleaned_data[name] for name in form._meta.fields}
        services.plan_update(plan=plan, by=request.user, expected_version=form.expected_version(), **fields)
    except StaleEdit:
        form.add_stale_error()
        return 409
    except ValidationError as e:
        add_validation_errors(form, e)
        return 400
    return None


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if not plan.can_edit_content():
        return _locked_response(request, plan, PlanLocked(plan))
    form = PlanDetailsForm(request.POST or None, instance=plan)
    status = 200
    if request.method == "POST":
        try:
            status = _save_plan_form(request, plan, form)
        except PlanLocked as e:
            return _locked_response(request, plan, e)
        if status is None:
            messages.success(request, "Plan details saved.")
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/plan_edit.html", {"plan": plan, "form": form, "heading": "Edit plan details"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    try:
        sec = next(s for s in SECTIONS if s.key == section)
    except StopIteration:
        raise Http404("No such section.") from None
    if not plan.can_edit_content():
        return _locked_response(request, plan, PlanLocked(plan))
    form_class = SECTION_FORMS[sec.key]
    form = form_class(request.POST or None, instance=plan)
    status = 200
    if request.method == "POST":
        try:
            status = _save_plan_form(request, plan, form)
        except PlanLocked as e:
            return _locked_response(request, plan, e)
        if status is None:
            messages.success(request, f"{sec.title} saved.")
            return redirect(f"{reverse('plans:plan-detail', args=[plan.pk])}#{sec.anchor}")
    return render(
        request,
        "plans/plan_section_edit.html",
        {
            "plan": plan, "form": form, "section": sec, "heading": f"{sec.number}. {sec.title}",
            "other_words": sum(word_count(plan.narrative(s)) for s in SECTIONS if s.key != sec.key),
            "word_guide": WORD_GUIDE,
        },
        status=status,
    )


# --- Rows ------------------------------------------------------------------------------------


def _rows_response(request, plan: Plan, kind: str) -> HttpResponse:
    """After an htmx change, the kind's block of the plan page, re-rendered in place."""
    plan = get_plan_for_user(request.user, plan.pk)
    context = {"plan": plan, **selectors.plan_page(plan)}
    response = render(request, f"plans/_rows_{kind}.html", context)
    response["HX-Retarget"] = f"#rows-{kind}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _after_change(request, plan: Plan, kind: str, message: str) -> HttpResponse:
    if request.htmx:
        return _rows_response(request, plan, kind)
    messages.success(request, message)
    return redirect(f"{reverse('plans:plan-detail', args=[plan.pk])}#rows-{kind}")


def _row_form_page(request, *, plan, kind, form, row=None, status=200) -> HttpResponse:
    label = ROW_KINDS[kind][0]
    context = {
        "plan": plan,
        "form": form,
        "kind": kind,
        "row": row,
        "heading": f"Edit {label}" if row else f"Add {'an' if label[0] in 'aeiou' else 'a'} {label}",
        "form_url": request.path,
    }
    template = "plans/row_form.html#form" if request.htmx else "plans/row_form.html"
    # htmx swaps only 2xx responses: it gets the form back with 200 and the messages in it.
    return render(request, template, context, status=200 if request.htmx else status)


@login_required
@require_http_methods(["GET", "POST"])
def row_create(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    if not plan.can_edit_content():
        return _locked_response(request, plan, PlanLocked(plan))
    model, form_class = ROW_MODELS[kind], ROW_FORMS[kind]
    form = form_class(request.POST or None, instance=model(plan=plan), plan=plan)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.row_save(row=form.instance, by=request.user, m2m=form.m2m_values())
            except PlanLocked as e:
                return _locked_response(request, plan, e)
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                return _after_change(request, plan, kind, f"Added {ROW_KINDS[kind][0]} “{form.instance}”.")
    return _row_form_page(request, plan=plan, kind=kind, form=form, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, kind: str, row_pk: int) -> HttpResponse:
    row = get_row_for_user(request.user, ROW_MODELS[kind], row_pk, write=True)
    plan = get_plan_for_user(request.user, row.plan_id, write=True)
    if not plan.can_edit_content():
        return _locked_response(request, plan, PlanLocked(plan))
    form = ROW_FORMS[kind](request.POST or None, instance=row, plan=plan)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.row_save(row=form.instance, by=request.user, expected_version=form.expected_version(), m2m=form.m2m_values())
            except StaleEdit:
                form.add_stale_error()
                status = 409
            except PlanLocked as e:
                return _locked_response(request, plan, e)
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                return _after_change(request, plan, kind, f"Saved {ROW_KINDS[kind][0]} “{form.instance}”.")
    return _row_form_page(request, plan=plan, kind=kind, form=form, row=row, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def row_delete(request: HttpRequest, kind: str, row_pk: int) -> HttpResponse:
    row = get_row_for_user(request.user, ROW_MODELS[kind], row_pk, write=True)
    plan = get_plan_for_user(request.user, row.plan_id, write=True)
    if request.method == "POST":
        try:
            services.row_delete(row=row, by=request.user)
        except PlanLocked as e:
            return _locked_response(request, plan, e)
        return _after_change(request, plan, kind, f"Deleted {ROW_KINDS[kind][0]} “{row}”.")
    return render(request, "plans/row_confirm_delete.html", {"plan": plan, "row": row, "kind": kind, "label": ROW_KINDS[kind][0]})


# --- My actions ------------------------------------------------------------------------------


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    context = selectors.my_actions(request.user)
    context["training"] = selectors.my_training(request.user)
    return render(request, "plans/my_actions.html", context)


def _get_action_for_status(user, pk: int) -> tuple[Action, str]:
    action = get_row_for_user(user, Action, pk)
    role = role_in(user, action.plan.home_id)
    if not services.may_update_status(action=action, user=user, role=role):
        raise PermissionDenied("Only the action's owner or the home's manager can update it.")
    return action, role


@login_required
@require_http_methods(["GET", "POST"])
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff change the status of their own action and add a note; nothing else."""
    action, _role = _get_action_for_status(request.user, pk)
    form = ActionStatusForm(request.POST or None, action=action)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.action_update_status(
                    action=action, by=request.user, status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"], expected_version=form.cleaned_data.get("version"),
                )
            except StaleEdit:
                form.add_stale_error()
                status = 409
            except PlanLocked as e:
                form.add_error(None, str(e))
            except ValidationError as e:
                add_validation_errors(form, e)
            else:
                if request.htmx:
                    action.refresh_from_db()
                    return render(request, "plans/my_actions.html#action-card", {"a": action, "form": ActionStatusForm(action=action), "saved": True, "today": selectors.timezone.localdate()})
                messages.success(request, f"Updated “{action.title}”.")
                return redirect(request.POST.get("next") if request.POST.get("next") == reverse("plans:plan-detail", args=[action.plan_id]) else "plans:my-actions")
    template = "plans/my_actions.html#action-card" if request.htmx else "plans/action_status.html"
    return render(request, template, {"a": action, "action": action, "form": form, "today": selectors.timezone.localdate()}, status=200 if request.htmx else status)


# --- Exports and feeds -------------------------------------------------------------------------


@login_required
def actions_csv(request: HttpRequest, pk: int) -> HttpResponse:
    from .feeds import actions_csv_response

    plan = get_plan_for_user(request.user, pk)
    require_approved_for_readers(plan)
    return actions_csv_response(plan)


@login_required
def training_csv(request: HttpRequest, pk: int) -> HttpResponse:
    from .feeds import training_csv_response

    plan = get_plan_for_user(request.user, pk)
    require_approved_for_readers(plan)
    return training_csv_response(plan)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            services.calendar_token_revoke(user=request.user)
            messages.success(request, "Your calendar link is switched off. Calendars using it will stop updating.")
        else:
            services.calendar_token_reset(user=request.user)
            messages.success(request, "New calendar link made. Any old link has stopped working.")
        return redirect("plans:calendar")
    token = request.user.calendar_token
    url = request.build_absolute_uri(reverse("plans:calendar-feed", args=[token])) if token else ""
    return render(request, "plans/calendar.html", {"feed_url": url})


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot sign in): the long random token is the key."""
    from oakview.core.models import User

    from .feeds import calendar_response

    if not token:
        raise Http404
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar.")
    return calendar_response(user)
