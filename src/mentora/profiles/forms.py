from django import forms
from django.core.exceptions import ValidationError

from mentora.core.links import WebLinkFormField
from mentora.core.time_zones import zone_field
from mentora.core.vocabulary import (
    CAREER_TRACKS,
    CONCORDANCE_FIELDS,
    COUNTRY_NAMES,
    LANGUAGES,
    MEETING_MODES,
    RELATIONSHIP_KINDS,
    SUBSPECIALTY_LABELS,
    US_CLINICAL_EXPERIENCE,
    choices,
)

from .models import ImgDetails, MentorOffer, Profile, SensitiveAttributes, validate_photo_upload
from .photos import KEEP_CHOICES


def _checkboxes(vocabulary: dict[str, str], label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices(vocabulary), required=False, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(forms.ModelForm):
    full_name = forms.CharField(max_length=200)
    time_zone = zone_field(from_browser=True, help_text="Meeting times are shown in this time zone.")
    languages = _checkboxes(LANGUAGES, "Languages you speak")
    meeting_modes = _checkboxes(MEETING_MODES, "Ways you like to meet")
    career_tracks = _checkboxes(CAREER_TRACKS, "Career tracks")
    interest_tags = forms.CharField(
        required=False, label="Interest tags", help_text="Separate with commas, e.g. heart failure, QI, education."
    )
    linkedin_url = WebLinkFormField(label="LinkedIn", required=False)
    x_url = WebLinkFormField(label="X (Twitter)", required=False)
    doximity_url = WebLinkFormField(label="Doximity", required=False)
    institution_page_url = WebLinkFormField(label="Institution page", required=False)
    subspecialty = forms.ChoiceField(
        required=False, choices=[("", "—")] + sorted(SUBSPECIALTY_LABELS.items(), key=lambda item: item[1])
    )

    class Meta:
        model = Profile
        fields = [
            "headline", "pronouns", "bio", "institution", "specialty", "subspecialty", "training_level",
            "time_zone", "languages", "meeting_modes", "career_tracks", "research_interests", "interest_tags",
            "linkedin_url", "x_url", "orcid", "doximity_url", "institution_page_url",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4}), "research_interests": forms.Textarea(attrs={"rows": 3})}

    field_order = ["full_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.initial["interest_tags"] = ", ".join(self.instance.interest_tags or [])
            self.initial["full_name"] = self.instance.user.full_name

    def clean_interest_tags(self) -> list[str]:
        raw = self.cleaned_data.get("interest_tags") or ""
        tags = [tag.strip().lower() for tag in raw.split(",") if tag.strip()]
        if len(tags) > 20:
            raise ValidationError("Keep it to 20 tags or fewer.")
        if any(len(tag) > 60 for tag in tags):
            raise ValidationError("Each tag must be 60 characters or fewer.")
        return list(dict.fromkeys(tags))

    def clean_orcid(self) -> str:
        orcid = (self.cleaned_data.get("orcid") or "").strip()
        if orcid.startswith("https://orcid.org/"):
            orcid = orcid.removeprefix("https://orcid.org/")
        if orcid and not _valid_orcid(orcid):
            raise ValidationError("An ORCID iD looks like 0000-0002-1825-0097 (with a valid check digit).")
        return orcid


def _valid_orcid(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    if len(digits) != 16 or not (digits[:15].isascii() and digits[:15].isdigit()):
        return False
    total = 0
    for char in digits[:15]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[15] == ("X" if check == 10 else str(check))


class ImgDetailsForm(forms.ModelForm):
    medical_school_country = forms.ChoiceField(
        choices=[("", "—")] + sorted(COUNTRY_NAMES.items(), key=lambda item: item[1]), required=False,
        label="Country of medical school")
    us_clinical_experience = _checkboxes(US_CLINICAL_EXPERIENCE, "US clinical experience")

    class Meta:
        model = ImgDetails
        fields = [
            "medical_school", "medical_school_country", "graduation_year", "img_status", "ecfmg_certified",
            "ecfmg_certified_on", "usmle_step1", "usmle_step2_ck", "usmle_step3", "visa_status",
            "j1_waiver_plan", "visa_visible_to_mentors", "us_clinical_experience",
        ]
        widgets = {"ecfmg_certified_on": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "medical_school_country": "Country of medical school",
            "img_status": "IMG status",
            "ecfmg_certified": "ECFMG certified",
            "ecfmg_certified_on": "ECFMG certification date",
            "usmle_step1": "USMLE Step 1",
            "usmle_step2_ck": "USMLE Step 2 CK",
            "usmle_step3": "USMLE Step 3",
            "j1_waiver_plan": "J-1 waiver plan",
            "visa_visible_to_mentors": "Let my mentors see my visa details",
        }

    def clean_graduation_year(self):
        year = self.cleaned_data.get("graduation_year")
        if year is not None and not 1950 <= year <= 2040:
            raise ValidationError("Enter a graduation year between 1950 and 2040.")
        return year


class MentorOfferForm(forms.ModelForm):
    kinds_offered = _checkboxes(RELATIONSHIP_KINDS, "Kinds of mentorship you offer")

    class Meta:
        model = MentorOffer
        fields = ["capacity", "kinds_offered", "accepting_new_mentees", "availability", "years_in_practice",
                  "offer_note"]
        widgets = {"offer_note": forms.Textarea(attrs={"rows": 3})}

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if capacity > 50:
            raise ValidationError("A capacity above 50 mentees is not realistic; enter 50 or fewer.")
        return capacity


class SensitiveAttributesForm(forms.ModelForm):
    consent = forms.BooleanField(
        required=False,
        label="I consent to Mentora storing these optional attributes",
        help_text="Unticking this deletes them at once. They are never shown in the directory unless you choose so.",
    )
    concordance_wanted = _checkboxes(CONCORDANCE_FIELDS, "As a mentee, I would like a mentor who shares my")
    concordance_consent = _checkboxes(CONCORDANCE_FIELDS, "As a mentor, I agree to be matched on my")

    # The per-field visibility, saying what each choice means for matching (see the page's notice).
    VISIBILITY_LABELS = {
        SensitiveAttributes.Visibility.PRIVATE: "Only me (never used in recommendations)",
        SensitiveAttributes.Visibility.MENTORS: "Me and my mentors (never used in recommendations)",
        SensitiveAttributes.Visibility.DIRECTORY: "Shown on my profile (recommendations may use it)",
    }

    class Meta:
        model = SensitiveAttributes
        fields = [
            "gender", "gender_visibility", "race_ethnicity", "race_ethnicity_visibility", "lgbtq_identity",
            "lgbtq_identity_visibility", "concordance_wanted", "concordance_consent",
        ]
        labels = {"lgbtq_identity": "I identify as LGBTQ+"}
        widgets = {
            "lgbtq_identity": forms.Select(choices=[("", "Prefer not to say"), (True, "Yes"), (False, "No")]),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CONCORDANCE_FIELDS:
            self.fields[f"{name}_visibility"].choices = [
                (value, self.VISIBILITY_LABELS.get(value, label))
                for value, label in SensitiveAttributes.Visibility.choices
            ]
        # LGBTQ+ identity is never used in matching: its choices say only who sees it.
        self.fields["lgbtq_identity_visibility"].choices = [
            (value, label.split(" (")[0]) for value, label in SensitiveAttributes.Visibility.choices
        ]


class PhotoForm(forms.Form):
    """A photo to put up: its content and size checked here, and again with its pixels by the service."""

    photo = forms.FileField(
        label="Photo", help_text="A JPEG, PNG or GIF of at most 8 MB. It is cropped to a square; "
        "its location and camera details (EXIF) are removed.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif"}),
        validators=[validate_photo_upload],
    )
    keep = forms.ChoiceField(
        label="If the photo is not square, keep", initial="centre",
        choices=[(value, label) for value, (label, _focus) in KEEP_CHOICES.items()],
    )
