from django import forms

from mentora.core.academic_year import academic_year_label, current_academic_year
from mentora.core.uploads import UploadValidator
from mentora.core.vocabulary import SPECIALTIES, TRAINING_LEVELS
from mentora.programs.selectors import programs_coordinated_by

from .importer import FIELDS
from .models import ImportBatch
from .reading import MAX_BYTES

LEAVE_EMPTY = "-"


class UploadForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="What the file holds", choices=ImportBatch.Kind.choices)
    academic_year = forms.TypedChoiceField(label="Academic year", coerce=int)
    file = forms.FileField(help_text="A .csv or .xlsx file with a header row, at most 10 MB.",
                           validators=[UploadValidator(kinds={"csv", "xlsx"}, max_bytes=MAX_BYTES)])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs_coordinated_by(user=user)
        year = current_academic_year()
        self.fields["academic_year"].choices = [
            (y, academic_year_label(y)) for y in (year, year + 1)
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):  # its content was checked by UploadValidator
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


class MappingForm(forms.Form):
    """One select per Mentora field, listing the file's columns."""

    def __init__(self, *args, header: list[str], initial_mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "— not in the file —")] + [(column, column) for column in header if column]
        for target, (label, _synonyms) in FIELDS.items():
            self.fields[target] = forms.ChoiceField(label=label, choices=options, required=False,
                                                    initial=initial_mapping.get(target, ""))

    def mapping(self) -> dict[str, str]:
        return {target: column for target, column in self.cleaned_data.items() if column}

    def clean(self):
        data = super().clean()
        chosen = [column for column in data.values() if column]
        duplicates = {column for column in chosen if chosen.count(column) > 1}
        if duplicates:
            raise forms.ValidationError(f"Each column can feed one field only: {', '.join(sorted(duplicates))}.")
        if not data.get("email"):
            self.add_error("email", "Choose the column with the email addresses.")
        return data


class ValueMappingForm(forms.Form):
    """One select per value of a vocabulary column Mentora does not know (a specialty spelled its own
    way): the coordinator says which of Mentora's values it is, or to leave it empty."""

    VOCABULARIES = {"specialty": SPECIALTIES}

    def __init__(self, *args, unknown: dict[str, dict[str, tuple[str, int]]], initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: dict[str, tuple[str, str]] = {}
        for target, values in unknown.items():
            options = [("", "— choose —"), *self.VOCABULARIES[target].items(), (LEAVE_EMPTY, "Leave it empty")]
            for key, (written, rows) in sorted(values.items()):
                name = f"value-{target}-{key}"
                self.keys[name] = (target, key)
                self.fields[name] = forms.ChoiceField(
                    label=f"“{written}” ({rows} row{'s' if rows != 1 else ''})", choices=options, required=True,
                    initial=initial_mapping.get(target, {}).get(key, ""))

    def value_mapping(self) -> dict[str, dict[str, str]]:
        chosen: dict[str, dict[str, str]] = {}
        for name, (target, key) in self.keys.items():
            value = self.cleaned_data[name]
            chosen.setdefault(target, {})[key] = "" if value == LEAVE_EMPTY else value
        return chosen


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
