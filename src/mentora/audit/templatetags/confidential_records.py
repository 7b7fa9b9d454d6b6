"""The way into a person's confidential records, for the pages that show the person (a profile)."""

from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("audit/_records_link.html")
def confidential_records_link(viewer, person) -> dict:
    return {"person": person, "can_open": permissions.can_open_confidential_records(viewer, person)}
