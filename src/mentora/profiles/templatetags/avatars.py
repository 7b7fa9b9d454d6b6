"""{% avatar person %}: the person's photo, or their initials avatar when they have none.

    {% load avatars %}
    {% avatar person %}               an <img> of the photo (from the view that checks who may see it) or an SVG
    {% avatar person size=96 %}
    {% avatar person embed=True %}    the image itself in the page (data: address), for PDFs

Always decorative (alt=""): the person's name is written beside it wherever it is shown.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mentora.profiles.photos import data_uri, initials_svg
from mentora.profiles.selectors import photo_bytes, photo_of

register = template.Library()


@register.simple_tag
def avatar(person, size: int = 48, embed: bool = False):
    size = int(size)
    name = getattr(person, "display_name", "") if person is not None else ""
    person_id = getattr(person, "pk", None)
    photo = photo_of(person)
    if photo is not None:
        if not embed:
            return format_html('<img class="avatar avatar-photo" src="{}" width="{}" height="{}" alt="" '
                               'loading="lazy" decoding="async" data-avatar="photo">', photo.url, size, size)
        content = photo_bytes(photo)
        if content is not None:
            return format_html('<img class="avatar avatar-photo" src="{}" width="{}" height="{}" alt="" '
                               'data-avatar="photo">', data_uri(content, "image/jpeg"), size, size)
    svg = initials_svg(name=name, person_id=person_id, size=size)
    if embed:
        return format_html('<img class="avatar avatar-initials" src="{}" width="{}" height="{}" alt="" '
                           'data-avatar="initials">', data_uri(svg.encode(), "image/svg+xml"), size, size)
    return mark_safe(svg.replace("<svg ", '<svg data-avatar="initials" ', 1))  # noqa: S308 (escaped in initials_svg)
