from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "mentora.home"
    label = "home"
