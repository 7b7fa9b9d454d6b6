from django.urls import path

from . import views

app_name = "ilps"

urlpatterns = [
    path("", views.plan_list, name="ilp_list"),
    path("new/", views.plan_create, name="ilp_create"),
    path("smart-check/", views.smart_check, name="ilp_smart_check"),
    path("timeline/", views.timeline, name="ilp_timeline_me"),
    path("timeline/<int:user_id>/", views.timeline, name="ilp_timeline"),
    path("compliance/", views.compliance, name="ilp_compliance"),
    path("<int:plan_id>/", views.plan_detail, name="ilp_detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="ilp_edit"),
    path("<int:plan_id>/goals/new/", views.goal_create, name="ilp_goal_create"),
    path("<int:plan_id>/submit/", views.plan_submit, name="ilp_submit"),
    path("<int:plan_id>/sign-off/", views.plan_sign_off, name="ilp_sign_off"),
    path("<int:plan_id>/review/", views.plan_review, name="ilp_review"),
    path("<int:plan_id>/milestones/new/", views.milestone_add, name="ilp_milestone_create"),
    path("<int:plan_id>/pdf/", views.plan_pdf, name="ilp_pdf"),
    path("goals/<int:goal_id>/edit/", views.goal_edit, name="ilp_goal_edit"),
    path("goals/<int:goal_id>/delete/", views.goal_delete, name="ilp_goal_delete"),
    path("goals/<int:goal_id>/progress/", views.progress_add, name="ilp_progress_create"),
    path("goals/<int:goal_id>/comment/", views.comment_add, name="ilp_comment_create"),
    path("goals/<int:goal_id>/request-changes/", views.goal_request_changes, name="ilp_goal_request_changes"),
    path("milestones/<int:milestone_id>/complete/", views.milestone_complete, name="ilp_milestone_complete"),
]
