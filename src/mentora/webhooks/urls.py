from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.webhook_list, name="webhook_list"),
    path("<int:subscription_id>/", views.webhook_detail, name="webhook_detail"),
    path("<int:subscription_id>/enable/", views.webhook_set_active, {"active": True}, name="webhook_enable"),
    path("<int:subscription_id>/disable/", views.webhook_set_active, {"active": False}, name="webhook_disable"),
    path("<int:subscription_id>/rotate-secret/", views.webhook_rotate_secret, name="webhook_rotate_secret"),
    path("<int:subscription_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path("deliveries/<int:delivery_id>/replay/", views.webhook_delivery_replay, name="webhook_delivery_replay"),
]
