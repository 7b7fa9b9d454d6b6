"""The profiles part of the demo: photos for some people, when mentors usually meet, and some profiles
left half done, so mentor cards show both photos and initials and the first-steps checklists have work.

Photos are drawn here with Pillow (a head-and-shoulders figure on a plain background), small and the
same for the same seed; they are stored as any uploaded photo is (square JPEGs under photos/).
"""

from __future__ import annotations

import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFilter

from .models import MentorOffer, Profile, ProfilePhoto

PHOTO_SIDE = 160
MAX_PHOTOS = 300  # at the design's scale, a few hundred photos show the feature as well as 12,000 would
BACKGROUNDS = ["#dfe7f2", "#e6efe4", "#f3e6dc", "#ece4f2", "#e2eef0", "#f1ecd9"]
SKIN = ["#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac", "#5c3a21"]
HAIR = ["#1b1b1b", "#3b2414", "#6a4e2f", "#a0a0a0", "#2d1f14"]
CLOTHES = ["#1d4e89", "#2d6a2e", "#6a3d9a", "#44546a", "#8c3b0f", "#0e6464", "#ffffff"]
AVAILABILITY = [
    "Tuesday evenings, {zone} time; a video call every month",
    "Early mornings before clinic, {zone} time",
    "Friday lunchtimes, in person or by video",
    "Weekends, by video; messages answered within two days",
    "Thursday afternoons, {zone} time, every other week",
]


def portrait(rng: random.Random) -> bytes:
    """A small, plausible portrait: background, shoulders, neck, head and hair."""
    side = PHOTO_SIDE
    image = Image.new("RGB", (side, side), rng.choice(BACKGROUNDS))
    draw = ImageDraw.Draw(image)
    skin, hair, clothes = rng.choice(SKIN), rng.choice(HAIR), rng.choice(CLOTHES)
    cx = side // 2 + rng.randint(-8, 8)
    draw.ellipse((cx - 62, 112, cx + 62, 220), fill=clothes)  # shoulders
    draw.rectangle((cx - 13, 88, cx + 13, 118), fill=skin)  # neck
    head_w, head_h = rng.randint(30, 36), rng.randint(38, 44)
    top = 28 + rng.randint(-4, 4)
    if rng.random() < 0.5:  # longer hair, behind the head
        draw.rounded_rectangle((cx - head_w - 6, top - 4, cx + head_w + 6, top + 2 * head_h + 14), radius=30, fill=hair)
    draw.ellipse((cx - head_w, top, cx + head_w, top + 2 * head_h), fill=skin)
    draw.chord((cx - head_w - 2, top - 6, cx + head_w + 2, top + head_h), 180, 360, fill=hair)  # hair on top
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def _photos_for(people: list[int], rng: random.Random) -> list[ProfilePhoto]:
    """The people's photos, named from the demo's own random stream. A file of that name can already be
    there (the same seed loaded before, or a load that was rolled back): it holds the same portrait, so it
    is replaced rather than saved beside under another name, and the same seed gives the same rows."""
    photos = []
    for user_id in people:
        name, content = f"photos/{rng.getrandbits(128):032x}.jpg", portrait(rng)
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(content))
        photos.append(ProfilePhoto(user_id=user_id, image=saved))
    return photos


def generate(context) -> None:
    # Its own random stream: the other apps' demo data stay what they were before photos existed.
    rng = random.Random(context.seed * 7919 + 20)
    mentor_login, mentee_login = context.logins["mentor"], context.logins["mentee"]
    mentors = [pk for pk in context.mentor_ids if pk != mentor_login.pk]
    mentees = [pk for pk in context.mentee_ids if pk != mentee_login.pk]

    # Photos: the demo mentor, about half the other mentors and a third of the mentees. The demo mentee
    # has none: her initials show, and her profile's meter asks for one.
    with_photo = [mentor_login.pk] + [pk for pk in mentors if rng.random() < 0.5][:MAX_PHOTOS // 2]
    with_photo += [pk for pk in mentees if rng.random() < 0.33][:MAX_PHOTOS // 2]
    context.bulk_create(ProfilePhoto, _photos_for(with_photo, rng), "profile photos")

    # When mentors usually meet: most say; some have not yet (their checklist asks).
    zones = dict(Profile.objects.filter(user_id__in=context.mentor_ids).values_list("user_id", "time_zone"))
    by_text: dict[str, list[int]] = {}
    for pk in [mentor_login.pk] + [pk for pk in mentors if rng.random() < 0.8]:
        zone = (zones.get(pk) or "America/New_York").split("/")[-1].replace("_", " ")
        by_text.setdefault(rng.choice(AVAILABILITY).format(zone=zone), []).append(pk)
    for text, ids in by_text.items():
        MentorOffer.objects.filter(user_id__in=ids).update(availability=text)

    # Half-done profiles, as people leave them after their first sign-in.
    sparse_mentees = [pk for pk in mentees if rng.random() < 0.15]
    Profile.objects.filter(user_id__in=sparse_mentees).update(research_interests="", interest_tags=[],
                                                              training_level="", career_tracks=[])
    sparse_mentors = [pk for pk in mentors if rng.random() < 0.1]
    Profile.objects.filter(user_id__in=sparse_mentors).update(headline="", meeting_modes=[])
