from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mentora.demo"
    label = "demo"
