"""The conflict-of-interest warning, for a page that shows one person to another (a profile)."""

from django import template

from ..selectors import conflicts_between

register = template.Library()


@register.inclusion_tag("conflicts/_warning.html")
def conflict_warning(viewer, person) -> dict:
    """Warn a mentee looking at a mentor who also evaluates them (and the mentor, the other way round)."""
    if viewer.pk == person.pk:
        return {"conflicts": []}
    return {"conflicts": conflicts_between(person, viewer) or conflicts_between(viewer, person)}
