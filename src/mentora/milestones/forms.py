from django import forms

from .catalog import TEMPLATES
from .models import PlanMilestone


class MilestoneForm(forms.Form):
    template_key = forms.ChoiceField(label="Milestone", choices=[(t.key, t.title) for t in TEMPLATES])
    due_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}),
                             help_text="The date that matters for this step (see each milestone's note).")
    window_closes_on = forms.DateField(label="Window closes (optional)", required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="Note (optional)", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        due, closes = data.get("due_on"), data.get("window_closes_on")
        if due and closes and closes < due:
            self.add_error("window_closes_on", "The window cannot close before it opens.")
        return data


class MilestoneEditForm(MilestoneForm):
    status = forms.ChoiceField(label="Status", choices=PlanMilestone.Status.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template_key"].disabled = True
