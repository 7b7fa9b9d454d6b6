"""The site's routes plus one that reads and writes the database cache, for tests/core/test_live_server.py."""

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path

from mentora.config.urls import urlpatterns as site_urlpatterns


def cache_churn(request, n: int):
    """Writes a few entries of the cache table and reads many back, as a dashboard's chart requests do."""
    for i in range(5):
        cache.set(f"live-server-{n}-{i}", "x" * 200)
    found = cache.get_many([f"live-server-{m}-{i}" for m in range(8) for i in range(5)])
    return HttpResponse(str(len(found)))


urlpatterns = [path("test-cache-churn/<int:n>/", cache_churn), *site_urlpatterns]
