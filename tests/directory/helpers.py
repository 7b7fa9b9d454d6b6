"""Small builders for directory tests: a mentor with a full public profile, a mentee likewise."""

from mentora.profiles.models import Profile
from tests.factories import ImgDetailsFactory, MentorOfferFactory, SensitiveAttributesFactory, UserFactory


def make_person(*, name: str, specialty: str = "internal_medicine", research: str = "", languages=("en",),
                country: str = "", img_status: str = "", tags=(), tracks=(), modes=("video",), level: str = "pgy1",
                time_zone: str = "America/New_York", institution=None, headline: str = ""):
    user = UserFactory(full_name=name)
    Profile.objects.filter(user=user).update(
        specialty=specialty, research_interests=research, languages=list(languages), interest_tags=list(tags),
        career_tracks=list(tracks), meeting_modes=list(modes), training_level=level, time_zone=time_zone,
        institution=institution, headline=headline,
    )
    if country or img_status:
        ImgDetailsFactory(user=user, medical_school_country=country, img_status=img_status or "non_us_img")
    return type(user).objects.get(pk=user.pk)


def make_mentor(*, name: str, capacity: int = 3, kinds=("career", "research"), accepting: bool = True,
                years: int = 10, **profile):
    user = make_person(name=name, level="faculty", **profile)
    MentorOfferFactory(user=user, capacity=capacity, kinds_offered=list(kinds), accepting_new_mentees=accepting,
                       years_in_practice=years)
    return type(user).objects.get(pk=user.pk)


def consent(user, **fields):
    return SensitiveAttributesFactory(user=user, **fields)
