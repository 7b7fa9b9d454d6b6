"""The app installs on a phone's home screen: a manifest with icons, and a service worker that keeps static
files only and never answers for a page (pages are personal)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from mentora.home.icons import draw_icon


@pytest.mark.django_db
def test_the_manifest_names_the_app_and_its_icons(client):
    response = client.get(reverse("home:web_manifest"))
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Mentora" and manifest["display"] == "standalone"
    assert manifest["start_url"] == reverse("home:home")
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(static("")))
        assert path, icon["src"]
        width, height = Image.open(path).size
        assert icon["sizes"] == f"{width}x{height}" and width == height
        sizes.add(width)
    assert {192, 512} <= sizes


def test_the_committed_icons_are_the_drawn_ones():
    for size in (180, 192, 512):
        committed = Image.open(finders.find(f"mentora/icons/icon-{size}.png")).convert("RGB")
        drawn = draw_icon(size).convert("RGB")
        assert committed.size == drawn.size
        assert committed.getpixel((size // 2, size // 2)) == drawn.getpixel((size // 2, size // 2))


@pytest.mark.django_db
def test_every_page_links_the_manifest(client):
    html = client.get(reverse("home:help")).content.decode()
    assert f'<link rel="manifest" href="{reverse("home:web_manifest")}">' in html
    assert f'data-service-worker="{reverse("home:service_worker")}"' in html


@pytest.mark.django_db
def test_the_service_worker_caches_static_files_only_and_leaves_pages_alone(client):
    response = client.get(reverse("home:service_worker"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", script).group(1))
    assert assets and all(url.startswith("/static/") for url in assets), assets
    for url in assets:
        assert finders.find(url.removeprefix(static(""))), url
    assert json.loads(re.search(r"const STATIC_PREFIX = (\".*?\");", script).group(1)) == "/static/"
    # The fetch handler answers only for static files: navigations (pages) and other methods go to the network.
    assert 'request.mode === "navigate") return false' in script
    assert 'request.method !== "GET"' in script
    assert "url.pathname.startsWith(STATIC_PREFIX)" in script
    handler = script[script.index('addEventListener("fetch"'):]
    assert handler.index("if (!isStaticAsset(event.request)) return;") < handler.index("respondWith")
    # Nothing else is ever put in the cache.
    assert script.count("cache.put(") == 1 and script.count("cache.addAll(ASSETS)") == 1
