from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "mentora.webhooks"
    label = "webhooks"
    verbose_name = "Outbound webhooks"
