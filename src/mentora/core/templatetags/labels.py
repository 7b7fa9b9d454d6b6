"""`{{ profile.career_track|label:"career_track" }}`, `{{ profile.languages|labels:"language" }}`: the words
for stored codes, from mentora.core.labels."""

from django import template

from mentora.core import labels as names

register = template.Library()


@register.filter
def label(code, kind: str) -> str:
    return names.label(kind, code)


@register.filter
def labels(codes, kind: str) -> str:
    """The labels of a list of codes, joined with commas."""
    return ", ".join(names.labels(kind, codes))
