"""Error pages: styled with the site's layout, the right status, and a way back (DEBUG off, as in production)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


@pytest.fixture(autouse=True)
def production_like(settings):
    settings.DEBUG = False


def assert_site_layout(page: str) -> None:
    assert '<link rel="stylesheet" href="/static/mentora/mentora.css">' in page
    assert '<header class="site-header">' in page and '<footer class="site-footer">' in page
    assert f'href="{reverse("home:home")}"' in page and f'href="{reverse("home:help")}"' in page
    assert 'aria-label="Ways back"' in page


@pytest.mark.parametrize(("url", "status", "heading"), [
    ("/no-such-page/", 404, "Page not found"),
    ("/test-errors/403/", 403, "You cannot do this here"),
    ("/test-errors/400/", 400, "We could not understand that request"),
])
def test_error_pages_use_the_layout_for_a_signed_in_person(client, url, status, heading):
    person = UserFactory(full_name="Ada Signed-In")
    client.force_login(person)
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{heading}" in page
    assert_site_layout(page)
    assert "Go to your dashboard" in page
    assert f'href="{reverse("meetings:my_mentoring")}"' in page  # the signed-in navigation of base.html


def test_forbidden_page_says_why_and_offers_log_in_to_a_visitor(client):
    response = client.get("/test-errors/403/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only the program&#x27;s coordinators can remove a pair." in page
    assert f'href="{reverse("account_login")}"' in page
    assert_site_layout(page)


def test_server_error_page_needs_neither_database_nor_context_processors():
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/test-errors/500/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side" in page
    assert_site_layout(page)
    assert not queries.captured_queries  # the failing view made none either
    from django.test import RequestFactory
    from django.views.defaults import server_error

    with CaptureQueriesContext(connection) as queries:
        direct = server_error(RequestFactory().get("/anywhere/"))
    assert direct.status_code == 500 and not queries.captured_queries


def test_csrf_failure_page_is_styled_with_a_way_back():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>This form has expired" in page
    assert_site_layout(page)


def test_api_errors_stay_problem_json(client):
    response = client.get("/api/no-such-endpoint/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/problem+json")
