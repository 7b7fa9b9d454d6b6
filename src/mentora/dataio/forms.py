from django import forms

from mentora.core.uploads import UploadValidator
from mentora.programs.selectors import current_academic_year, programs_coordinated_by

from .importer import FIELDS
from .models import ImportBatch
from .reading import MAX_BYTES


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
            (y, f"{y}–{(y + 1) % 100:02d}") for y in (year, year + 1)
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
