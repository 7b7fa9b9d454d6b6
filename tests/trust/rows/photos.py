"""Profile photos: put up one's own, served to whoever may see the profile, taken down by the person
(or a site admin)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mentora.profiles.services import profile_photo_set
from tests.trust.matrix import Row


def _jpeg(name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), "teal").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _with_photo(person) -> int:
    profile_photo_set(person=person, upload=_jpeg(), by=person)
    return person.pk


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("profiles:profile_photo_edit", lambda c: reverse("profiles:profile_photo_edit"),
        "login 200   200   200   200   200   200   200   200"),
    Row("profiles:profile_photo_edit", lambda c: reverse("profiles:profile_photo_edit"), method="POST", note="one's own photo",
        data=lambda c: {"photo": _jpeg(), "keep": "centre"},
        expect="login 302   302   302   302   302   302   302   302"),
    Row("profiles:profile_photo_edit", lambda c: reverse("profiles:profile_photo_edit"), method="POST", note="not an image, shown again",
        data=lambda c: {"photo": SimpleUploadedFile("me.jpg", b"plain words", content_type="image/jpeg")},
        expect="login 200   200   200   200   200   200   200   200"),
    # Whoever may see mentee A's profile sees the photo: A, A's mentor, A's coordinator, the admin.
    Row("profiles:profile_photo", lambda c: reverse("profiles:profile_photo", args=[_with_photo(c.mentee_a)]), note="mentee A's",
        expect="login 200   403   200   403   200   403   403   200"),
    Row("profiles:profile_photo", lambda c: reverse("profiles:profile_photo", args=[_with_photo(c.mentor_a)]),
        note="a mentor's: mentors are in the directory",
        expect="login 200   200   200   200   200   200   200   200"),
    Row("profiles:profile_photo", lambda c: reverse("profiles:profile_photo", args=[c.mentor_a.pk]), note="no photo",
        expect="login 404   404   404   404   404   404   404   404"),
    # Taken down by the person or a site admin; those who may not even see the profile learn nothing.
    Row("profiles:profile_photo_delete", lambda c: reverse("profiles:profile_photo_delete", args=[_with_photo(c.mentee_a)]),
        method="POST", note="mentee A's",
        expect="login 302   404   403   404   403   404   404   302"),
    Row("profiles:profile_photo_delete", lambda c: reverse("profiles:profile_photo_delete", args=[_with_photo(c.mentee_a)]),
        note="GET is not allowed",
        expect="login 405   405   405   405   405   405   405   405"),
    Row("GET /api/people/{user_id}/photo", lambda c: f"/api/people/{_with_photo(c.mentee_a)}/photo",
        note="mentee A's: those who may not see the profile learn nothing",
        expect="401   200   404   200   404   200   404   404   200"),
    Row("GET /api/people/{user_id}/photo", lambda c: f"/api/people/{_with_photo(c.mentor_a)}/photo",
        note="a mentor's", expect="401   200   200   200   200   200   200   200   200"),
    Row("GET /api/people/{user_id}/photo", lambda c: f"/api/people/{c.mentor_a.pk}/photo", note="no photo",
        expect="401   404   404   404   404   404   404   404   404"),
    Row("POST /api/people/me/photo", lambda c: "/api/people/me/photo", note="no file sent",
        expect="401   422   422   422   422   422   422   422   422"),
    Row("DELETE /api/people/{user_id}/photo", lambda c: f"/api/people/{_with_photo(c.mentee_a)}/photo",
        note="mentee A's",
        expect="401   204   404   403   404   403   404   404   204"),
    Row("DELETE /api/people/{user_id}/photo", lambda c: f"/api/people/{c.mentor_a.pk}/photo",
        note="a mentor without a photo",
        expect="401   403   403   404   403   403   403   403   404"),
]
