"""The privacy page that stands among a person's own pages (/people/me/...): their optional attributes."""

from django.urls import path

from . import views

urlpatterns = [
    path("me/privacy/", views.privacy_edit, name="privacy_edit"),
]
