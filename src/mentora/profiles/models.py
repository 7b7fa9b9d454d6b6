"""Profiles: the public profile, IMG details, the mentor offer, and sensitive attributes apart.

Sensitive attributes (gender, race/ethnicity, LGBTQ+ identity) live in their own model with
the date of consent and a visibility per field, so no query of the public profile can reach them.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from mentora.core.labels import country_name
from mentora.core.links import WebLinkField
from mentora.core.time_zones import DEFAULT_TIME_ZONE, validate_time_zone
from mentora.core.uploads import UploadValidator
from mentora.core.vocabulary import (
    COUNTRY_NAMES,
    GENDERS,
    IMG_STATUSES,
    RACE_ETHNICITIES,
    SPECIALTIES,
    TRAINING_LEVELS,
    USMLE_STATUSES,
    VISA_STATUSES,
    choices,
    region_of,
)


class Profile(models.Model):
    """What anyone who may see the person sees: name, training, interests, links."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    headline = models.CharField(max_length=200, blank=True, help_text="One line, e.g. 'PGY-2, internal medicine'.")
    bio = models.TextField(blank=True, max_length=4000)
    pronouns = models.CharField(max_length=40, blank=True)
    institution = models.ForeignKey(
        "programs.Institution", on_delete=models.SET_NULL, null=True, blank=True, related_name="profiles"
    )
    specialty = models.CharField(max_length=40, choices=choices(SPECIALTIES), blank=True)
    subspecialty = models.CharField(max_length=60, blank=True)
    training_level = models.CharField(max_length=10, choices=choices(TRAINING_LEVELS), blank=True)
    time_zone = models.CharField(max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone],
                                 help_text="An IANA time zone: meeting times are shown in it.")
    languages = models.JSONField(default=list, blank=True, help_text="ISO 639-1 codes.")
    meeting_modes = models.JSONField(default=list, blank=True)
    career_tracks = models.JSONField(default=list, blank=True)
    research_interests = models.TextField(blank=True, max_length=2000)
    interest_tags = models.JSONField(default=list, blank=True)
    linkedin_url = WebLinkField("LinkedIn", blank=True)
    x_url = WebLinkField("X (Twitter)", blank=True)
    orcid = models.CharField("ORCID iD", max_length=19, blank=True)
    doximity_url = WebLinkField("Doximity", blank=True)
    institution_page_url = WebLinkField("Institution page", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""

    def links(self) -> list[tuple[str, str]]:
        pairs = [
            ("LinkedIn", self.linkedin_url),
            ("X", self.x_url),
            ("ORCID", self.orcid_url),
            ("Doximity", self.doximity_url),
            ("Institution page", self.institution_page_url),
        ]
        return [(label, url) for label, url in pairs if url]


def validate_country_code(value: str) -> None:
    """One of the countries Mentora knows (their names come from pycountry, so they stay out of migrations)."""
    if value and value not in COUNTRY_NAMES:
        raise ValidationError(f"“{value}” is not a country code Mentora knows")


class ImgDetails(models.Model):
    """Where and when the person trained, and where they stand on the IMG pathway."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="img_details")
    medical_school = models.CharField(max_length=200, blank=True)
    medical_school_country = models.CharField(max_length=2, blank=True, validators=[validate_country_code],
                                              help_text="ISO 3166-1 alpha-2 code.")
    graduation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    img_status = models.CharField(max_length=12, choices=choices(IMG_STATUSES), blank=True)
    ecfmg_certified = models.BooleanField(default=False)
    ecfmg_certified_on = models.DateField(null=True, blank=True)
    usmle_step1 = models.CharField(max_length=16, choices=choices(USMLE_STATUSES), default="not_taken")
    usmle_step2_ck = models.CharField(max_length=16, choices=choices(USMLE_STATUSES), default="not_taken")
    usmle_step3 = models.CharField(max_length=16, choices=choices(USMLE_STATUSES), default="not_taken")
    # Visa and immigration details are private to the person unless they choose otherwise.
    visa_status = models.CharField(max_length=20, choices=choices(VISA_STATUSES), blank=True)
    j1_waiver_plan = models.CharField(max_length=200, blank=True)
    visa_visible_to_mentors = models.BooleanField(default=False)
    us_clinical_experience = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "IMG details"

    def __str__(self) -> str:
        return f"IMG details of {self.user}"

    @property
    def medical_school_place(self) -> str:
        """ "Madras Medical College, India"; the country once, even when the school's name carries it."""
        country = country_name(self.medical_school_country)
        school = self.medical_school.strip()
        if not school or not country:
            return school or country
        return school if country.lower() in school.lower() else f"{school}, {country}"

    @property
    def medical_school_region(self) -> str:
        return region_of(self.medical_school_country)


class MentorOffer(models.Model):
    """What a mentor offers: capacity, kinds of mentorship, whether they take new mentees."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_offer")
    capacity = models.PositiveSmallIntegerField(default=3, help_text="How many mentees at once.")
    kinds_offered = models.JSONField(default=list, blank=True)
    accepting_new_mentees = models.BooleanField(default=True)
    years_in_practice = models.PositiveSmallIntegerField(null=True, blank=True)
    offer_note = models.TextField(blank=True, max_length=2000, help_text="What mentees can expect from you.")
    availability = models.CharField(
        max_length=300, blank=True,
        help_text="When you can usually meet, e.g. “Tuesday evenings, Eastern time; a video call every month”.")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(capacity__lte=50), name="mentor_capacity_sane")]

    def __str__(self) -> str:
        return f"Mentor offer of {self.user}"


class SensitiveAttributes(models.Model):
    """Optional, consented attributes; never in the directory unless the owner chooses so."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me (and matching, where I allow it)"
        MENTORS = "mentors", "Me and my mentors"
        DIRECTORY = "directory", "Shown on my profile"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sensitive_attributes"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=choices(GENDERS), blank=True)
    race_ethnicity = models.CharField(max_length=40, choices=choices(RACE_ETHNICITIES), blank=True)
    lgbtq_identity = models.BooleanField(null=True, blank=True)
    gender_visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    race_ethnicity_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    lgbtq_identity_visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    # As a mentee: which concordances matter to me in a match.
    concordance_wanted = models.JSONField(default=list, blank=True)
    # As a mentor: which attributes I agree to be matched on.
    concordance_consent = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "sensitive attributes"

    def __str__(self) -> str:
        return f"Sensitive attributes of {self.user}"

    @property
    def has_consented(self) -> bool:
        return self.consented_at is not None


# What a profile photo may be uploaded as (recognised by its content) and how large. It is stored
# re-encoded: a square JPEG of PHOTO_PIXELS, with no EXIF or other metadata of the original.
PHOTO_UPLOAD_KINDS = frozenset({"jpeg", "png", "gif"})
PHOTO_UPLOAD_MAX_BYTES = 8 * 1024 * 1024
PHOTO_PIXELS = 400
# The content check of every way a photo comes in (the page's form, the API, the model); the service
# then opens the image with Pillow within a pixel budget before re-encoding it (photos.square_jpeg).
validate_photo_upload = UploadValidator(kinds=PHOTO_UPLOAD_KINDS, max_bytes=PHOTO_UPLOAD_MAX_BYTES)


def profile_photo_path(photo: "ProfilePhoto", filename: str) -> str:
    """A random name under photos/: nothing of the uploader's file name or of the person is in the path."""
    return f"photos/{uuid.uuid4().hex}.jpg"


class ProfilePhoto(models.Model):
    """A person's photo, shown to whoever may see their profile (served by a view that checks)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_photo")
    image = models.FileField(upload_to=profile_photo_path, max_length=200, validators=[validate_photo_upload])
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Photo of {self.user}"

    @property
    def url(self) -> str:
        """The address of the view that hands the photo to those who may see the profile; the time of
        upload in the query, so a new photo is never hidden by a cached old one."""
        return f"{reverse('profiles:profile_photo', args=[self.user_id])}?v={int(self.uploaded_at.timestamp())}"
