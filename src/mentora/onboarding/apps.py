from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "mentora.onboarding"
    label = "onboarding"
    verbose_name = "First steps"
