import datetime

from django.http import Http404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from mentora.core.uploads import image_response

from . import permissions
from .selectors import person_with_profile, photo_of, profile_for_display
from .services import profile_photo_remove, profile_photo_set

router = Router(tags=["people"])


class ProfileOut(Schema):
    id: int
    full_name: str
    headline: str
    specialty: str
    subspecialty: str
    training_level: str
    languages: list[str]
    career_tracks: list[str]
    research_interests: str
    interest_tags: list[str]
    links: dict[str, str]
    has_photo: bool


class PhotoOut(Schema):
    uploaded_at: datetime.datetime


@router.get("/{user_id}", response=ProfileOut, summary="A person's public profile")
def profile_detail(request, user_id: int):
    person = person_with_profile(user_id=user_id)
    if not permissions.can_view_profile(request.auth, person):
        raise Http404  # like a missing person: the caller learns nothing of who exists
    profile = profile_for_display(person=person)
    return {
        "id": person.pk, "full_name": person.full_name, "headline": profile.headline,
        "specialty": profile.specialty, "subspecialty": profile.subspecialty,
        "training_level": profile.training_level, "languages": profile.languages,
        "career_tracks": profile.career_tracks, "research_interests": profile.research_interests,
        "interest_tags": profile.interest_tags, "links": dict(profile.links()),
        "has_photo": photo_of(person) is not None,
    }


@router.post("/me/photo", response=PhotoOut, summary="Put up or replace my photo",
             description="A JPEG, PNG or GIF of at most 8 MB, sent as multipart form data. It is cropped to a "
                         "square (`keep`: centre, top, bottom, left or right) and stored without its EXIF data.")
def photo_put_up(request, photo: File[UploadedFile], keep: Form[str] = "centre"):
    saved = profile_photo_set(person=request.auth, upload=photo, keep=keep, by=request.auth)
    return {"uploaded_at": saved.uploaded_at}


@router.get("/{user_id}/photo", summary="A person's photo",
            description="A square JPEG without metadata, to whoever may see the person's profile; 404 when they "
                        "have none (show their initials instead).",
            openapi_extra={"responses": {200: {"description": "The photo", "content": {"image/jpeg": {"schema": {
                "type": "string", "format": "binary"}}}}}})
def photo_image(request, user_id: int):
    person = person_with_profile(user_id=user_id)
    if not permissions.can_view_profile(request.auth, person):
        raise Http404  # like a missing person
    photo = photo_of(person)
    if photo is None or not photo.image:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except OSError:
        raise Http404 from None
    return image_response(handle, kind="jpeg")


@router.delete("/{user_id}/photo", response={204: None}, summary="Take a photo down",
               description="My own photo; the site's admins may take down anyone's.")
def photo_take_down(request, user_id: int):
    person = person_with_profile(user_id=user_id)
    if not permissions.can_view_profile(request.auth, person):
        raise Http404
    if not profile_photo_remove(person=person, by=request.auth):
        raise Http404
    return 204, None
