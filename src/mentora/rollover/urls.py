from django.urls import path

from . import views

urlpatterns = [
    path("programs/<slug:slug>/", views.program_rollover, name="rollover_program"),
    path("renewals/<int:renewal_id>/", views.renewal, name="rollover_renewal"),
]
