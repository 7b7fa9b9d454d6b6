"""Under the console's namespace (console:provisioning_list, console:provisioning), mounted at
/console/provisioning/."""

from django.urls import path

from . import console_views as views

urlpatterns = [
    path("", views.provisioning_list, name="provisioning_list"),
    path("<int:institution_id>/", views.provisioning_page, name="provisioning"),
]
