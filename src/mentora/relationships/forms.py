from django import forms

from mentora.core.vocabulary import RELATIONSHIP_KINDS, choices

from . import selectors

REASON = forms.Textarea(attrs={"rows": 3})


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=REASON, label="Reason (both of them read it)")

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.display_name} ({user.email})"


class ReassignForm(forms.Form):
    mentor = _PersonChoice(queryset=None, label="New mentor")
    reason = forms.CharField(widget=REASON, label="Reason (the mentee and both mentors read it)")

    def __init__(self, *args, relationship, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = selectors.program_mentors(program=relationship.program).exclude(
            pk=relationship.mentor_id)


class PairForm(forms.Form):
    mentee = _PersonChoice(queryset=None)
    mentor = _PersonChoice(queryset=None)
    kind = forms.ChoiceField(choices=choices(RELATIONSHIP_KINDS), label="Kind of mentorship")
    reason = forms.CharField(widget=REASON, label="Reason (both of them read it)")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = selectors.program_mentees(program=program)
        self.fields["mentor"].queryset = selectors.program_mentors(program=program)
