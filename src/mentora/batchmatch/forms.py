from django import forms

from mentora import matching as engine
from mentora.core.vocabulary import RELATIONSHIP_KINDS, choices

from .models import MatchRun

WEIGHT_LABELS = {
    "specialty": "Specialty", "research_interests": "Research interests", "career_tracks": "Career tracks",
    "img_background": "Shared IMG background", "country": "Country or region of training", "languages": "Language",
    "time_zone": "Time zone", "training_gap": "Training gap", "institution": "Same institution",
}


class MatchRunForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="Kind of mentorship", choices=choices(RELATIONSHIP_KINDS))
    cohort = forms.ChoiceField(label="Mentees (cohort)", choices=MatchRun.Cohort.choices)
    pool = forms.ChoiceField(label="Mentors (pool)", choices=MatchRun.Pool.choices)
    algorithm = forms.ChoiceField(choices=MatchRun.Algorithm.choices)
    exclude_previous = forms.BooleanField(label="Exclude people who were paired before", required=False,
                                          initial=True)
    institution_rule = forms.ChoiceField(label="Institution", choices=MatchRun.InstitutionRule.choices)
    equal_scores_ok = forms.BooleanField(
        label="Run even if every weight is zero (every pair then scores the same)", required=False)

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        for name, label in WEIGHT_LABELS.items():
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=label, min_value=0, max_value=10, initial=engine.DEFAULT_WEIGHTS[name],
                widget=forms.NumberInput(attrs={"step": "0.5"}))

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f"weight_{name}") for name in WEIGHT_LABELS]
        if all(weight == 0 for weight in weights) and not cleaned.get("equal_scores_ok"):
            raise forms.ValidationError(
                "Every weight is zero, so every pair would score the same and the pairs would be an arbitrary "
                "choice. Give at least one criterion a weight, or tick \"Run even if every weight is zero\".")
        return cleaned

    def weight_fields(self):
        return [self[f"weight_{name}"] for name in WEIGHT_LABELS]

    def other_fields(self):
        return [field for field in self if not field.name.startswith("weight_") and field.name != "equal_scores_ok"]

    def weights(self) -> dict[str, float]:
        return {name: self.cleaned_data[f"weight_{name}"] for name in WEIGHT_LABELS}
