from django.urls import path

from . import review_views as views

urlpatterns = [
    path("reviews/", views.review_list, name="review-list"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan-review"),
    path("plans/<int:pk>/review/decide/", views.plan_decide, name="plan-decide"),
    path("plans/<int:pk>/review/comments/", views.review_comment, name="review-comment"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/start/", views.plan_start, name="plan-start"),
    path("plans/<int:pk>/evaluate/", views.plan_evaluate, name="plan-evaluate"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan-close"),
    path("plans/<int:pk>/revisions/", views.revision_list, name="revision-list"),
    path("plans/<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision-detail"),
    path("plans/<int:pk>/adjustments/", views.adjustment_list, name="adjustment-list"),
    path("plans/<int:pk>/adjustments/new/", views.adjustment_create, name="adjustment-create"),
]
