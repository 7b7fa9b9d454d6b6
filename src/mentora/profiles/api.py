from django.http import Http404
from ninja import Router, Schema

from . import permissions
from .selectors import person_with_profile, profile_for_display

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
    }
