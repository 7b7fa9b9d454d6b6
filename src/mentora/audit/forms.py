from django import forms

from mentora.programs.models import Program

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
    program = forms.ModelChoiceField(
        queryset=Program.objects.all(), required=False, empty_label=None,
        help_text="The note belongs to this program: only its coordinators (and the person) read it.",
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        programs = list(programs)
        self.only_program = programs[0] if len(programs) == 1 else None
        if len(programs) > 1:  # a coordinator of several of the person's programs says which one
            self.fields["program"].queryset = Program.objects.filter(
                pk__in=[p.pk for p in programs])
            self.fields["program"].required = True
        else:  # one program (the note's), or none: the site admin's notes belong to no program
            del self.fields["program"]

    def clean(self):
        data = super().clean()
        if "program" not in self.fields:
            data["program"] = self.only_program
        return data
