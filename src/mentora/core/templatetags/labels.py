"""`{{ profile.career_track|label:"career_track" }}`, `{{ profile.languages|labels:"language" }}`: the words
for stored codes, from mentora.core.labels; `{{ batch.academic_year|academic_year }}`: "2026–27"."""

from django import template

from mentora.core import labels as names
from mentora.core.academic_year import academic_year_label

register = template.Library()


@register.filter
def label(code, kind: str) -> str:
    return names.label(kind, code)


@register.filter
def labels(codes, kind: str) -> str:
    """The labels of a list of codes, joined with commas."""
    return ", ".join(names.labels(kind, codes))


@register.filter
def academic_year(year) -> str:
    """An academic year as people write it, from mentora.core.academic_year: 2026 -> "2026–27"."""
    return academic_year_label(int(year)) if year not in (None, "") else ""
