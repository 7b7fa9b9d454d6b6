from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("", views.background_work, name="background_work"),
    path("tasks/retry-failed/", views.background_retry_failed, name="background_retry_failed"),
    path("tasks/<str:task_id>/retry/", views.background_task_retry, name="background_task_retry"),
    path("jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<int:job_id>/retry/", views.job_retry, name="job_retry"),
]
