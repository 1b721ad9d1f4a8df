"""Measurements in and out as CSV. The import shows a preview with a line per row and what is
wrong with it; nothing is saved until the preview is confirmed, and then all or nothing. The
confirmed rows travel signed in the form, so what is saved is what was previewed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from oakview.core.formats import csv_response
from oakview.core.http import AuthedRequest

from .. import csv_import, rules, selectors, services
from ..forms import ImportForm
from ..models import KPI, Measurement

SALT = "evaluation.measurement-import"


def _problems(kpi: KPI, rows: list[csv_import.Row]) -> None:
    """Add the KPI's own rules to each parsed row: its range, no future dates, no date that
    already has a measurement."""
    taken = set(Measurement.objects.filter(kpi=kpi).values_list("date", flat=True))
    today = dt.date.today()
    for row in rows:
        if row.value is not None and (problem := rules.in_range(row.value, kpi.lowest, kpi.highest)):
            row.errors.append(problem.rstrip(".").replace("This KPI", "the KPI"))
        if row.date is not None:
            if row.date > today:
                row.errors.append("the date is in the future")
            elif row.date in taken:
                row.errors.append("that date already has a measurement")


@login_required
@require_http_methods(["GET", "POST"])
def measurement_import(request: AuthedRequest, pk: int) -> HttpResponse:
    kpi = selectors.get_kpi_to_measure(request.user, pk)
    back = reverse("evaluation:kpi", args=[kpi.pk])
    context: dict = {"plan": kpi.plan, "kpi": kpi, "back": back}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            payload = signing.loads(request.POST.get("rows", ""), salt=SALT, max_age=3600)
            if payload.get("kpi") != kpi.pk:
                raise PermissionDenied("That preview was for another KPI.")
            confirmed = [(dt.date.fromisoformat(d), Decimal(v), str(n)) for d, v, n in payload["rows"]]
        except (signing.BadSignature, KeyError, TypeError, ValueError, ArithmeticError):
            messages.error(request, "The preview has expired or was changed: upload the file again.")
            return redirect(reverse("evaluation:measurement-import", args=[kpi.pk]))
        try:
            count = services.measurements_import(kpi=kpi, by=request.user, rows=confirmed)
        except ValidationError as e:
            context.update(form=ImportForm(), refused=" ".join(e.messages))
            return render(request, "evaluation/import.html", context, status=400)
        messages.success(request, f"Imported {count} measurement{'s' if count != 1 else ''}.")
        return redirect(back + "#measurements")
    form = ImportForm(request.POST or None, request.FILES or None)
    context["form"] = form
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "evaluation/import.html", context, status=400)
        try:
            rows = csv_import.read(form.cleaned_data["file"].read(csv_import.MAX_BYTES + 1))
        except csv_import.FileRefused as e:
            form.add_error("file", str(e))
            return render(request, "evaluation/import.html", context, status=400)
        _problems(kpi, rows)
        good = [r for r in rows if r.ok]
        context.update(rows=rows, bad=len(rows) - len(good))
        if not context["bad"]:
            context["signed"] = signing.dumps(
                {
                    "kpi": kpi.pk,
                    "rows": [(r.date.isoformat(), str(r.value), r.note) for r in good if r.date and r.value is not None],
                },
                salt=SALT,
            )
        return render(request, "evaluation/import.html", context, status=200 if not context["bad"] else 400)
    return render(request, "evaluation/import.html", context)


@login_required
def measurements_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.get_eval_plan(request.user, plan_id)
    rows = (
        Measurement.objects.filter(kpi__plan=plan).select_related("kpi", "recorded_by").order_by("kpi__order", "kpi_id", "date")
    )
    return csv_response(
        f"measurements-plan-{plan.pk}.csv",
        ["kpi", "unit", "date", "value", "note", "recorded_by"],
        (
            (
                m.kpi.name,
                m.kpi.unit,
                m.date.isoformat(),
                rules.plain(m.value),
                m.note,
                m.recorded_by.display_name if m.recorded_by else "",
            )
            for m in rows
        ),
    )


@login_required
def kpi_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    """One KPI's measurements in the columns the import reads back."""
    kpi = selectors.get_kpi(request.user, pk)
    rows = Measurement.objects.filter(kpi=kpi).order_by("date")
    return csv_response(
        f"kpi-{kpi.pk}.csv", ["date", "value", "note"], ((m.date.isoformat(), rules.plain(m.value), m.note) for m in rows)
    )
