"""Profile photos: upload (checked, EXIF gone, square), serving to whoever may see the profile, removal,
erasure, export, and the initials avatar shown without one."""

import base64
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mentora.core.export_registry import export_person
from mentora.privacy.services import person_erase
from mentora.profiles.models import PHOTO_PIXELS, ProfilePhoto
from mentora.profiles.photos import AVATAR_COLOURS, AVATAR_TEXT, avatar_colour, contrast_ratio, initials_of
from mentora.profiles.services import profile_photo_remove, profile_photo_set
from tests.factories import MentorOfferFactory, UserFactory


def picture(width=600, height=300, *, kind="JPEG", halves=("red", "blue"), exif=None, mode="RGB") -> bytes:
    """An image whose left half (or top half, when taller than wide) and other half have two colours."""
    image = Image.new(mode, (width, height), halves[1])
    first = (0, 0, width // 2, height) if width >= height else (0, 0, width, height // 2)
    image.paste(Image.new(mode, (first[2], first[3]), halves[0]), first)
    out = io.BytesIO()
    if exif is not None:
        image.save(out, kind, exif=exif)
    else:
        image.save(out, kind)
    return out.getvalue()


def upload(content: bytes, name="me.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X serial 12345"  # Model
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (40.0, 44.0, 55.0), 3: "W", 4: (73.0, 59.0, 11.0)}  # GPS
    return exif


def stored_image(person) -> Image.Image:
    photo = ProfilePhoto.objects.get(user=person)
    with photo.image.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def colour_at(image: Image.Image, x: float, y: float) -> tuple:
    return image.convert("RGB").getpixel((int(image.width * x), int(image.height * y)))


def is_red(rgb) -> bool:
    return rgb[0] > 200 and rgb[2] < 60


def is_blue(rgb) -> bool:
    return rgb[2] > 200 and rgb[0] < 60


@pytest.mark.django_db
def test_a_photo_is_stored_square_small_and_without_exif():
    person = UserFactory()
    raw = picture(1600, 1000, exif=camera_exif())
    assert b"PhoneMaker" in raw
    profile_photo_set(person=person, upload=upload(raw), by=person)
    image = stored_image(person)
    assert image.format == "JPEG"
    assert image.size == (PHOTO_PIXELS, PHOTO_PIXELS)
    assert not image.getexif()
    assert "exif" not in image.info and "icc_profile" not in image.info
    with ProfilePhoto.objects.get(user=person).image.open("rb") as handle:
        content = handle.read()
    assert b"PhoneMaker" not in content and b"serial 12345" not in content
    assert ProfilePhoto.objects.get(user=person).image.name.startswith("photos/")


@pytest.mark.django_db
def test_the_camera_orientation_is_applied_before_the_exif_goes():
    person = UserFactory()
    # Stored landscape, red on the left; orientation 6 means "rotate 90° clockwise to view": red ends on top.
    raw = picture(600, 400, exif=camera_exif(orientation=6))
    profile_photo_set(person=person, upload=upload(raw), keep="top", by=person)
    image = stored_image(person)
    assert is_red(colour_at(image, 0.5, 0.1))


@pytest.mark.django_db
@pytest.mark.parametrize(("keep", "expect_red"), [("left", True), ("right", False), ("centre", None)])
def test_the_square_keeps_the_part_chosen(keep, expect_red):
    person = UserFactory()
    profile_photo_set(person=person, upload=upload(picture(900, 300)), keep=keep, by=person)
    image = stored_image(person)
    middle = colour_at(image, 0.5, 0.5)
    if expect_red is None:  # the centre square straddles both halves
        assert is_red(colour_at(image, 0.1, 0.5)) and is_blue(colour_at(image, 0.9, 0.5))
    else:
        assert is_red(middle) is expect_red and is_blue(middle) is (not expect_red)


@pytest.mark.django_db
def test_a_transparent_png_and_a_gif_are_accepted():
    person = UserFactory()
    profile_photo_set(person=person, upload=upload(picture(200, 200, kind="PNG", mode="RGBA",
                                                           halves=((255, 0, 0, 0), (0, 0, 255, 255))),
                                                   "me.png"), by=person)
    assert colour_at(stored_image(person), 0.1, 0.5)[0] > 240  # transparent shows as white, not black
    profile_photo_set(person=person, upload=upload(picture(200, 200, kind="GIF"), "me.gif"), by=person)
    assert stored_image(person).size == (200, 200)


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [
    (b"just some text pretending to be a photo", "upload a GIF image or JPEG image or PNG image"),
    (b"%PDF-1.4 a document", "This file is PDF document"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "cannot be read"),
    (None, "at least 64 pixels"),
])
def test_what_is_not_a_usable_photo_is_refused_on_the_form(client, content, message):
    person = UserFactory()
    client.force_login(person)
    content = content if content is not None else picture(40, 40)
    response = client.post(reverse("profiles:profile_photo_edit"), {"photo": upload(content), "keep": "centre"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProfilePhoto.objects.filter(user=person).exists()


def test_the_photo_form_and_the_stored_photo_check_the_content():
    from django.core.exceptions import ValidationError

    from mentora.profiles.forms import PhotoForm

    form = PhotoForm({"keep": "centre"}, {"photo": upload(b"%PDF-1.4 a document", name="me.jpg")})
    assert not form.is_valid() and "This file is PDF document" in form.errors["photo"][0]
    assert PhotoForm({"keep": "centre"}, {"photo": upload(picture(200, 200))}).is_valid()
    field = ProfilePhoto._meta.get_field("image")
    with pytest.raises(ValidationError, match="upload a GIF image or JPEG image or PNG image"):
        field.run_validators(upload(b"<!doctype html><script>alert(1)</script>", name="me.jpg"))
    field.run_validators(upload(picture(200, 200, kind="PNG"), name="me.png"))


@pytest.mark.django_db
def test_a_photo_over_the_size_limit_is_refused(settings):
    from mentora.profiles.models import PHOTO_UPLOAD_MAX_BYTES

    person = UserFactory()
    too_big = picture(200, 200) + b"\x00" * PHOTO_UPLOAD_MAX_BYTES
    with pytest.raises(Exception, match="too large"):
        profile_photo_set(person=person, upload=upload(too_big), by=person)


@pytest.mark.django_db
def test_uploading_on_the_page_saves_and_shows_the_photo(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("profiles:profile_photo_edit"), {"photo": upload(picture()), "keep": "left"})
    assert response.status_code == 302
    photo = ProfilePhoto.objects.get(user=person)
    page = client.get(reverse("profiles:profile_detail", args=[person.pk])).content.decode()
    assert f'src="{photo.url}"' in page.replace("&amp;", "&")
    assert 'data-avatar="initials"' not in page


@pytest.mark.django_db
def test_someone_else_cannot_put_up_a_photo_for_a_person():
    from django.core.exceptions import PermissionDenied

    person, other = UserFactory(), UserFactory(is_superuser=True)
    with pytest.raises(PermissionDenied):
        profile_photo_set(person=person, upload=upload(picture()), by=other)


@pytest.mark.django_db
def test_the_photo_is_served_to_whoever_may_see_the_profile(client):
    mentee, mentor, stranger = UserFactory(), UserFactory(), UserFactory()
    MentorOfferFactory(user=mentor)
    for person in (mentee, mentor):
        profile_photo_set(person=person, upload=upload(picture()), by=person)
    client.force_login(stranger)
    response = client.get(reverse("profiles:profile_photo", args=[mentor.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    # A mentee's profile (and photo) is not for a stranger.
    assert client.get(reverse("profiles:profile_photo", args=[mentee.pk])).status_code == 403
    client.force_login(mentee)
    assert client.get(reverse("profiles:profile_photo", args=[mentee.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("profiles:profile_photo", args=[mentor.pk])).status_code == 302


@pytest.mark.django_db
def test_no_photo_is_a_404_and_the_pages_show_initials(client):
    mentor = UserFactory(full_name="Priya Raman")
    MentorOfferFactory(user=mentor)
    client.force_login(mentor)
    assert client.get(reverse("profiles:profile_photo", args=[mentor.pk])).status_code == 404
    page = client.get(reverse("profiles:profile_detail", args=[mentor.pk])).content.decode()
    assert 'data-avatar="initials"' in page and ">PR</text>" in page


@pytest.mark.django_db
def test_replacing_and_removing_delete_the_old_files(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_set(person=person, upload=upload(picture()), by=person)
    first = ProfilePhoto.objects.get(user=person).image.name
    with django_capture_on_commit_callbacks(execute=True):
        profile_photo_set(person=person, upload=upload(picture(halves=("green", "white"))), by=person)
    second = ProfilePhoto.objects.get(user=person).image.name
    assert first != second
    assert not default_storage.exists(first) and default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        assert profile_photo_remove(person=person, by=person) is True
    assert not ProfilePhoto.objects.filter(user=person).exists()
    assert not default_storage.exists(second)
    assert profile_photo_remove(person=person, by=person) is False


@pytest.mark.django_db
def test_removal_on_the_page_by_the_person_and_by_an_admin_only(client):
    person, other, admin = UserFactory(), UserFactory(), UserFactory(is_superuser=True)
    MentorOfferFactory(user=person)  # so every signed-in person may see the profile
    profile_photo_set(person=person, upload=upload(picture()), by=person)
    client.force_login(other)
    assert client.post(reverse("profiles:profile_photo_delete", args=[person.pk])).status_code == 403
    assert ProfilePhoto.objects.filter(user=person).exists()
    client.force_login(admin)
    assert client.post(reverse("profiles:profile_photo_delete", args=[person.pk])).status_code == 302
    assert not ProfilePhoto.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_erasure_deletes_the_photo_file(django_capture_on_commit_callbacks):
    person = UserFactory()
    profile_photo_set(person=person, upload=upload(picture()), by=person)
    stored = ProfilePhoto.objects.get(user=person).image.name
    assert default_storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=person)
    assert not ProfilePhoto.objects.filter(user=person).exists()
    assert not default_storage.exists(stored)


@pytest.mark.django_db
def test_the_personal_export_carries_the_photo_itself():
    person = UserFactory()
    assert export_person(person)["profile_photo"] is None
    profile_photo_set(person=person, upload=upload(picture()), by=person)
    section = export_person(person)["profile_photo"]
    assert section["content_type"] == "image/jpeg"
    image = Image.open(io.BytesIO(base64.b64decode(section["data_base64"])))
    assert image.size == (300, 300)  # the 600 × 300 picture's square, smaller than PHOTO_PIXELS: not enlarged
    assert "photos/" not in repr(section)  # where it is kept is not the person's data


def test_every_avatar_colour_has_aa_contrast_with_its_text():
    for colour in AVATAR_COLOURS:
        assert contrast_ratio(colour, AVATAR_TEXT) >= 4.5, colour


def test_the_avatar_colour_follows_the_account_not_the_name():
    assert avatar_colour(17) == avatar_colour(17)
    assert len({avatar_colour(n) for n in range(200)}) == len(AVATAR_COLOURS)


@pytest.mark.parametrize(("name", "initials"), [
    ("Ana María López", "AL"), ("priya", "P"), ("", "?"), ("Jean-Luc Picard", "JP"), ("Ørjan Ås", "ØÅ"),
    ("Dr. (Kim) Lee", "KL"), ("Dr. Elena García", "EG"), ("Dr", "D"),
])
def test_initials(name, initials):
    assert initials_of(name) == initials


@pytest.mark.django_db
def test_the_api_puts_up_shows_and_takes_down_a_photo(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post("/api/people/me/photo", {"photo": upload(picture(900, 300)), "keep": "right"})
    assert response.status_code == 200, response.content
    assert is_blue(colour_at(stored_image(person), 0.5, 0.5))
    assert client.get(f"/api/people/{person.pk}").json()["has_photo"] is True
    refused = client.post("/api/people/me/photo", {"photo": upload(b"not an image at all")})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert client.delete(f"/api/people/{person.pk}/photo").status_code == 204
    assert client.get(f"/api/people/{person.pk}").json()["has_photo"] is False


@pytest.mark.django_db
def test_the_api_hands_out_the_photo_to_whoever_may_see_the_profile(client):
    mentee, mentor, stranger = UserFactory(), UserFactory(), UserFactory()
    MentorOfferFactory(user=mentor)
    for person in (mentee, mentor):
        profile_photo_set(person=person, upload=upload(picture()), by=person)
    client.force_login(stranger)
    response = client.get(f"/api/people/{mentor.pk}/photo")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.get(f"/api/people/{mentee.pk}/photo").status_code == 404
    client.force_login(mentee)
    assert client.get(f"/api/people/{mentee.pk}/photo").status_code == 200
