"""The evaluation's pages: the KPI dashboard, a KPI with its run chart and measurements, the
qualitative evidence, the reviews with the final decision, and the benefits case. Every page
starts from the plan (or KPI) through selectors, which apply the access rule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from plans.models import Adjustment, Plan

from .. import library, selectors, services, snapshot
from ..forms import (
    AdjustmentLinkForm,
    BenefitLineForm,
    BenefitsForm,
    DecisionForm,
    EvidenceForm,
    KPIForm,
    LibraryForm,
    MeasurementForm,
    ReviewForm,
)
from ..models import KPI, AdjustmentLink, BenefitLine, BenefitsCase, Evidence, Measurement, Review


def _url(name: str, pk: int, anchor: str = "") -> str:
    return reverse(f"evaluation:{name}", args=[pk]) + (f"#{anchor}" if anchor else "")


def live_document(plan: Plan, *, id_prefix: str = "live", charts: bool = True) -> dict[str, Any] | None:
    """The page's data as a snapshot would freeze it now (one code path for the live page and
    the revision): the plan's go-live date and costs, and this part's records."""
    resources = [{"total_cost": str(r.total_cost)} for r in plan.resources.all()]
    snap = {
        "plan": {"go_live_date": plan.go_live_date.isoformat() if plan.go_live_date else None, "resources": resources},
        "evaluation": snapshot.build(plan),
    }
    return snapshot.document(snap, id_prefix=id_prefix, charts_for=charts)


def _locked(request: AuthedRequest, plan: Plan, back: str) -> HttpResponse:
    messages.error(request, str(services.PlanLocked(plan)))
    return redirect(back)


def _attempt(form: Any, call: Any) -> Any:
    try:
        return call()
    except StaleEdit:
        form.add_stale_error()
    except ValidationError as e:
        add_validation_errors(form, e)
    except services.PlanLocked as e:
        form.add_error(None, str(e))
    return None


# --- The dashboard --------------------------------------------------------------------------


@login_required
def dashboard(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id)
    doc = live_document(plan)
    kpis = doc["kpis"] if doc else []
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "plan": plan,
            "doc": doc,
            "kpis": kpis,
            "prompts": [k for k in kpis if k["status"].needs_adjustment],
            "library_form": LibraryForm(),
        },
    )


# --- KPIs -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kpi_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id, write=True)
    back = _url("dashboard", plan.pk, "kpis")
    if not plan.can_edit_content():
        return _locked(request, plan, back)
    entry = request.GET.get("entry", "")
    kpi = services.kpi_from_library(plan=plan, key=entry) if entry in library.BY_KEY else KPI(plan=plan)
    initial = {"standards": services.library_standards(entry)} if entry in library.BY_KEY else None
    form = KPIForm(request.POST or None, instance=kpi, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: services.kpi_save(kpi=form.save(commit=False), by=request.user, standards=form.cleaned_data["standards"]),
        )
        if saved is not None:
            messages.success(request, f"Added the KPI “{saved.name}”.")
            return redirect(_url("kpi", saved.pk))
    title = f"Add a KPI: {kpi.name}" if kpi.name else "Add a KPI"
    entry_obj = library.BY_KEY.get(entry)
    return render(
        request,
        "evaluation/kpi_form.html",
        {"plan": plan, "form": form, "title": title, "back": back, "entry": entry_obj},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    kpi = selectors.get_kpi(request.user, pk, write=True)
    plan = kpi.plan
    back = _url("kpi", kpi.pk)
    if not plan.can_edit_content():
        return _locked(request, plan, back)
    form = KPIForm(request.POST or None, instance=kpi, plan=plan)
    if request.method == "POST" and form.is_valid():
        saved = _attempt(
            form,
            lambda: services.kpi_save(
                kpi=form.save(commit=False),
                by=request.user,
                standards=form.cleaned_data["standards"],
                expected_version=form.expected_version(),
            ),
        )
        if saved is not None:
            messages.success(request, f"Saved the KPI “{saved.name}”.")
            return redirect(back)
    return render(
        request,
        "evaluation/kpi_form.html",
        {"plan": plan, "form": form, "title": f"Edit {kpi.name}", "back": back},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    kpi = selectors.get_kpi(request.user, pk, write=True)
    back = _url("dashboard", kpi.plan.pk, "kpis")
    if not kpi.plan.can_edit_content():
        return _locked(request, kpi.plan, back)
    if request.method == "POST":
        services.kpi_delete(kpi=kpi, by=request.user)
        messages.success(request, f"Deleted the KPI “{kpi.name}” and its measurements.")
        return redirect(back)
    return render(
        request,
        "evaluation/confirm_delete.html",
        {
            "plan": kpi.plan,
            "what": "the KPI",
            "name": kpi.name,
            "consequences": "Its measurements and review findings go with it.",
            "back": _url("kpi", kpi.pk),
        },
    )


def _kpi_page(request: AuthedRequest, kpi: KPI, form: MeasurementForm | None = None, status: int = 200) -> HttpResponse:
    plan = kpi.plan
    doc = live_document(plan, id_prefix="kpi")
    row = next((k for k in (doc["kpis"] if doc else []) if k["id"] == kpi.pk), None)
    if row is None:
        raise Http404("Not found.")
    measuring = selectors.can_measure(request.user, kpi)
    if measuring and form is None:
        form = MeasurementForm(kpi=kpi)
    measurements = list(Measurement.objects.filter(kpi=kpi).select_related("recorded_by").order_by("-date", "-id"))
    return render(
        request,
        "evaluation/kpi_detail.html",
        {"plan": plan, "kpi": kpi, "row": row, "form": form, "measuring": measuring, "measurements": measurements},
        status=status,
    )


@login_required
def kpi_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    kpi = selectors.get_kpi(request.user, pk)
    return _kpi_page(request, kpi)


@login_required
@require_POST
def measurement_create(request: AuthedRequest, pk: int) -> HttpResponse:
    kpi = selectors.get_kpi_to_measure(request.user, pk)
    form = MeasurementForm(request.POST, kpi=kpi)
    if form.is_valid():
        data = form.cleaned_data
        saved = _attempt(
            form,
            lambda: services.measurement_record(
                kpi=kpi, by=request.user, date=data["date"], value=data["value"], note=data["note"]
            ),
        )
        if saved is not None:
            messages.success(
                request, f"Recorded {form.cleaned_data['value']:f} {kpi.unit} for {saved.date:%d %b %Y}.".replace(".00 ", " ")
            )
            back = request.POST.get("next", "")
            return redirect(back if back == reverse("plans:my-actions") else _url("kpi", kpi.pk, "measurements"))
    return _kpi_page(request, kpi, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    measurement = Measurement.objects.select_related("kpi").filter(pk=pk).first()
    if measurement is None:
        raise Http404("Not found.")
    kpi = selectors.get_kpi_to_measure(request.user, measurement.kpi_id)
    back = _url("kpi", kpi.pk, "measurements")
    if request.method == "POST":
        measurement.kpi = kpi
        services.measurement_delete(measurement=measurement, by=request.user)
        messages.success(request, f"Deleted the reading of {measurement.date:%d %b %Y}.")
        return redirect(back)
    return render(
        request,
        "evaluation/confirm_delete.html",
        {
            "plan": kpi.plan,
            "what": "the reading",
            "name": f"{measurement.date:%d %b %Y}: {measurement.value}",
            "consequences": "",
            "back": back,
        },
    )


# --- Evidence -------------------------------------------------------------------------------


def _evidence_page(
    request: AuthedRequest, plan: Plan, form: EvidenceForm | None, warnings: list[str], status: int = 200
) -> HttpResponse:
    doc = live_document(plan, charts=False)
    if form is None and plan.perms.can_manage and plan.status != Plan.Status.CLOSED:
        form = EvidenceForm(plan=plan)
    return render(
        request,
        "evaluation/evidence.html",
        {"plan": plan, "doc": doc, "form": form, "warnings": warnings, "evidence": doc["evidence"] if doc else []},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id, write=request.method == "POST")
    if request.method != "POST":
        return _evidence_page(request, plan, None, [])
    if plan.status == Plan.Status.CLOSED:
        return _locked(request, plan, _url("evidence", plan.pk))
    form = EvidenceForm(request.POST, instance=Evidence(plan=plan), plan=plan)
    warnings: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        warnings = services.identification_warnings(plan, data["summary"], data["quotes"], data["themes"])
        if warnings and not data.get("confirm_anonymous"):
            form.add_error(
                None, "This may identify a resident: " + "; ".join(warnings) + ". Take it out, or tick the box to save it anyway."
            )
        else:
            saved = _attempt(form, lambda: services.evidence_save(evidence=form.save(commit=False), by=request.user))
            if saved is not None:
                messages.success(request, "Recorded the evidence.")
                return redirect(_url("evidence", plan.pk, f"evidence-{saved.pk}"))
    return _evidence_page(request, plan, form, warnings, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = Evidence.objects.filter(pk=pk).first()
    if item is None:
        raise Http404("Not found.")
    plan = selectors.get_eval_plan(request.user, item.plan_id, write=True)
    back = _url("evidence", plan.pk)
    if plan.status == Plan.Status.CLOSED:
        return _locked(request, plan, back)
    if request.method == "POST":
        services.evidence_delete(evidence=item, by=request.user)
        messages.success(request, "Deleted the evidence.")
        return redirect(back)
    return render(
        request,
        "evaluation/confirm_delete.html",
        {"plan": plan, "what": "the evidence", "name": item.summary[:80], "consequences": "", "back": back},
    )


# --- Reviews and the decision -----------------------------------------------------------------


def _reviews_page(
    request: AuthedRequest,
    plan: Plan,
    *,
    form: ReviewForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    doc = live_document(plan, id_prefix="reviews")
    running = plan.status != Plan.Status.CLOSED
    manage = plan.perms.can_manage and running
    if manage and form is None:
        form = ReviewForm()
    final = Review.objects.filter(plan=plan, kind=Review.Kind.FINAL).order_by("-held_on", "-id").first()
    if manage and final is not None and decision_form is None:
        decision_form = DecisionForm(initial={"decision": final.decision or None, "reasons": final.reasons})
    adjustments = list(
        Adjustment.objects.filter(plan=plan)
        .select_related("evaluation_link__kpi", "evaluation_link__review")
        .order_by("-date", "-id")
    )
    return render(
        request,
        "evaluation/reviews.html",
        {
            "plan": plan,
            "doc": doc,
            "kpis": doc["kpis"] if doc else [],
            "form": form,
            "final": final,
            "decision_form": decision_form,
            "manage": manage,
            "adjustments": adjustments,
            "prompts": [k for k in (doc["kpis"] if doc else []) if k["status"].needs_adjustment],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reviews(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id, write=request.method == "POST")
    if request.method != "POST":
        return _reviews_page(request, plan)
    if plan.status == Plan.Status.CLOSED:
        return _locked(request, plan, _url("reviews", plan.pk))
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        comments = {int(k[8:]): str(v) for k, v in request.POST.items() if k.startswith("finding-") and k[8:].isdigit()}
        saved = _attempt(
            form,
            lambda: services.review_create(
                plan_id=plan.pk,
                by=request.user,
                kind=data["kind"],
                held_on=data["held_on"],
                summary=data["summary"],
                comments=comments,
            ),
        )
        if saved is not None:
            messages.success(request, f"Recorded the {saved.get_kind_display().lower()} with a finding for every KPI.")
            return redirect(_url("reviews", plan.pk, f"review-{saved.pk}"))
    return _reviews_page(request, plan, form=form, status=400)


@login_required
@require_POST
def review_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    review = Review.objects.filter(pk=pk).first()
    if review is None:
        raise Http404("Not found.")
    plan = selectors.get_eval_plan(request.user, review.plan_id, write=True)
    if plan.status == Plan.Status.CLOSED:
        return _locked(request, plan, _url("reviews", plan.pk))
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        saved = _attempt(
            form,
            lambda: services.review_decide(review=review, by=request.user, decision=data["decision"], reasons=data["reasons"]),
        )
        if saved is not None:
            messages.success(
                request,
                f"Recorded the final decision: {saved.get_decision_display().lower()}. The plan can now be closed with it.",
            )
            return redirect(_url("reviews", plan.pk, "decision"))
    return _reviews_page(request, plan, decision_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def adjustment_link(request: AuthedRequest, pk: int) -> HttpResponse:
    adjustment = Adjustment.objects.filter(pk=pk).first()
    if adjustment is None:
        raise Http404("Not found.")
    plan = selectors.get_eval_plan(request.user, adjustment.plan_id, write=True)
    back = _url("reviews", plan.pk, "adjustments")
    link = AdjustmentLink.objects.filter(adjustment=adjustment).first()
    initial = {"kpi": link.kpi_id, "review": link.review_id, "effect": link.effect} if link else {"kpi": request.GET.get("kpi")}
    form = AdjustmentLinkForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = _attempt(
            form,
            lambda: services.adjustment_link(
                adjustment=adjustment, by=request.user, kpi=data["kpi"], review=data["review"], effect=data["effect"]
            ),
        )
        if saved is not None:
            messages.success(request, "Linked the adjustment to what triggered it.")
            return redirect(back)
    return render(
        request,
        "evaluation/row_form.html",
        {
            "plan": plan,
            "form": form,
            "title": "What triggered this adjustment, and its effect",
            "back": back,
            "adjustment": adjustment,
        },
        status=400 if form.is_bound else 200,
    )


# --- The benefits case ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def benefits(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id, write=request.method == "POST")
    case = BenefitsCase.objects.filter(plan=plan).first() or BenefitsCase(plan=plan)
    form = BenefitsForm(request.POST or None, instance=case) if plan.perms.can_manage else None
    if form is not None and not plan.can_edit_content():
        # In review or closed: the expected figures are what the approver is reading.
        for name in form.fields:
            if name not in ("actual_minutes_saved_per_shift", "version"):
                form.fields[name].disabled = True
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            saved = _attempt(
                form,
                lambda: services.benefits_save(
                    case=form.save(commit=False), by=request.user, expected_version=form.expected_version() if case.pk else None
                ),
            )
            if saved is not None:
                messages.success(request, "Saved the benefits case.")
                return redirect(_url("benefits", plan.pk))
        status = 400
    return _benefits_page(request, plan, form, BenefitLineForm() if plan.perms.can_edit else None, status)


def _benefits_page(request: AuthedRequest, plan: Plan, form: Any, line_form: Any, status: int = 200) -> HttpResponse:
    doc = live_document(plan, id_prefix="benefits")
    lines = list(BenefitLine.objects.filter(plan=plan))
    return render(
        request,
        "evaluation/benefits.html",
        {"plan": plan, "doc": doc, "form": form, "line_form": line_form, "lines": lines},
        status=status,
    )


@login_required
@require_POST
def benefit_line_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id, write=True)
    if not plan.can_edit_content():
        return _locked(request, plan, _url("benefits", plan.pk))
    form = BenefitLineForm(request.POST, instance=BenefitLine(plan=plan))
    if form.is_valid():
        saved = _attempt(form, lambda: services.benefit_line_save(line=form.save(commit=False), by=request.user))
        if saved is not None:
            messages.success(request, f"Added “{saved.description}”.")
            return redirect(_url("benefits", plan.pk, "lines"))
    case = BenefitsCase.objects.filter(plan=plan).first() or BenefitsCase(plan=plan)
    return _benefits_page(request, plan, BenefitsForm(instance=case), form, 400)


@login_required
@require_POST
def benefit_line_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    line = BenefitLine.objects.filter(pk=pk).first()
    if line is None:
        raise Http404("Not found.")
    plan = selectors.get_eval_plan(request.user, line.plan_id, write=True)
    if not plan.can_edit_content():
        return _locked(request, plan, _url("benefits", plan.pk))
    services.benefit_line_delete(line=line, by=request.user)
    messages.success(request, f"Deleted “{line.description}”.")
    return redirect(_url("benefits", plan.pk, "lines"))
