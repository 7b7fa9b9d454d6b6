from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("saml/<slug:slug>/metadata/", views.saml_metadata, name="saml_metadata"),
]
