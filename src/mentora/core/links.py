"""Links in Mentora.

Absolute links to Mentora, for what is read outside the browser (emails, calendar files, the feed):
``absolute_url``, ``site_host``.

Links people type into Mentora (video calls, profile links, resources, web sites): http(s) only.

A link is shown as a clickable "Join the video call" or "LinkedIn", copied into calendar files and
emails, so a `javascript:` or `data:` address would run in the reader's browser, and `ftp:`/`file:`
addresses lead nowhere a reader expects. One rule everywhere:

- models: ``WebLinkField`` (a URLField whose only validator is ``validate_web_link``);
- forms: ``WebLinkFormField`` (what ``WebLinkField.formfield()`` gives; https:// assumed when omitted);
- services that take a link from any caller: ``clean_web_link(value, field="video_url")``;
- API schemas: the ``WebLink`` type (a 422 problem with the field's location and the message).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from pydantic import AfterValidator

WEB_LINK_SCHEMES = ("http", "https")
WEB_LINK_MESSAGE = "Enter a web address that starts with https:// (or http://)."


def absolute_url(path_or_url: str) -> str:
    """`path_or_url` on MENTORA_SITE_URL; a full URL keeps only its path, query and fragment.

    Links are never built on the request's host: behind the proxy that is an internal name, and
    in a worker there is no request at all.
    """
    parts = urlsplit(path_or_url)
    path = parts.path if parts.path.startswith("/") else f"/{parts.path}"
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{settings.MENTORA_SITE_URL}{path}{query}{fragment}"


def site_host() -> str:
    return urlsplit(settings.MENTORA_SITE_URL).hostname or "mentora"


@deconstructible(path="mentora.core.links.WebLinkValidator")
class WebLinkValidator(URLValidator):
    def __init__(self, **kwargs):
        super().__init__(schemes=list(WEB_LINK_SCHEMES), message=WEB_LINK_MESSAGE, **kwargs)

    def __call__(self, value) -> None:
        # URLValidator checks the scheme after lower-casing, and refuses whitespace and control
        # characters; a value that is not a string is not a link at all.
        if not isinstance(value, str):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_web_link = WebLinkValidator()


def is_web_link(value: str) -> bool:
    try:
        validate_web_link(value)
    except ValidationError:
        return False
    return True


class WebLinkFormField(forms.URLField):
    default_validators = [validate_web_link]
    default_error_messages = {"invalid": WEB_LINK_MESSAGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class WebLinkField(models.URLField):
    """A URLField that holds http(s) addresses only."""

    default_validators = [validate_web_link]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebLinkFormField, **kwargs})


def clean_web_link(value: str | None, *, field: str) -> str:
    """The link stripped, or "" for none; ValidationError({field: message}) for anything but http(s)."""
    value = (value or "").strip()
    if value and not is_web_link(value):
        raise ValidationError({field: WEB_LINK_MESSAGE})
    return value


def _check_web_link(value: str) -> str:
    value = value.strip()
    if value and not is_web_link(value):
        raise ValueError(WEB_LINK_MESSAGE)
    return value


# For API schemas: "" (no link) or an http(s) address; anything else is a 422 naming the field.
WebLink = Annotated[str, AfterValidator(_check_web_link)]


def is_local_path(value: str) -> bool:
    """A path of this site ("/milestones/"), not an address elsewhere ("//x.org", "/\\x.org", "javascript:")."""
    return value.startswith("/") and not value.startswith(("//", "/\\")) and value.isprintable()



def forget_links_other_than_web(model, fields: list[str]) -> int:
    """For data migrations: blank every stored value of `fields` whose scheme is not http(s)."""
    changed = 0
    other_scheme = Q()
    for name in fields:
        other_scheme |= ~Q(**{name: ""}) & ~Q(**{f"{name}__istartswith": "http://"}) & ~Q(
            **{f"{name}__istartswith": "https://"})
    for row in model.objects.filter(other_scheme).only("pk", *fields).iterator():
        bad = [name for name in fields if getattr(row, name) and not is_web_link(getattr(row, name))]
        if bad:
            model.objects.filter(pk=row.pk).update(**{name: "" for name in bad})
            changed += 1
    return changed
