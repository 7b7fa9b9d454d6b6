from django.urls import path

from . import views

app_name = "rollover"

urlpatterns = [
    path("programs/<slug:slug>/", views.program_rollover, name="rollover_program"),
    path("renewals/<int:renewal_id>/", views.renewal, name="rollover_renewal"),
]
