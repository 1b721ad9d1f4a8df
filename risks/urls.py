from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("plans/<int:plan_id>/risks/", views.risk_register, name="register"),
    path("plans/<int:plan_id>/risks.csv", views.register_csv, name="register-csv"),
    path("plans/<int:plan_id>/risks/new/", views.risk_create, name="risk-create"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("risks/<int:pk>/delete/", views.risk_delete, name="risk-delete"),
    path("risks/<int:pk>/reviews/new/", views.review_create, name="review-create"),
]
