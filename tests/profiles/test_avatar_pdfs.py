"""A mentor with a photo and one without, in the PDF exports: the learning plan (mentee and mentors) and
the mentor's portfolio. The photo is the image itself in the document; without one, the initials."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from mentora.ilps import services as ilp_services
from mentora.profiles.photos import initials_of
from mentora.profiles.services import profile_photo_set

pytestmark = pytest.mark.django_db


def give_photo(person, colour="darkgreen"):
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, "JPEG")
    profile_photo_set(person=person, upload=SimpleUploadedFile("p.jpg", out.getvalue()), by=person)


def read(content: bytes) -> tuple[str, list]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    images = [image for page in reader.pages for image in page.images]
    return text, images


def ilp_pdf(client, cast) -> tuple[str, list]:
    plan = ilp_services.plan_create(mentee=cast["mentee_a"], career_vision="Academic cardiology")
    client.force_login(cast["mentee_a"])
    response = client.get(reverse("ilps:ilp_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return read(response.content)


def test_the_plan_pdf_shows_a_mentor_with_a_photo(client, cast):
    give_photo(cast["mentor_a"])
    text, images = ilp_pdf(client, cast)
    assert cast["mentor_a"].display_name in text
    assert len(images) == 1  # the mentor's photo; the mentee has none: initials, drawn
    photo = Image.open(io.BytesIO(images[0].data))
    assert photo.width == photo.height == 200
    assert initials_of(cast["mentee_a"].display_name) in text


def test_the_plan_pdf_shows_a_mentor_without_a_photo_by_initials(client, cast):
    text, images = ilp_pdf(client, cast)
    assert cast["mentor_a"].display_name in text
    assert images == []
    assert initials_of(cast["mentor_a"].display_name) in text


def test_the_portfolio_pdf_with_and_without_the_mentors_photo(client, cast):
    mentor = cast["mentor_a"]
    client.force_login(mentor)
    text, images = read(client.get("/portfolio/portfolio.pdf").content)
    assert mentor.display_name in text and images == []
    assert initials_of(mentor.display_name) in text
    give_photo(mentor, colour="navy")
    text, images = read(client.get("/portfolio/portfolio.pdf").content)
    assert mentor.display_name in text and len(images) == 1
    photo = Image.open(io.BytesIO(images[0].data)).convert("RGB")
    red, green, blue = photo.getpixel((photo.width // 2, photo.height // 2))
    assert blue > 100 and red < 40 and green < 40  # navy: the mentor's own photo
