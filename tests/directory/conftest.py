import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    """The recommendation cache lives in Django's cache; tests must not see another test's mentors."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
