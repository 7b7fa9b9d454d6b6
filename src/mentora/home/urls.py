from django.urls import path

from . import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("health/", views.health, name="health"),
    path("help/style/", views.style_guide, name="style_guide"),
    path("me/roles/", views.whoami, name="whoami"),
    path("me/acting-role/", views.switch_role, name="switch_role"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("service-worker.js", views.service_worker, name="service_worker"),
]
