"""Academic-year rollover: new memberships for the next year, and each relationship asked to go on."""

from django.conf import settings
from django.db import models


class RolloverRun(models.Model):
    """One rollover of a program from one academic year to the next.

    Written when the rollover starts; it moves a batch of people per transaction, adding what each
    batch did to `counts` in that batch's transaction, and is finished when every batch is done. A
    rollover stopped mid-way (its worker killed) is finished by running it again.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="rollovers")
    from_year = models.PositiveSmallIntegerField()
    committed_at = models.DateTimeField(auto_now_add=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    counts = models.JSONField(default=dict)
    finished_at = models.DateTimeField(null=True, blank=True, help_text="Empty while batches are still to do.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "from_year"], name="rollover_once_per_year")]
        ordering = ["-from_year"]

    def __str__(self) -> str:
        return f"Rollover of {self.program} from {self.from_year}"


class RelationshipRenewal(models.Model):
    """At rollover each open relationship is asked: continue, change, or close? Both sides answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        CONTINUE = "continue", "Continue as it is"
        CHANGE = "change", "Continue with changes"
        CLOSE = "close", "Close it"

    relationship = models.ForeignKey("relationships.Relationship", on_delete=models.CASCADE, related_name="renewals")
    academic_year = models.PositiveSmallIntegerField(help_text="The year the relationship would continue into.")
    mentee_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    mentor_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    change_note = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["relationship", "academic_year"],
                                               name="renewal_once_per_relationship_year")]
        ordering = ["-academic_year", "id"]

    def __str__(self) -> str:
        return f"Renewal of relationship {self.relationship_id} into {self.academic_year}"

    @property
    def outcome(self) -> str:
        answers = {self.mentee_answer, self.mentor_answer}
        if self.Answer.CLOSE in answers:
            return "close"
        if self.Answer.PENDING in answers:
            return "pending"
        if self.Answer.CHANGE in answers:
            return "change"
        return "continue"


class RolloverOverride(models.Model):
    """A coordinator's exception to what the rollover does to one member: a resident who repeats the
    year, leaves the program, or graduates early. Read by the preview and the commit alike."""

    class Action(models.TextChoices):
        REPEAT = "repeat", "Repeats the year"
        LEAVE = "leave", "Leaves the program"
        GRADUATE = "graduate", "Graduates"

    membership = models.OneToOneField("programs.Membership", on_delete=models.CASCADE,
                                      related_name="rollover_override")
    action = models.CharField(max_length=10, choices=Action.choices)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_action_display()} (membership {self.membership_id})"
