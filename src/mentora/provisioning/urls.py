"""The SCIM 2.0 endpoint (mounted at /scim/v2/): django-scim2's routes under its `scim` namespace,
with the discovery views of mentora.provisioning.views."""

from django.urls import re_path
from django_scim import urls as library
from django_scim import views as library_views

from . import views

app_name = "scim"

_replaced = {
    "resource-types": views.ResourceTypesView, "schemas": views.SchemasView, "users": views.UsersView,
    "groups": views.GroupsView, "users-search": views.UserSearchView, "groups-search": views.GroupSearchView,
    "search": views.RootSearchView,
}

urlpatterns = [
    re_path(pattern.pattern.regex.pattern, _replaced[pattern.name].as_view(), name=pattern.name)
    if pattern.name in _replaced else pattern
    for pattern in library.urlpatterns
] + [
    re_path(r"^.+$", views.NotFoundView.as_view(), name="not-found"),
]

assert library_views  # the library's views stay the ones above for Users, Groups, .search and the config
