from django.urls import path

from . import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.notification_read, name="notification_read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("preferences/", views.preferences, name="notification_preferences"),
]
