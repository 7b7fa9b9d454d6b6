from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("read/", views.notification_read, name="notification_read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("preferences/", views.preferences, name="notification_preferences"),
    path("programs/<int:program_id>/emails/", views.email_template_list, name="email_template_list"),
    path("programs/<int:program_id>/emails/<str:kind>/", views.email_template_edit, name="email_template_edit"),
]
