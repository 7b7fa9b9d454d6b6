from django import forms
from django.contrib.auth import get_user_model

from .models import ProjectKind, ScholarlyProject, Stage


class ProjectForm(forms.ModelForm):
    mentors = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Mentors from the mentee's mentoring team who work on this project.",
    )

    class Meta:
        model = ScholarlyProject
        fields = ["title", "kind", "summary", "target_venue", "abstract_deadline", "submission_deadline", "mentors"]
        widgets = {
            "abstract_deadline": forms.DateInput(attrs={"type": "date"}),
            "submission_deadline": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, mentor_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentors"].queryset = mentor_choices if mentor_choices is not None else get_user_model().objects.none()
        self.fields["kind"].choices = ProjectKind.choices

    def clean(self):
        data = super().clean()
        abstract, submission = data.get("abstract_deadline"), data.get("submission_deadline")
        if abstract and submission and submission < abstract:
            self.add_error("submission_deadline", "The submission deadline comes before the abstract deadline.")
        return data


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    next = forms.CharField(required=False)
