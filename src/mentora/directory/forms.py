from django import forms

from mentora.core.vocabulary import (
    COUNTRY_NAMES,
    IMG_STATUSES,
    LANGUAGES,
    MEETING_MODES,
    REGIONS,
    RELATIONSHIP_KINDS,
    SPECIALTIES,
    choices,
)
from mentora.programs.models import Institution

from .models import PREFERENCE_CRITERIA, WEIGHT_CHOICES, MatchPreferences, MentorshipRequest, ReferralRequest
from .selectors import REFERRAL_NEXT_STEPS

ANY = [("", "Any")]
SORTS = [
    ("name", "Name"),
    ("room", "Most free places"),
    ("experience", "Most years in practice"),
    ("recent", "Recently updated"),
]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200,
                        help_text="Names, interests, institutions, anything on a mentor's profile.")
    specialty = forms.ChoiceField(choices=ANY + choices(SPECIALTIES), required=False)
    research = forms.CharField(label="Research interest", required=False, max_length=100)
    language = forms.ChoiceField(choices=ANY + choices(LANGUAGES), required=False)
    country = forms.ChoiceField(label="Country of training", choices=ANY + sorted(COUNTRY_NAMES.items(),
                                key=lambda item: item[1]), required=False)
    region = forms.ChoiceField(label="Region of training", choices=ANY + [(r, r) for r in REGIONS], required=False)
    img_status = forms.ChoiceField(label="IMG status", choices=ANY + choices(IMG_STATUSES), required=False)
    kind = forms.ChoiceField(label="Offers", choices=ANY + choices(RELATIONSHIP_KINDS), required=False)
    institution = forms.ModelChoiceField(queryset=Institution.objects.only("id", "name"), required=False,
                                         empty_label="Any")
    meeting_mode = forms.ChoiceField(label="Meets by", choices=ANY + choices(MEETING_MODES), required=False)
    time_zone = forms.ChoiceField(label="Time zone", choices=ANY, required=False)
    accepting = forms.BooleanField(label="Accepting new mentees only", required=False)
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def __init__(self, *args, time_zones: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = ANY + [(zone, zone.replace("_", " ")) for zone in time_zones]


class PreferencesForm(forms.ModelForm):
    concordance_wanted = forms.MultipleChoiceField(
        label="Concordance I ask for (optional)", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("gender", "Gender"), ("race_ethnicity", "Race or ethnicity")],
        help_text="Your own answer is shown to nobody: a match on it reads 'Matches a concordance you asked for'.",
    )

    class Meta:
        model = MatchPreferences
        fields = [*PREFERENCE_CRITERIA, "concordance"]
        labels = {**PREFERENCE_CRITERIA, "concordance": "The concordance I ask for"}
        widgets = {name: forms.RadioSelect(choices=WEIGHT_CHOICES) for name in [*PREFERENCE_CRITERIA, "concordance"]}

    def __init__(self, *args, can_ask_concordance: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_ask_concordance:
            del self.fields["concordance_wanted"]


class RequestForm(forms.ModelForm):
    class Meta:
        model = MentorshipRequest
        fields = ["kind", "why", "hopes"]
        labels = {"kind": "Kind of mentorship", "why": "Why you are asking this mentor",
                  "hopes": "What you hope for: begin with the end in mind"}
        help_texts = {"hopes": "Where do you want to be in a year, and in five? What should this mentorship help with?"}
        widgets = {"why": forms.Textarea(attrs={"rows": 4}), "hopes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [(k, RELATIONSHIP_KINDS[k]) for k in kinds if k in RELATIONSHIP_KINDS]


class AnswerForm(forms.Form):
    note = forms.CharField(label="A note to the mentee (optional)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReferralForm(forms.ModelForm):
    class Meta:
        model = ReferralRequest
        fields = ["network", "kind", "looking_for"]
        labels = {"kind": "Kind of mentorship"}
        widgets = {"looking_for": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks


class ProposalForm(forms.Form):
    mentors = forms.TypedMultipleChoiceField(
        label="Mentors to propose (one to three)", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="A note to the mentee", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentors"].choices = list(candidates)

    def clean_mentors(self):
        mentors = self.cleaned_data["mentors"]
        if not 1 <= len(mentors) <= 3:
            raise forms.ValidationError("Propose one, two or three mentors.")
        return mentors


class ReferralHistoryFilterForm(forms.Form):
    """The coordinators' referral history, narrowed to what happened after the answer."""

    outcome = forms.ChoiceField(label="What happened next", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "Any")] + list(REFERRAL_NEXT_STEPS.items())
