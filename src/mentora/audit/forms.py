from django import forms

from .models import ConfidentialNote
from .services import MIN_REASON_LENGTH


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        min_length=MIN_REASON_LENGTH,
        help_text="The person will see your name, the time and this reason on their 'Who looked at my records' page.",
    )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=ConfidentialNote.Kind.choices)
    text = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
