from django.urls import path

from . import views

app_name = "milestones"

urlpatterns = [
    path("", views.milestone_list, name="milestone_list"),
    path("<int:milestone_id>/edit/", views.milestone_edit, name="milestone_edit"),
    path("<int:milestone_id>/delete/", views.milestone_delete, name="milestone_delete"),
]
