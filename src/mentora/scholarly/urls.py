from django.urls import path

from . import views

app_name = "scholarly"

urlpatterns = [
    path("", views.my_board, name="scholarly_my_board"),
    path("new/<int:mentee_id>/", views.project_new, name="scholarly_project_new"),
    path("mentees/<int:mentee_id>/", views.mentee_board, name="scholarly_mentee_board"),
    path("programs/<int:program_id>/", views.program_board, name="scholarly_program_board"),
    path("<int:project_id>/", views.project_detail, name="scholarly_project_detail"),
    path("<int:project_id>/move/", views.project_move, name="scholarly_project_move"),
]
