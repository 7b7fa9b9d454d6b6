"""The sections of the site admin console, contributed by the apps that own them.

An app adds a section by providing ``<app>/console_sections.py`` that calls ``register(Section(...))``
at import time (found with Django's ``autodiscover_modules`` when the console app is ready), and by
adding its URLs under the console's (``console/urls.py``). The console's home lists the sections and its
layout shows them as the side navigation, in ``order``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    key: str  # unique, used to mark the current section in the navigation
    title: str
    url_name: str  # the section's first page
    description: str
    order: int = 100
    url_args: tuple = ()

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name, args=self.url_args)
        except NoReverseMatch:  # a section whose pages are not installed in this configuration
            return ""


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> Section:
    _SECTIONS[section.key] = section
    return section


def console_sections() -> list[Section]:
    return sorted((s for s in _SECTIONS.values() if s.url), key=lambda s: (s.order, s.title))
