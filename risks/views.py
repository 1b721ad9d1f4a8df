"""Pages of the risk register. Every view asks risks.selectors for the plan or risk first."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from oakview.core.formats import csv_response, short_date
from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from oakview.core.once import AlreadySent, create_once
from plans.models import Plan

from . import matrix, services
from .charts import grid, heat_map_svg
from .forms import RiskFilterForm, RiskForm, RiskReviewForm, home_members
from .models import Risk
from .selectors import get_register_plan, get_risk_for_user, heat_counts, register_rows

REGISTER = "risks/risk_register.html"
# For the "what the levels mean" guide beside every risk form.
MATRIX = {"likelihood_levels": matrix.LIKELIHOOD, "impact_levels": matrix.IMPACT, "bands": matrix.BANDS}


def _register_url(plan_id: int, **params) -> str:
    url = reverse("risks:register", args=[plan_id])
    return f"{url}?{urlencode(params)}" if params else url


def _can_write(plan: Plan) -> bool:
    return plan.perms.can_edit


def _locked(request: AuthedRequest, plan: Plan, error: services.PlanLocked) -> HttpResponse:
    messages.error(request, str(error))
    url = _register_url(plan.pk)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _register_context(request: AuthedRequest, plan: Plan, *, form: RiskForm | None = None, editing: Risk | None = None) -> dict:
    """Everything the register page shows. Queries, whatever the number of risks: members
    (filter and form), risks + owners, their reviews, their standards, two heat-map counts,
    and the standards list for the add form."""
    today = timezone.localdate()
    members = list(home_members(plan))
    # Its own ids: the add form beside it has fields of the same names (phase, owner, status).
    filter_form = RiskFilterForm(request.GET or None, owners=members, auto_id="filter_%s")
    filters = filter_form.values()
    rows = register_rows(plan, filters, today=today)
    counts = heat_counts(plan)
    selected_cell = filters.get("cell", "")
    heat_maps = []
    for basis in ("inherent", "residual"):
        basis_counts = getattr(counts, basis)
        selected = None
        if selected_cell.startswith(basis + "-"):
            _, likelihood, impact = selected_cell.split("-")
            selected = (int(likelihood), int(impact))

        def href_for(likelihood: int, impact: int, basis=basis) -> str:
            return _register_url(plan.pk, cell=f"{basis}-{likelihood}-{impact}") + "#register-table"

        heat_maps.append(
            {
                "basis": basis,
                "svg": heat_map_svg(basis_counts, basis=basis, id_prefix=f"heat-{basis}", href_for=href_for, selected=selected),
                "grid": grid(basis_counts, href_for=href_for),
                "caption": "Before mitigation (inherent risk)" if basis == "inherent" else "After mitigation (residual risk)",
            }
        )
    can_write = _can_write(plan)
    if can_write and form is None and editing is None:
        form = RiskForm(plan=plan)
    return {
        "plan": plan,
        "rows": rows,
        "total": sum(counts.inherent.values()),
        "filter_form": filter_form,
        "filtered": bool({k for k in filters if k != "sort"}),
        "filters": filters,
        "heat_maps": heat_maps,
        **MATRIX,
        "today": today,
        "can_write": can_write,
        "is_manager": plan.perms.can_manage,
        "form": form,
        "editing": editing,
    }


@login_required
def risk_register(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_register_plan(request.user, plan_id)
    context = _register_context(request, plan)
    if request.htmx and request.htmx.target == "risk-register":
        return render(request, f"{REGISTER}#register", context)
    return render(request, REGISTER, context)


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_register_plan(request.user, plan_id, write=True)
    if not plan.can_edit_content():
        return _locked(request, plan, services.PlanLocked(plan))
    form = RiskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            risk = create_once(
                form,
                lambda: services.risk_create(
                    plan_id=plan.pk, by=request.user, data=form.model_data(), standards=form.cleaned_data["standards"]
                ),
            )
        except AlreadySent as e:
            messages.info(request, str(e))
            if request.htmx:
                return render(request, f"{REGISTER}#register", _register_context(_plain_get(request), plan))
            return redirect(_register_url(plan.pk))
        except services.PlanLocked as e:
            return _locked(request, plan, e)
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, f"Risk {risk.ref} '{risk.title}' added to the register.")
            if request.htmx:
                return render(request, f"{REGISTER}#register", _register_context(_plain_get(request), plan))
            return redirect(_register_url(plan.pk))
    if request.htmx:
        # 200 even for errors: htmx does not swap 4xx responses in, and the form with its
        # messages must replace the one the manager typed into.
        return render(request, f"{REGISTER}#register", _register_context(_plain_get(request), plan, form=form))
    return render(
        request,
        "risks/risk_form.html",
        {"plan": plan, "form": form, "risk": None, **MATRIX},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk, write=True)
    plan = risk.plan
    if not plan.can_edit_content() and request.method != "POST":
        return _locked(request, plan, services.PlanLocked(plan))
    form = RiskForm(request.POST or None, instance=risk, plan=plan)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and not plan.can_edit_content():
        # Locked (submitted, say) while the manager typed: their text comes back with why.
        form.is_valid()
        form.add_error(None, services.PlanLocked(plan).refused_save)
        status = 409
    elif request.method == "POST" and form.is_valid():
        try:
            services.risk_update(
                risk=form.instance,
                by=request.user,
                data=form.model_data(),
                expected_version=form.expected_version(),
                standards=form.cleaned_data["standards"],
            )
        except services.PlanLocked as e:
            form.add_error(None, e.refused_save)
            status = 409
        except StaleEdit:
            form.add_stale_error()
            status = 409
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, f"Risk {risk.ref} '{risk.title}' saved.")
            if request.htmx:
                return render(request, f"{REGISTER}#register", _register_context(_plain_get(request), plan))
            return redirect(_register_url(plan.pk))
    if request.htmx:
        context = _register_context(_plain_get(request), plan, form=form, editing=risk)
        return render(request, f"{REGISTER}#register", context)
    return render(
        request,
        "risks/risk_form.html",
        {"plan": plan, "form": form, "risk": risk, **MATRIX},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk, write=True)
    plan = risk.plan
    if not plan.can_edit_content():
        return _locked(request, plan, services.PlanLocked(plan))
    if request.method == "POST":
        try:
            services.risk_delete(risk=risk, by=request.user)
        except services.PlanLocked as e:
            return _locked(request, plan, e)
        messages.success(request, f"Risk {risk.ref} '{risk.title}' deleted.")
        return redirect(_register_url(plan.pk))
    return render(request, "risks/risk_confirm_delete.html", {"plan": plan, "risk": risk})


@login_required
def risk_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk)
    reviews = list(risk.reviews.select_related("reviewer"))
    return render(
        request,
        "risks/risk_detail.html",
        {
            "plan": risk.plan,
            "risk": risk,
            "reviews": reviews,
            "standards": list(risk.standards.all()),
            "overdue": risk.is_overdue(timezone.localdate()),
            "can_write": _can_write(risk.plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: AuthedRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request.user, pk, write=True)
    plan = risk.plan
    if not plan.can_edit_content():
        return _locked(request, plan, services.PlanLocked(plan))
    form = RiskReviewForm(request.POST or None, risk=risk)
    if request.method == "POST" and form.is_valid():
        try:
            review = create_once(form, lambda: services.risk_review(risk=risk, by=request.user, **form.cleaned_data))
        except AlreadySent as e:
            messages.info(request, str(e))
            return redirect("risks:risk-detail", pk=risk.pk)
        except services.PlanLocked as e:
            return _locked(request, plan, e)
        except ValidationError as e:
            add_validation_errors(form, e)
        else:
            messages.success(request, f"Review of {risk.ref} recorded: now {review.score} ({review.band.name.lower()}).")
            return redirect("risks:risk-detail", pk=risk.pk)
    return render(
        request, "risks/review_form.html", {"plan": plan, "risk": risk, "form": form}, status=400 if form.is_bound else 200
    )


CSV_HEADER = [
    "Ref",
    "Risk",
    "Description",
    "Category",
    "Phase",
    "Owner",
    "Likelihood before",
    "Impact before",
    "Score before",
    "Band before",
    "Mitigation",
    "Likelihood after",
    "Impact after",
    "Score after",
    "Band after",
    "Contingency plan",
    "Trigger",
    "Status",
    "Next review",
    "Overdue for review",
    "Last reviewed",
    "Standards",
]


@login_required
def register_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_register_plan(request.user, plan_id)
    today = timezone.localdate()
    rows = register_rows(plan, {"sort": "ref"}, today=today)
    return csv_response(f"risk-register-plan-{plan.pk}.csv", CSV_HEADER, (_csv_row(risk, today) for risk in rows))


def _csv_row(risk: Risk, today: dt.date) -> list[object]:
    reviews = list(risk.reviews.all())
    return [
        risk.ref,
        risk.title,
        risk.description,
        risk.get_category_display(),
        risk.get_phase_display(),
        risk.owner.display_name if risk.owner else "",
        matrix.likelihood(risk.inherent_likelihood).label,
        matrix.impact(risk.inherent_impact).label,
        risk.inherent_score,
        risk.inherent_band.name,
        risk.mitigation,
        matrix.likelihood(risk.residual_likelihood).label,
        matrix.impact(risk.residual_impact).label,
        risk.residual_score,
        risk.residual_band.name,
        risk.contingency,
        risk.trigger,
        risk.get_status_display(),
        short_date(risk.review_date),
        "Yes" if risk.is_overdue(today) else "No",
        short_date(reviews[-1].reviewed_on) if reviews else "",
        "; ".join(sorted(s.code for s in risk.standards.all())),
    ]


def _plain_get(request: AuthedRequest) -> AuthedRequest:
    """After an htmx save the register is shown unfiltered: the new risk might not match the
    filters, and a manager who cannot see what they just added would add it again."""
    request.GET = QueryDict()
    return request
