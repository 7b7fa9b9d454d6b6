import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    """The recommendation cache lives in Django's cache and in process memory; tests must not see
    another test's mentors."""
    from django.core.cache import cache

    from mentora.directory import matching

    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)
    yield
    cache.clear()
    matching._local.update(key=None, entries=None, at=0.0)
