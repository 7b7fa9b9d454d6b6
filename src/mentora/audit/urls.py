from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("who-looked/", views.access_log_mine, name="access_log_mine"),
    path("<int:user_id>/", views.confidential_records, name="confidential_records"),
    path("<int:user_id>/notes/", views.confidential_note_create, name="confidential_note_create"),
]
