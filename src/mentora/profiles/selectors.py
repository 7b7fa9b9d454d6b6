"""Reads about people's profiles."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404

from .models import ImgDetails, MentorOffer, Profile, ProfilePhoto

User = get_user_model()


def profile_for_display(*, person):
    """The person's profile, or an empty unsaved one: looking at a profile never writes."""
    try:
        return person.profile
    except Profile.DoesNotExist:
        return Profile(user=person)


def person_with_profile(*, user_id: int):
    return get_object_or_404(
        User.objects.select_related(
            "profile", "profile__institution", "img_details", "mentor_offer", "profile_photo"
        ),
        pk=user_id,
    )


def photo_of(person):
    """The person's ProfilePhoto, or None (reads the one-to-one; select_related("profile_photo") saves the query)."""
    if person is None or not getattr(person, "pk", None):
        return None
    try:
        return person.profile_photo
    except ProfilePhoto.DoesNotExist:
        return None


def photo_bytes(photo) -> bytes | None:
    """The stored JPEG of a photo, or None when the file is missing (it is then shown as initials)."""
    if photo is None or not photo.image:
        return None
    try:
        with photo.image.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


@dataclass(frozen=True)
class CompletenessItem:
    key: str
    label: str
    done: bool
    why: str  # what filling it in changes for the person


@dataclass(frozen=True)
class ProfileCompleteness:
    percent: int
    items: list[CompletenessItem]
    as_mentor: bool

    @property
    def missing(self) -> list[CompletenessItem]:
        return [item for item in self.items if not item.done]

    @property
    def complete(self) -> bool:
        return not self.missing


def profile_completeness(*, user, as_mentor: bool | None = None) -> ProfileCompleteness:
    """How complete the person's profile is, and what each missing part would change for them.

    The one place this is computed (home and the profile's edit page show it). A mentor is measured on
    what mentees choose by and what the recommendations weigh; a mentee on what matching weighs.
    `as_mentor` defaults to whether the person has a mentoring offer.
    """
    profile = Profile.objects.filter(user=user).first()
    details = ImgDetails.objects.filter(user=user).first()
    offer = MentorOffer.objects.filter(user=user).first()
    has_photo = ProfilePhoto.objects.filter(user=user).exists()
    if as_mentor is None:
        as_mentor = offer is not None

    def has(name: str) -> bool:
        return bool(profile and getattr(profile, name))

    interests = has("research_interests") or has("interest_tags")
    if as_mentor:
        items = [
            CompletenessItem("photo", "A photo", has_photo,
                             "Mentees choose among cards: a face makes yours stand out and helps at the first meeting."),
            CompletenessItem("headline", "A title or one-line headline", has("headline"),
                             "Your card leads with it: mentees see at a glance what you do."),
            CompletenessItem("specialty", "Your specialty", has("specialty"),
                             "Mentors with a specialty and research interests are recommended more accurately: "
                             "the specialty weighs most in the recommendations."),
            CompletenessItem("research_interests", "Research interests or interest tags", interests,
                             "Recommendations compare your interests with the mentee's; without them you "
                             "never rank for shared interests."),
            CompletenessItem("languages", "Languages you speak", has("languages"),
                             "Mentees who look for a language find you in the directory, and sharing one "
                             "adds to your recommendation."),
            CompletenessItem("meeting_modes", "Ways you like to meet", has("meeting_modes"),
                             "Shown on your card, so mentees know whether you meet in person or by video."),
            CompletenessItem("availability", "When you can usually meet", bool(offer and offer.availability),
                             "Shown on your card: mentees in other time zones see whether your times suit them."),
            CompletenessItem("offer", "What you offer (kinds of mentorship)",
                             bool(offer and offer.kinds_offered),
                             "Mentees asking for one kind of mentorship (career, research…) only see "
                             "mentors who offer it."),
            CompletenessItem("career_tracks", "Career tracks", has("career_tracks"),
                             "Shared career tracks add to your recommendation to mentees on the same path."),
        ]
    else:
        items = [
            CompletenessItem("specialty", "Your specialty", has("specialty"),
                             "The specialty weighs most in your recommendations: without it, mentors are "
                             "not ranked by it at all."),
            CompletenessItem("training_level", "Your training level", has("training_level"),
                             "Recommendations prefer mentors a few steps ahead of you."),
            CompletenessItem("research_interests", "Research interests or interest tags", interests,
                             "Mentors with interests like yours rank higher, and the reason says which ones."),
            CompletenessItem("career_tracks", "Career tracks", has("career_tracks"),
                             "Mentors on the career path you want rank higher."),
            CompletenessItem("languages", "Languages you speak", has("languages"),
                             "A mentor who speaks your language (beside English) ranks higher."),
            CompletenessItem("medical_school", "Where you went to medical school",
                             bool(details and details.medical_school_country),
                             "Mentors who trained in the same country or region, or also took the IMG "
                             "pathway, rank higher."),
            CompletenessItem("photo", "A photo", has_photo,
                             "Your mentor sees who asks: a face helps at the first meeting."),
        ]
    done = sum(1 for item in items if item.done)
    return ProfileCompleteness(percent=round(100 * done / len(items)), items=items, as_mentor=as_mentor)
