from django.urls import path

from .views import concerns, engagement, exports, map

app_name = "stakeholders"

urlpatterns = [
    # The stakeholder map
    path("plans/<int:plan_id>/stakeholders/", map.stakeholder_map, name="map"),
    path("plans/<int:plan_id>/stakeholders.csv", exports.stakeholders_csv, name="map-csv"),
    path("plans/<int:plan_id>/stakeholders/new/", map.stakeholder_create, name="stakeholder-create"),
    path("stakeholders/<int:pk>/", map.stakeholder_detail, name="stakeholder-detail"),
    path("stakeholders/<int:pk>/edit/", map.stakeholder_edit, name="stakeholder-edit"),
    path("stakeholders/<int:pk>/delete/", map.stakeholder_delete, name="stakeholder-delete"),
    path("stakeholders/<int:pk>/pulses/new/", map.pulse_create, name="pulse-create"),
    path("stakeholders/pulses/<int:pk>/delete/", map.pulse_delete, name="pulse-delete"),
    # Engagement: activities, champions, the communication plan
    path("plans/<int:plan_id>/engagement/", engagement.engagement, name="engagement"),
    path("plans/<int:plan_id>/engagement.csv", exports.engagement_csv, name="engagement-csv"),
    path("plans/<int:plan_id>/engagement/new/", engagement.activity_create, name="activity-create"),
    path("stakeholders/activities/<int:pk>/edit/", engagement.activity_edit, name="activity-edit"),
    path("stakeholders/activities/<int:pk>/delete/", engagement.activity_delete, name="activity-delete"),
    path("stakeholders/activities/<int:pk>/follow-up/", engagement.activity_follow_up, name="activity-follow-up"),
    path("plans/<int:plan_id>/champions.csv", exports.champions_csv, name="champions-csv"),
    path("plans/<int:plan_id>/champions/new/", engagement.champion_create, name="champion-create"),
    path("stakeholders/champions/<int:pk>/edit/", engagement.champion_edit, name="champion-edit"),
    path("stakeholders/champions/<int:pk>/delete/", engagement.champion_delete, name="champion-delete"),
    path("plans/<int:plan_id>/communications.csv", exports.communications_csv, name="communications-csv"),
    path("plans/<int:plan_id>/communications/new/", engagement.communication_create, name="communication-create"),
    path("stakeholders/communications/<int:pk>/edit/", engagement.communication_edit, name="communication-edit"),
    path("stakeholders/communications/<int:pk>/sent/", engagement.communication_sent, name="communication-sent"),
    path("stakeholders/communications/<int:pk>/delete/", engagement.communication_delete, name="communication-delete"),
    # You said, we did
    path("plans/<int:plan_id>/concerns/", concerns.concern_log, name="concerns"),
    path("plans/<int:plan_id>/concerns.csv", exports.concerns_csv, name="concerns-csv"),
    path("plans/<int:plan_id>/concerns/new/", concerns.concern_create, name="concern-create"),
    path("stakeholders/concerns/<int:pk>/edit/", concerns.concern_edit, name="concern-edit"),
    path("stakeholders/concerns/<int:pk>/respond/", concerns.concern_respond, name="concern-respond"),
    path("stakeholders/concerns/<int:pk>/action/", concerns.concern_action, name="concern-action"),
    path("stakeholders/concerns/<int:pk>/delete/", concerns.concern_delete, name="concern-delete"),
]
