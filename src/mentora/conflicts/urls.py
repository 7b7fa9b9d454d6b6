from django.urls import path

from . import views

app_name = "conflicts"

urlpatterns = [
    path("roles/", views.my_roles, name="conflicts_roles"),
    path("roles/<int:role_id>/remove/", views.remove_role, name="conflicts_role_remove"),
    path("programs/<slug:slug>/policy/", views.program_policy, name="conflicts_policy"),
]
