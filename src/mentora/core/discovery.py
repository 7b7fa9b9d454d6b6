"""Each app's optional module of one name (`demo`, `reminders`, `timeline`), found the way Django
finds `admin` modules: `autodiscover_modules` imports them, in the order of INSTALLED_APPS."""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import AppConfig, apps
from django.utils.module_loading import autodiscover_modules


def app_modules(module_name: str) -> list[tuple[AppConfig, ModuleType]]:
    """(app, module) for every installed Mentora app that has `<app>/<module_name>.py`."""
    autodiscover_modules(module_name)
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{module_name}")
        if module is not None and config.name.startswith("mentora."):
            found.append((config, module))
    return found
