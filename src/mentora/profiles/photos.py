"""Profile photos and the initials avatar shown when a person has none.

A photo is checked by its content (core.uploads), opened with Pillow within a pixel budget, turned
the way the camera meant (EXIF orientation), cropped to a square around the part the person chose
to keep, and stored re-encoded as a JPEG of PHOTO_PIXELS: nothing of the original file (EXIF with
its GPS position and camera serial, comments, other frames) is kept.

The initials avatar is an SVG drawn here, on the server: the person's initials in white on a colour
picked from their account id, so it stays the same when they change their name, and every colour
of the palette has at least AA contrast (4.5:1) with white text.
"""

from __future__ import annotations

import base64
import hashlib
import io
import unicodedata
from html import escape

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import PHOTO_PIXELS, validate_photo_upload

# More pixels than any phone camera takes: a larger image is refused before it is decoded.
PHOTO_MAX_SOURCE_PIXELS = 50_000_000
PHOTO_MIN_SIDE = 64
JPEG_QUALITY = 85

# Which part of a photo that is not square the square keeps: (horizontal, vertical) from 0 to 1.
KEEP_CHOICES = {
    "centre": ("The centre", (0.5, 0.5)),
    "top": ("The top (for a portrait photo)", (0.5, 0.0)),
    "bottom": ("The bottom (for a portrait photo)", (0.5, 1.0)),
    "left": ("The left (for a landscape photo)", (0.0, 0.5)),
    "right": ("The right (for a landscape photo)", (1.0, 0.5)),
}


def square_jpeg(upload, *, keep: str = "centre") -> bytes:
    """The uploaded image as a square JPEG without metadata; ValidationError saying what to do otherwise."""
    if keep not in KEEP_CHOICES:
        raise ValidationError({"keep": "Choose which part of the photo to keep"})
    try:
        validate_photo_upload(upload)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            width, height = opened.size
            if width * height > PHOTO_MAX_SOURCE_PIXELS:
                raise ValidationError({"photo": f"This photo has {width} × {height} pixels; upload one of at most "
                                                f"{PHOTO_MAX_SOURCE_PIXELS // 1_000_000} million pixels."})
            opened.seek(0)  # a GIF: its first frame
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photo": "This image cannot be read; upload a JPEG, PNG or GIF photo."}) from None
    finally:
        upload.seek(0)
    width, height = image.size
    if min(width, height) < PHOTO_MIN_SIDE:
        raise ValidationError({"photo": f"This photo is {width} × {height} pixels; upload one at least "
                                        f"{PHOTO_MIN_SIDE} pixels on each side."})
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    fx, fy = KEEP_CHOICES[keep][1]
    side = min(width, height)
    left, top = round((width - side) * fx), round((height - side) * fy)
    image = image.crop((left, top, left + side, top + side))
    if side > PHOTO_PIXELS:
        image = image.resize((PHOTO_PIXELS, PHOTO_PIXELS), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image with no info dictionary: Pillow writes no EXIF, ICC profile or comment.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


# --- the initials avatar -------------------------------------------------------------------------------

# Each with a contrast of 4.5:1 or more against white (tests/profiles/test_photos.py measures it).
AVATAR_COLOURS = (
    "#1d4e89",  # blue
    "#2d6a2e",  # green
    "#8c3b0f",  # rust
    "#6a3d9a",  # purple
    "#9b2454",  # raspberry
    "#0e6464",  # teal
    "#5b4a00",  # olive
    "#44546a",  # slate
)
AVATAR_TEXT = "#ffffff"


HONORIFICS = {"dr", "prof", "mr", "mrs", "ms", "mx"}


def initials_of(name: str) -> str:
    """Up to two letters: of the first and the last word of the name ("Ana María López" -> "AL"), a title
    such as "Dr." left out ("Dr. Elena García" -> "EG")."""
    words = [w for w in (name or "").replace("-", " ").split() if any(ch.isalpha() for ch in w)]
    named = [w for w in words if w.strip(".").lower() not in HONORIFICS]
    words = named or words
    letters = [next(ch for ch in word if ch.isalpha()) for word in words]
    if not letters:
        return "?"
    picked = letters[0] + (letters[-1] if len(letters) > 1 else "")
    return unicodedata.normalize("NFC", picked.upper())


def avatar_colour(person_id: int | None) -> str:
    """The same colour for the same account, whatever its name: picked from a hash of the id."""
    digest = hashlib.sha256(f"mentora-avatar:{person_id}".encode()).digest()
    return AVATAR_COLOURS[digest[0] % len(AVATAR_COLOURS)]


def initials_svg(*, name: str, person_id: int | None, size: int = 48) -> str:
    """The initials avatar as an inline SVG element, decorative (the name is always written beside it)."""
    initials = escape(initials_of(name))
    font = 38 if len(initials_of(name)) == 1 else 34
    return (
        f'<svg class="avatar avatar-initials" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" '
        f'width="{int(size)}" height="{int(size)}" aria-hidden="true" focusable="false">'
        f'<circle cx="50" cy="50" r="50" fill="{avatar_colour(person_id)}"/>'
        f'<text x="50" y="50" dy="0.35em" text-anchor="middle" fill="{AVATAR_TEXT}" font-size="{font}" '
        f'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-weight="bold">{initials}</text></svg>'
    )


def data_uri(content: bytes, content_type: str) -> str:
    """For documents rendered apart from the site (PDF): the image itself in the page, no address to fetch."""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
