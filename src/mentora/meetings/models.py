"""The mentorship lifecycle around one Relationship: agreement, meetings, notes, scheduling, feedback.

Private notes live in their own table (PrivateNote) so that no query for shared content, no API
schema and no export can pick them up by accident: only `private_notes_of(author=...)` reads them.
"""

import datetime
import secrets
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from mentora.core.links import WebLinkField
from mentora.core.uploads import EXTENSIONS, UploadValidator
from mentora.core.vocabulary import MEETING_MODES, RELATIONSHIP_KINDS, choices

from .vocabulary import CADENCES, RESOURCE_TOPICS

USER = settings.AUTH_USER_MODEL


class Agreement(models.Model):
    """What mentor and mentee agree at the start. Any change of terms asks both to confirm again."""

    relationship = models.OneToOneField("relationships.Relationship", on_delete=models.CASCADE,
                                        related_name="agreement")
    kind = models.CharField(max_length=10, choices=choices(RELATIONSHIP_KINDS), default="career")
    goals = models.TextField(help_text="The goals this mentorship serves.")
    cadence_days = models.PositiveSmallIntegerField(choices=list(CADENCES.items()), default=30)
    modes = models.JSONField(default=list, blank=True)
    expectations = models.TextField(blank=True)
    confidentiality = models.TextField(blank=True)
    expected_end_on = models.DateField(null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(null=True, blank=True)
    mentor_confirmed_at = models.DateTimeField(null=True, blank=True)
    recommitted_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Agreement for {self.relationship_id}"

    @property
    def is_confirmed(self) -> bool:
        return bool(self.mentee_confirmed_at and self.mentor_confirmed_at)

    def get_modes_display(self) -> str:
        return ", ".join(MEETING_MODES.get(m, m) for m in self.modes)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"

    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField(help_text="Stored in UTC; shown in `time_zone`.")
    time_zone = models.CharField(max_length=64, default="America/New_York")
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    mode = models.CharField(max_length=10, choices=choices(MEETING_MODES), default="video")
    place = models.CharField(max_length=200, blank=True)
    video_url = WebLinkField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    rescheduled_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped on each change.")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["relationship", "starts_at"]), models.Index(fields=["status", "starts_at"]),
            # A relationship's last held meeting (cadence health on the dashboards and the coordinator's
            # home) read from the index alone, without visiting each of its meetings.
            models.Index(fields=["relationship", "status", "starts_at"], name="meeting_last_held"),
        ]
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                                   name="meeting_duration_sane"),
        ]

    def __str__(self) -> str:
        return f"Meeting {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.get_status_display()})"

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self):
        return self.starts_at.astimezone(ZoneInfo(self.time_zone))


# What a resource document may be (recognised by its content, not its name) and how large.
RESOURCE_DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg"})
RESOURCE_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


def resource_document_path(resource: "Resource", filename: str) -> str:
    """A random name under resources/: the uploader's name is kept in document_name, never in the path."""
    return f"resources/{uuid.uuid4().hex}{EXTENSIONS.get(resource.document_kind, '')}"


class Resource(models.Model):
    """A link or document curated for a topic, at one of three levels.

    Site-wide (no program, no network): site admins curate them, every signed-in person sees them.
    A network's (network set): its network coordinators curate them; people of its programs see them.
    A program's (program set): its coordinators curate them; its members see them.
    """

    topic = models.CharField(max_length=20, choices=list(RESOURCE_TOPICS.items()))
    title = models.CharField(max_length=200)
    url = WebLinkField(blank=True)
    document = models.FileField(upload_to=resource_document_path, blank=True, max_length=200, validators=[
        UploadValidator(kinds=RESOURCE_DOCUMENT_KINDS, max_bytes=RESOURCE_DOCUMENT_MAX_BYTES)])
    document_name = models.CharField(max_length=200, blank=True, help_text="The name of the file as uploaded.")
    document_kind = models.CharField(max_length=10, blank=True, help_text="What its content was recognised as.")
    description = models.CharField(max_length=500)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="resources")
    network = models.ForeignKey("programs.Network", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="resources")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["topic", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(document=""), name="resource_has_link_or_document"),
            models.CheckConstraint(condition=Q(program__isnull=True) | Q(network__isnull=True),
                                   name="resource_of_one_program_or_network"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_site_wide(self) -> bool:
        return self.program_id is None and self.network_id is None

    @property
    def href(self) -> str:
        """The link, or the address of the view that hands the document to those who may read it."""
        if self.url:
            return self.url
        return reverse("meetings:resource_document", args=[self.pk]) if self.document else ""


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    text = models.CharField(max_length=300)
    added_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    goal_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="An ILP goal, when the ILP app is on.")
    resource = models.ForeignKey(Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Homework(models.Model):
    """Work for the mentee before a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="homework")
    text = models.CharField(max_length=300)
    resource = models.ForeignKey(Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class SharedNote(models.Model):
    """A note both sides of the relationship read."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="shared_notes")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Shared note on {self.meeting_id}"


class PrivateNote(models.Model):
    """A note only its author ever reads: not the other side, not coordinators, not the API, not exports."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["author", "meeting"])]

    def __str__(self) -> str:
        return "Private note"


class ActionItem(models.Model):
    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE,
                                     related_name="action_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="action_items")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="action_items")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at", "due_on"]), models.Index(fields=["done_at", "due_on"])]

    def __str__(self) -> str:
        return self.text


class Rsvp(models.Model):
    class Response(models.TextChoices):
        YES = "yes", "Attending"
        NO = "no", "Not attending"
        MAYBE = "maybe", "Maybe"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    response = models.CharField(max_length=5, choices=Response.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="rsvp_once_per_person")]

    def __str__(self) -> str:
        return f"Rsvp {self.pk}"


class TimeProposal(models.Model):
    """Two or three times one side offers; the other picks one or proposes others."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        SUPERSEDED = "superseded", "Answered with other times"
        WITHDRAWN = "withdrawn", "Withdrawn"

    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE,
                                     related_name="time_proposals")
    proposed_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    mode = models.CharField(max_length=10, choices=choices(MEETING_MODES), default="video")
    place = models.CharField(max_length=200, blank=True)
    video_url = WebLinkField(blank=True)
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.OneToOneField(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["relationship"], condition=Q(status="open"),
                                    name="time_proposal_one_open_per_relationship"),
        ]

    def __str__(self) -> str:
        return f"TimeProposal {self.pk}"


class ProposedTime(models.Model):
    proposal = models.ForeignKey(TimeProposal, on_delete=models.CASCADE, related_name="times")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["proposal", "starts_at"], name="proposed_time_distinct")]

    def __str__(self) -> str:
        return f"ProposedTime {self.pk}"


class Message(models.Model):
    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["relationship", "created_at"])]

    def __str__(self) -> str:
        return f"Message {self.pk}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret feed URL; revoking replaces the token so the old URL stops working."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"CalendarFeed {self.pk}"


class RematchRequest(models.Model):
    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE,
                                     related_name="rematch_requests")
    requested_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"RematchRequest {self.pk}"


class SurveyForm(models.Model):
    """A program's feedback questions; without one, the default MCA form applies."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="survey_form")
    questions = models.JSONField(help_text='[{"key": "communication", "label": "..."}, ...] rated 1 to 7')
    every_months = models.PositiveSmallIntegerField(default=6)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"SurveyForm {self.pk}"


class SurveyResponse(models.Model):
    """One person's ratings for one relationship in one period ("2026-2", or "closing")."""

    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE,
                                     related_name="survey_responses")
    respondent = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=6, choices=[("mentee", "Mentee"), ("mentor", "Mentor")])
    period = models.CharField(max_length=10)
    program = models.ForeignKey("programs.Program", on_delete=models.SET_NULL, null=True, related_name="+")
    ratings = models.JSONField()
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "respondent", "period"], name="survey_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"SurveyResponse {self.pk}"
