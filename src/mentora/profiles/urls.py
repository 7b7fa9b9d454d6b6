from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("me/", views.profile_me, name="profile_me"),
    path("me/edit/", views.profile_edit, name="profile_edit"),
    path("me/photo/", views.profile_photo_edit, name="profile_photo_edit"),
    path("<int:user_id>/", views.profile_detail, name="profile_detail"),
    path("<int:user_id>/photo/", views.profile_photo, name="profile_photo"),
    path("<int:user_id>/photo/remove/", views.profile_photo_delete, name="profile_photo_delete"),
]
