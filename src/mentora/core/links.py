"""Absolute links to Mentora, for what is read outside the browser: emails, calendar files, the feed."""

from urllib.parse import urlsplit

from django.conf import settings


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
