"""The page where a person manages their personal access tokens (/account/tokens/).

Its namespace is `tokens`: `api` is the API's own (its OpenAPI operations)."""

from django.urls import path

from . import views

app_name = "tokens"

urlpatterns = [
    path("", views.token_list, name="api_tokens"),
    path("<int:token_id>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
