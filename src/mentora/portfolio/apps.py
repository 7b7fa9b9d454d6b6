from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "mentora.portfolio"
    label = "portfolio"
    verbose_name = "Mentor portfolio"
