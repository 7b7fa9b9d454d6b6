from django import forms

from mentora.core.academic_year import academic_year_label
from mentora.core.vocabulary import TRAINING_LEVELS

from .selectors import current_academic_year


class PersonAddForm(forms.Form):
    email = forms.EmailField(label="Email")
    full_name = forms.CharField(label="Full name", max_length=200, required=False,
                                help_text="Needed only for someone new to Mentora.")
    role = forms.ChoiceField(label="Role", choices=[("mentee", "Mentee (resident or fellow)"),
                                                    ("mentor", "Mentor (faculty)")])
    training_level = forms.ChoiceField(label="Training level", required=False,
                                       choices=[("", "—"), *TRAINING_LEVELS.items()])
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = current_academic_year()
        self.fields["academic_year"].choices = [(y, academic_year_label(y)) for y in (year, year + 1)]
