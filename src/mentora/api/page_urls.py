from django.urls import path

from . import views

urlpatterns = [
    path("", views.token_list, name="api_tokens"),
    path("<int:token_id>/revoke/", views.token_revoke_view, name="api_token_revoke"),
]
