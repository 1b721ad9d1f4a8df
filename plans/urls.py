"""plans' URLs: every path and name as they have always been."""

from django.urls import URLPattern, path

from .rows import ROW_TYPES
from .views import actions, assessment, comments, drafting, exports, feeds, review, revisions, rows

app_name = "plans"

urlpatterns: list[URLPattern] = [
    # Drafting
    path("plans/", drafting.plan_list, name="plan-list"),
    path("plans/new/", drafting.plan_create, name="plan-create"),
    path("plans/<int:pk>/", drafting.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", drafting.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/history/", drafting.plan_history, name="plan-history"),
    path("plans/<int:pk>/sections/<slug:section>/", drafting.plan_section, name="plan-section"),
    path("plans/<int:pk>/sections/<slug:section>/preview/", drafting.plan_section_preview, name="plan-section-preview"),
    path("plans/<int:pk>/sections/<slug:section>/edit/", drafting.plan_section_edit, name="plan-section-edit"),
    path("plans/<int:pk>/actions/bulk/", rows.actions_bulk, name="actions-bulk"),
    # Feeds
    path("plans/<int:pk>/actions.csv", feeds.actions_csv, name="actions-csv"),
    path("plans/<int:pk>/training.csv", feeds.training_csv, name="training-csv"),
    path("calendar/", feeds.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="calendar-feed"),
    # My actions
    path("actions/", actions.my_actions, name="my-actions"),
    path("actions/<int:pk>/update/", actions.action_status, name="action-status"),
    # Review and transitions
    path("reviews/", review.review_list, name="review-list"),
    path("plans/<int:pk>/review/", review.plan_review, name="plan-review"),
    path("plans/<int:pk>/review/decide/", review.plan_decide, name="plan-decide"),
    path("plans/<int:pk>/review/comments/", review.review_comment, name="review-comment"),
    path("plans/<int:pk>/comments/<int:comment_id>/reply/", comments.comment_reply, name="comment-reply"),
    path("plans/<int:pk>/comments/<int:comment_id>/resolve/", comments.comment_resolve, name="comment-resolve"),
    path("plans/<int:pk>/submit/", review.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/start/", review.plan_start, name="plan-start"),
    path("plans/<int:pk>/evaluate/", review.plan_evaluate, name="plan-evaluate"),
    path("plans/<int:pk>/close/", review.plan_close, name="plan-close"),
    # Revisions and adjustments
    path("plans/<int:pk>/revisions/", revisions.revision_list, name="revision-list"),
    path("plans/<int:pk>/revisions/<int:number>/", revisions.revision_detail, name="revision-detail"),
    path("plans/<int:pk>/adjustments/", revisions.adjustment_list, name="adjustment-list"),
    path("plans/<int:pk>/adjustments/new/", revisions.adjustment_create, name="adjustment-create"),
    # Exports
    path("plans/<int:pk>/revisions/<int:number>/exports/", exports.revision_exports, name="revision-exports"),
    path("plans/<int:pk>/revisions/<int:number>/export/", exports.revision_export_create, name="revision-export"),
    path("exports/<int:export_id>/download/", exports.export_download, name="export-download"),
    # The case-study criteria and the assessor's feedback
    path("plans/<int:pk>/criteria/<str:criterion>/link/", assessment.criterion_passage_link, name="criterion-passage-link"),
    path(
        "plans/<int:pk>/criteria/passages/<int:passage_id>/unlink/",
        assessment.criterion_passage_unlink,
        name="criterion-passage-unlink",
    ),
    path("plans/<int:pk>/assessors/", assessment.assessor_list, name="assessor-list"),
    path("plans/<int:pk>/assessors/<int:user_id>/remove/", assessment.assessor_remove, name="assessor-remove"),
    path("assessments/", assessment.my_assessments, name="my-assessments"),
    path("plans/<int:pk>/revisions/<int:number>/assess/", assessment.assess_revision, name="assess-revision"),
    path("plans/<int:pk>/assessments/<int:assessment_id>/", assessment.assessment_detail, name="assessment-detail"),
    path("plans/<int:pk>/assessments/<int:assessment_id>/feedback.pdf", assessment.assessment_pdf, name="assessment-pdf"),
]

# Add, edit and delete for each kind of row: plans:driver-create, plans:action-edit, ...
# e.g. /plans/3/action/new/, /plans/action/12/edit/ (rows sit under /plans/ so they never
# clash with My actions at /actions/).
for row in ROW_TYPES:
    urlpatterns += [
        path(f"plans/<int:pk>/{row.kind}/new/", rows.row_create, {"kind": row.kind}, name=f"{row.kind}-create"),
        path(f"plans/{row.kind}/<int:row_pk>/edit/", rows.row_edit, {"kind": row.kind}, name=f"{row.kind}-edit"),
        path(f"plans/{row.kind}/<int:row_pk>/delete/", rows.row_delete, {"kind": row.kind}, name=f"{row.kind}-delete"),
    ]
