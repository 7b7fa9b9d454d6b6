from django import forms

from mentora.core.links import WebLinkFormField
from mentora.core.time_zones import TIME_ZONES, ZoneSelect, zone_field  # noqa: F401 - re-exported
from mentora.core.uploads import UploadValidator
from mentora.core.vocabulary import MEETING_MODES, RELATIONSHIP_KINDS, choices

from .models import RESOURCE_DOCUMENT_KINDS, RESOURCE_DOCUMENT_MAX_BYTES, Meeting, Rsvp
from .vocabulary import CADENCES, RATING_SCALE, RESOURCE_TOPICS

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(choices=choices(RELATIONSHIP_KINDS), label="Kind of mentorship")
    goals = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Goals this mentorship serves")
    cadence_days = forms.TypedChoiceField(choices=list(CADENCES.items()), coerce=int, label="How often we meet")
    modes = forms.MultipleChoiceField(choices=choices(MEETING_MODES), widget=forms.CheckboxSelectMultiple,
                                      label="Preferred ways to meet")
    expectations = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                   label="What we expect of each other")
    confidentiality = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Confidentiality",
        initial="What we discuss stays between us unless we both agree otherwise, or someone's safety is at risk.")
    expected_end_on = forms.DateField(widget=DATE, required=False, label="Expected end date")


class MeetingForm(forms.Form):
    day = forms.DateField(widget=DATE, label="Date")
    at = forms.TimeField(widget=TIME, label="Time")
    time_zone = zone_field()
    duration_minutes = forms.IntegerField(min_value=5, max_value=480, initial=45, label="Duration (minutes)")
    mode = forms.ChoiceField(choices=choices(MEETING_MODES), initial="video", label="How")
    place = forms.CharField(max_length=200, required=False, label="Place (in person)")
    video_url = WebLinkFormField(required=False, label="Video link")


class RescheduleForm(forms.Form):
    day = forms.DateField(widget=DATE, label="New date")
    at = forms.TimeField(widget=TIME, label="New time")
    time_zone = zone_field()


class ProposalForm(forms.Form):
    day_1 = forms.DateField(widget=DATE, label="First option: date")
    at_1 = forms.TimeField(widget=TIME, label="First option: time")
    day_2 = forms.DateField(widget=DATE, label="Second option: date")
    at_2 = forms.TimeField(widget=TIME, label="Second option: time")
    day_3 = forms.DateField(widget=DATE, required=False, label="Third option: date (optional)")
    at_3 = forms.TimeField(widget=TIME, required=False, label="Third option: time (optional)")
    time_zone = zone_field()
    duration_minutes = forms.IntegerField(min_value=5, max_value=480, initial=45, label="Duration (minutes)")
    mode = forms.ChoiceField(choices=choices(MEETING_MODES), initial="video", label="How")
    place = forms.CharField(max_length=200, required=False, label="Place (in person)")
    video_url = WebLinkFormField(required=False, label="Video link")
    message = forms.CharField(max_length=500, required=False, label="Note (optional)")

    def clean(self):
        data = super().clean()
        if bool(data.get("day_3")) != bool(data.get("at_3")):
            raise forms.ValidationError("Give both the date and the time of the third option, or neither.")
        return data


class AgendaItemForm(forms.Form):
    text = forms.CharField(max_length=300, label="Agenda item")
    goal_id = forms.TypedChoiceField(choices=[], coerce=int, required=False, empty_value=None,
                                     label="Linked ILP goal")
    resource = forms.TypedChoiceField(choices=[], coerce=int, required=False, empty_value=None,
                                      label="Attach a resource")

    def __init__(self, *args, goals=(), resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal_id"].choices = [("", "—")] + list(goals)
        if not goals:
            del self.fields["goal_id"]
        self.fields["resource"].choices = [("", "—")] + [(r.pk, r.title) for r in resources]


class HomeworkForm(forms.Form):
    text = forms.CharField(max_length=300, label="Homework for the mentee")
    resource = forms.TypedChoiceField(choices=[], coerce=int, required=False, empty_value=None,
                                      label="Attach a resource")

    def __init__(self, *args, resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", "—")] + [(r.pk, r.title) for r in resources]


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note")


class ActionItemForm(forms.Form):
    text = forms.CharField(max_length=300, label="Action item")
    owner_id = forms.TypedChoiceField(choices=[], coerce=int, label="Owner")
    due_on = forms.DateField(widget=DATE, label="Due date")

    def __init__(self, *args, relationship=None, **kwargs):
        super().__init__(*args, **kwargs)
        if relationship is not None:
            self.fields["owner_id"].choices = [
                (relationship.mentee_id, f"{relationship.mentee.display_name} (mentee)"),
                (relationship.mentor_id, f"{relationship.mentor.display_name} (mentor)"),
            ]


class AgendaItemEditForm(forms.Form):
    text = forms.CharField(max_length=300, label="Agenda item")


class ActionItemEditForm(forms.Form):
    text = forms.CharField(max_length=300, label="Action item")
    due_on = forms.DateField(widget=DATE, label="Due date")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(Meeting.Status.HELD, "Held"), (Meeting.Status.MISSED, "Missed"),
                                        (Meeting.Status.CANCELLED, "Cancelled")])


class RsvpForm(forms.Form):
    response = forms.ChoiceField(choices=Rsvp.Response.choices)


class MessageForm(forms.Form):
    body = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), label="Message")


class RematchForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What do you need from a new match?")


def rating_fields(form: forms.Form, questions: list[dict], required: bool) -> None:
    for question in questions:
        form.fields[f"rating_{question['key']}"] = forms.TypedChoiceField(
            choices=[("", "—")] + [(i, str(i)) for i in RATING_SCALE], coerce=int, empty_value=None,
            required=required, label=question["label"])


class SurveyForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Anything else?")

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        rating_fields(self, list(questions), required=True)
        self.fields["comment"] = comment
        self.questions = list(questions)

    def ratings(self) -> dict[str, int]:
        return {q["key"]: self.cleaned_data.get(f"rating_{q['key']}") for q in self.questions
                if self.cleaned_data.get(f"rating_{q['key']}") is not None}


class CloseForm(SurveyForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Why does the relationship close?")

    def __init__(self, *args, questions=(), **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        reason = self.fields.pop("reason")
        comment = self.fields.pop("comment")
        self.fields["reason"] = reason
        rating_fields(self, list(questions), required=False)
        self.fields["comment"] = comment
        self.questions = list(questions)


class ResourceForm(forms.Form):
    """Add a resource at one of the levels the person curates ("site", "network:<id>", "program:<id>")."""

    topic = forms.ChoiceField(choices=list(RESOURCE_TOPICS.items()))
    title = forms.CharField(max_length=200)
    url = WebLinkFormField(required=False, label="Link")
    document = forms.FileField(
        required=False,
        validators=[UploadValidator(kinds=RESOURCE_DOCUMENT_KINDS, max_bytes=RESOURCE_DOCUMENT_MAX_BYTES)],
        help_text=f"A PDF, Word (.docx) or Excel (.xlsx) document, or a PNG or JPEG image, at most "
                  f"{RESOURCE_DOCUMENT_MAX_BYTES // (1024 * 1024)} MB.")
    description = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    scope = forms.ChoiceField(choices=[], label="For whom")

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = list(scopes)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("document"):
            raise forms.ValidationError("Give a link or upload a document.")
        return data


class SurveyEditForm(forms.Form):
    """A program's feedback survey: its questions (one a line, each rated 1 to 7) and how often it is asked."""

    MAX_QUESTIONS = 20
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), label="Questions, one a line", required=False,
        help_text="Each is rated from 1 (not at all) to 7 (extremely well). Keep a question's words to keep "
                  "the answers already given to it.")
    every_months = forms.TypedChoiceField(
        label="Asked every", coerce=int,
        choices=[(n, f"{n} month{'s' if n != 1 else ''}") for n in (1, 2, 3, 4, 6, 12)])

    def clean_questions(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["questions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError("Write at least one question.")
        if len(lines) > self.MAX_QUESTIONS:
            raise forms.ValidationError(f"At most {self.MAX_QUESTIONS} questions.")
        seen: set[str] = set()
        for line in lines:
            if len(line) > 200:
                raise forms.ValidationError(f"“{line[:40]}…” is longer than 200 characters.")
            if line.casefold() in seen:
                raise forms.ValidationError(f"“{line}” appears twice.")
            seen.add(line.casefold())
        return lines
