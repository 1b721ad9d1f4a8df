from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
    path("plans/<int:pk>/sections/<slug:section>/edit/", views.plan_section_edit, name="plan-section-edit"),
    path("plans/<int:pk>/actions.csv", views.actions_csv, name="actions-csv"),
    path("plans/<int:pk>/training.csv", views.training_csv, name="training-csv"),
    path("actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/update/", views.action_status, name="action-status"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]

# Add, edit and delete for each kind of row: plans:driver-create, plans:action-edit, ...
# e.g. /plans/3/action/new/, /plans/action/12/edit/ (rows sit under /plans/ so they never
# clash with My actions at /actions/).
for kind in views.ROW_KINDS:
    urlpatterns += [
        path(f"plans/<int:pk>/{kind}/new/", views.row_create, {"kind": kind}, name=f"{kind}-create"),
        path(f"plans/{kind}/<int:row_pk>/edit/", views.row_edit, {"kind": kind}, name=f"{kind}-edit"),
        path(f"plans/{kind}/<int:row_pk>/delete/", views.row_delete, {"kind": kind}, name=f"{kind}-delete"),
    ]
