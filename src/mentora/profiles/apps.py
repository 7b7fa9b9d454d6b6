from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "mentora.profiles"
    label = "profiles"
