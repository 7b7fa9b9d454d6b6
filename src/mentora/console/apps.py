from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ConsoleConfig(AppConfig):
    name = "mentora.console"
    label = "console"
    verbose_name = "Site admin console"

    def ready(self) -> None:
        # Every app may add sections to the console by providing a `console_sections.py` (see sections.py).
        autodiscover_modules("console_sections")
