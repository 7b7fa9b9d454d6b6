from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.my_mentoring, name="my_mentoring"),
    path("mentees/", views.my_mentees, name="my_mentees"),
    path("relationships/<int:relationship_id>/", views.relationship_detail, name="relationship_detail"),
    path("relationships/<int:relationship_id>/agreement/", views.agreement_edit, name="relationship_agreement"),
    path("relationships/<int:relationship_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("relationships/<int:relationship_id>/propose/", views.proposal_create, name="proposal_create"),
    path("relationships/<int:relationship_id>/messages/", views.message_send, name="message_send"),
    path("relationships/<int:relationship_id>/action-items/", views.action_item_create, name="action_item_create"),
    path("relationships/<int:relationship_id>/feedback/", views.survey, name="relationship_survey"),
    path("programs/<int:program_id>/rematch/", views.rematch_queue, name="rematch_queue"),
    path("relationships/<int:relationship_id>/<str:action>/", views.relationship_change, name="relationship_change"),
    path("proposals/<int:proposal_id>/", views.proposal_answer, name="proposal_answer"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:meeting_id>/<str:action>/", views.meeting_action, name="meeting_action"),
    path("items/<str:kind>/<int:item_id>/edit/", views.item_edit, name="meeting_item_edit"),
    path("items/<str:kind>/<int:item_id>/delete/", views.item_delete, name="meeting_item_delete"),
    path("done/<str:kind>/<int:item_id>/", views.toggle_done, name="toggle_done"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("resources/", views.resource_list, name="resource_list"),
    path("resources/<int:resource_id>/delete/", views.resource_delete, name="resource_delete"),
    path("resources/<int:resource_id>/document/", views.resource_document, name="resource_document"),
    path("programs/<int:program_id>/health/", views.program_health, name="program_health"),
    path("programs/<int:program_id>/feedback/", views.program_feedback, name="program_feedback"),
    path("programs/<int:program_id>/survey/", views.program_survey_edit, name="program_survey_edit"),
]
