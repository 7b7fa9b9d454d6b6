"""The style page under /help/ renders every component of the design system, so a designer or developer
sees them together (and the browser suite checks it with axe like every page)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

COMPONENTS = (
    "button-secondary", "button-ghost", "button-danger", "button-small", "link-button", "badge-ok", "badge-warn",
    "badge-danger", "badge-accent", "badge-neutral", "badge-count", "tag", "card-header", "card-footer", "stat",
    'table class="stack"', "data-label=", "form-grid", "form-actions", "field-error", "errorlist", "helptext",
    "filter-drawer", "empty-state", 'class="empty', "toast message-success", "toast message-error",
    "toast message-warning", "toast message-info", "facts", "people-list",
)


@pytest.mark.django_db
def test_the_style_page_shows_every_component_and_token(client):
    html = client.get(reverse("home:style_guide")).content.decode()
    assert "<h1>Style guide</h1>" in html
    for component in COMPONENTS:
        assert component in html, component
    css = Path(finders.find("mentora/mentora.css")).read_text()
    tokens = set(re.findall(r"^\s+--([a-z0-9-]+):", css, re.M))
    for colour in ("ink", "muted", "brand", "ok", "warn", "danger", "line", "wash", "paper", "focus"):
        assert colour in tokens and f"--{colour}</strong>" in html, colour
        assert f".swatch-{colour} {{ background: var(--{colour}); }}" in css, colour
    for step in range(1, 8):
        assert f"space-{step}" in tokens and f"--space-{step}</code>" in html
    for size in ("sm", "lg", "xl", "2xl", "3xl"):
        assert f"text-{size}" in tokens and f'class="text-{size}"' in html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colour_tokens_meet_aa_contrast_on_paper_and_wash():
    css = Path(finders.find("mentora/mentora.css")).read_text()
    tokens = dict(re.findall(r"^\s+--([a-z-]+):\s*(#[0-9a-f]{6});", css, re.M))
    for text in ("ink", "muted", "brand", "brand-dark", "accent", "warn", "danger", "ok"):
        for ground in ("paper", "wash"):
            assert _contrast(tokens[text], tokens[ground]) >= 4.5, (text, ground)
    for wash, text in (("ok-wash", "ok"), ("warn-wash", "warn"), ("danger-wash", "danger"), ("brand-wash", "brand-dark")):
        assert _contrast(tokens[text], tokens[wash]) >= 4.5, (text, wash)
    assert _contrast("#ffffff", tokens["brand"]) >= 4.5  # the header and buttons
