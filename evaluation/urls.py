from django.urls import path

from .views import exports, pages

app_name = "evaluation"

urlpatterns = [
    path("plans/<int:plan_id>/evaluation/", pages.dashboard, name="dashboard"),
    path("plans/<int:plan_id>/evaluation/kpis/new/", pages.kpi_create, name="kpi-create"),
    path("plans/<int:plan_id>/evaluation/measurements.csv", exports.measurements_csv, name="measurements-csv"),
    path("plans/<int:plan_id>/evaluation/evidence/", pages.evidence, name="evidence"),
    path("plans/<int:plan_id>/evaluation/reviews/", pages.reviews, name="reviews"),
    path("plans/<int:plan_id>/evaluation/benefits/", pages.benefits, name="benefits"),
    path("plans/<int:plan_id>/evaluation/benefits/new/", pages.benefit_line_create, name="benefit-line-create"),
    path("evaluation/kpis/<int:pk>/", pages.kpi_detail, name="kpi"),
    path("evaluation/kpis/<int:pk>/edit/", pages.kpi_edit, name="kpi-edit"),
    path("evaluation/kpis/<int:pk>/delete/", pages.kpi_delete, name="kpi-delete"),
    path("evaluation/kpis/<int:pk>/measurements/", pages.measurement_create, name="measurement-create"),
    path("evaluation/kpis/<int:pk>/import/", exports.measurement_import, name="measurement-import"),
    path("evaluation/kpis/<int:pk>.csv", exports.kpi_csv, name="kpi-csv"),
    path("evaluation/measurements/<int:pk>/delete/", pages.measurement_delete, name="measurement-delete"),
    path("evaluation/evidence/<int:pk>/delete/", pages.evidence_delete, name="evidence-delete"),
    path("evaluation/reviews/<int:pk>/decision/", pages.review_decide, name="review-decide"),
    path("evaluation/adjustments/<int:pk>/", pages.adjustment_link, name="adjustment-link"),
    path("evaluation/benefits/<int:pk>/delete/", pages.benefit_line_delete, name="benefit-line-delete"),
]
