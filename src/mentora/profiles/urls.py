from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.profile_me, name="profile_me"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("<int:user_id>/", views.profile_detail, name="profile_detail"),
]
