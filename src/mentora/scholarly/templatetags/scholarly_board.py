"""The board's per-card pieces that are the same for every card of a stage, built once per stage: a
program board shows up to 250 cards, and a template loop over the stages in each card's move form cost
more than the rest of the page."""

from functools import lru_cache

from django import template
from django.utils.html import format_html_join

from mentora.scholarly.models import Stage

register = template.Library()


@register.simple_tag
def stage_options(current: str):
    """The <option>s of the move form's stage select, `current` selected."""
    return _stage_options(str(current))


@lru_cache(maxsize=32)
def _stage_options(current: str):
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (value, " selected" if value == current else "", label) for value, label in Stage.choices))
