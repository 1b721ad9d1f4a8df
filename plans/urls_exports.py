from django.urls import path

from . import export_views

urlpatterns: list = [
    path("plans/<int:pk>/revisions/<int:number>/exports/", export_views.revision_exports, name="revision-exports"),
    path("plans/<int:pk>/revisions/<int:number>/export/", export_views.revision_export_create, name="revision-export"),
    path("exports/<int:export_id>/download/", export_views.export_download, name="export-download"),
]
