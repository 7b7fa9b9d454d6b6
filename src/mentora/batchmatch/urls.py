from django.urls import path

from . import views

app_name = "batchmatch"

urlpatterns = [
    path("", views.match_run_list, name="match_run_list"),
    path("new/", views.match_run_new, name="match_run_new"),
    path("<int:run_id>/", views.match_run_detail, name="match_run_detail"),
    path("<int:run_id>/progress/", views.match_run_progress, name="match_run_progress"),
    path("<int:run_id>/pairs/<int:mentee_id>/swap/", views.match_run_swap, name="match_run_swap"),
    path("<int:run_id>/pairs/<int:mentee_id>/assign/", views.match_run_assign, name="match_run_assign"),
    path("<int:run_id>/<str:action>/", views.match_run_action, name="match_run_action"),
]
