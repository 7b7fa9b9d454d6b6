"""Removing one person's personal data from every table, including tables added later.

Four layers, so a new app's table is covered without anyone remembering to:
1. rows that are the person's own (one-to-one with the user, and the listed per-person tables) are deleted;
2. free text the person wrote (`FREE_TEXT`, the policy in docs/trust.md) is deleted where the row is theirs
   or is nothing but their words, and replaced where the row is someone else's record (a sign-off of
   another mentee's plan keeps its date; its note goes), with the change history of those rows;
3. the user row is anonymised in place, so counts, memberships and other people's records keep their
   shape (aggregates stay right; the mentor keeps their record of mentoring);
4. every text and JSON column of every model is scanned for the person's name and email address,
   and each occurrence is replaced by "[erased]" (a mentor's note that names the mentee, an admin log
   entry, an import row).
"""

import json
import re
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, router, transaction
from django.db.models import Q, TextField
from django.db.models.deletion import Collector
from django.db.models.functions import Cast

from mentora.notifications.services import notices_about_delete

ERASED = "[erased]"

# Per-person tables deleted outright (label "app.Model" -> the user field). One-to-one tables are found
# automatically.
PERSONAL_TABLES: dict[str, str] = {
    "notifications.Notification": "user",
    "notifications.NotificationPreference": "user",
    "account.EmailAddress": "user",
    "socialaccount.SocialAccount": "user",
    "mfa.Authenticator": "user",
    "milestones.PlanMilestone": "user",
    "api.ApiToken": "user",
    "dataio.ExternalId": "user",
    # A program's invitations of a person are about them alone.
    "programs.MembershipInvitation": "user",
    # An institution's provisioning record of them: its ids and attributes must not lead back to the account.
    "provisioning.ScimUser": "user",
}


DELETE, REPLACE = "delete", "replace"


@dataclass(frozen=True)
class FreeText:
    """Free text the person wrote, found from the row through `person` (one lookup or several, any match).

    DELETE removes the row (and what hangs from it, and its change history); REPLACE keeps the row, which
    is someone else's record, and replaces `fields` by "[erased]" (or empty where the field may be blank),
    in the change history too.
    """

    model: str
    person: tuple[str, ...]
    action: str
    fields: tuple[str, ...] = ()
    why: str = ""


# The policy, in the order it runs (docs/trust.md, "What erasure and withdrawal remove", says the same).
FREE_TEXT: list[FreeText] = [
    # The person's own records, and rows that are nothing but their words: deleted.
    FreeText("ilps.LearningPlan", ("mentee",), DELETE,
             why="their learning plans, with goals, progress notes, comments, reviews and sign-offs of them"),
    FreeText("directory.MentorshipRequest", ("mentee",), DELETE, why="requests they sent (why, hopes)"),
    FreeText("directory.ReferralRequest", ("mentee",), DELETE, why="referral requests they made"),
    FreeText("audit.ConfidentialNote", ("subject",), DELETE, why="wellbeing and remediation notes about them"),
    FreeText("conflicts.EvaluatingRole", ("mentee", "mentor"), DELETE, why="evaluating roles between them and another"),
    FreeText("meetings.Agreement", ("relationship__mentee", "relationship__mentor"), DELETE,
             why="agreements of their relationships: written together, nobody can tell whose words are whose"),
    FreeText("meetings.PrivateNote", ("author",), DELETE, why="their private notes"),
    FreeText("meetings.SharedNote", ("author",), DELETE, why="their shared notes (the other side's stay)"),
    FreeText("meetings.Message", ("author",), DELETE, why="their messages (the other side's stay)"),
    FreeText("meetings.AgendaItem", ("added_by",), DELETE, why="agenda items they added"),
    FreeText("meetings.Homework", ("added_by",), DELETE, why="homework they set"),
    FreeText("meetings.ActionItem", ("owner", "created_by"), DELETE, why="action items they wrote or owned"),
    FreeText("meetings.Rsvp", ("user",), DELETE, why="their answers to invitations"),
    FreeText("meetings.TimeProposal", ("proposed_by",), DELETE, why="times they proposed, with their message"),
    FreeText("meetings.RematchRequest", ("requested_by",), DELETE, why="rematch requests and their reasons"),
    FreeText("ilps.GoalComment", ("author",), DELETE, why="their comments on goals"),
    FreeText("ilps.ProgressUpdate", ("author",), DELETE, why="progress notes they wrote"),
    FreeText("ilps.GoalChangeRequest", ("requested_by",), DELETE, why="changes they asked for on others' goals"),
    # Someone else's record that holds the person's words: the record stays, the words go.
    FreeText("relationships.Relationship", ("mentee", "mentor"), REPLACE, ("closing_reason",),
             why="the closing reason of their relationships (either side may have written it)"),
    FreeText("relationships.RelationshipEvent", ("relationship__mentee", "relationship__mentor", "by"), REPLACE,
             ("reason",), why="reasons in their relationships' history (either side or a coordinator wrote them)"),
    FreeText("rollover.RelationshipRenewal", ("relationship__mentee", "relationship__mentor"), REPLACE,
             ("change_note",), why="the change note of their relationships' renewals (either side wrote it)"),
    FreeText("meetings.Meeting", ("created_by",), REPLACE, ("place", "video_url"),
             why="where a meeting they scheduled takes place"),
    FreeText("meetings.SurveyResponse", ("respondent",), REPLACE, ("comment",),
             why="their survey comments (the ratings stay in the program's totals, with no name)"),
    FreeText("directory.MentorshipRequest", ("mentor",), REPLACE, ("answer_note",),
             why="their answer to a request another person sent"),
    FreeText("directory.ReferralRequest", ("answered_by",), REPLACE, ("coordinator_note",),
             why="their note answering another person's referral request"),
    FreeText("ilps.SignOff", ("mentor",), REPLACE, ("note",), why="their sign-off notes on others' plans"),
    FreeText("ilps.SignOff", ("reopened_by",), REPLACE, ("reopened_because",), why="why they reopened a plan"),
    FreeText("ilps.Review", ("reviewer",), REPLACE, ("summary",), why="summaries of reviews they held"),
    FreeText("ilps.GoalDecision", ("review__reviewer",), REPLACE, ("reason",),
             why="their reasons for a review decision on a goal"),
    FreeText("ilps.GoalVersion", ("replaced_by",), REPLACE, ("change_reason",), why="their reasons for a goal change"),
    FreeText("audit.ConfidentialNote", ("author",), REPLACE, ("text",),
             why="notes they wrote about someone else (the program keeps that a note was written, and when)"),
    FreeText("audit.AccessLog", ("actor",), REPLACE, ("actor_name", "reason"),
             why="who opened records and why: the row keeps the opaque account id, kind of record and time"),
    FreeText("audit.AccessLog", ("subject",), REPLACE, ("reason",),
             why="the reason someone gave for opening their records describes them"),
    FreeText("audit.AdminAction", ("actor",), REPLACE, ("actor_name", "reason"),
             why="what they did as a site admin: the entry keeps the action, its target and its time"),
]


def history_model_of(model):
    """The django-simple-history table of `model`, or None."""
    manager = getattr(model, "history", None)
    history = getattr(manager, "model", None)
    if history is not None and history is not model and getattr(history, "instance_type", None) is model:
        return history
    return None


def _owned(model, person: tuple[str, ...], user):
    condition = Q()
    for lookup in person:
        condition |= Q(**{lookup: user})
    return model._default_manager.filter(condition)


def _file_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def files_of(collector: Collector) -> list[tuple]:
    """(storage, name) of every stored file of the rows the collector is about to delete, cascades included:
    a photo, a document. Rows go with a query, their files would stay on disk without this."""
    found = []
    for model, objects in collector.data.items():
        for field in _file_fields(model):
            names = (getattr(obj, field.attname).name for obj in objects)
            found += [(field.storage, name) for name in names if name]
    for queryset in collector.fast_deletes:
        for field in _file_fields(queryset.model):
            found += [(field.storage, name) for name in queryset.values_list(field.attname, flat=True) if name]
    return found


def delete_files_on_commit(files: list[tuple]) -> None:
    """Delete the stored files once the deletion of their rows is committed (never before: a rollback
    keeps the rows, and they must keep their files)."""
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def _collect(queryset) -> Collector:
    collector = Collector(using=router.db_for_write(queryset.model))
    collector.collect(queryset)
    return collector


def delete_with_history(queryset) -> Counter:
    """Delete the rows and everything that cascades from them (and their stored files), then every
    change-history row of all of them (deleting records one more history row per object, holding its last text)."""
    counts: Counter = Counter()
    collector = _collect(queryset)
    delete_files_on_commit(files_of(collector))
    doomed = {model: {obj.pk for obj in objects} for model, objects in collector.data.items()}
    _, by_model = collector.delete()
    for name, n in by_model.items():
        if n:
            counts[name] += n
    for model, pks in doomed.items():
        history = history_model_of(model)
        if history is not None and pks:
            n, _ = history._default_manager.filter(**{f"{model._meta.pk.attname}__in": pks}).delete()
            if n:
                counts[history._meta.label] += n
    return counts


def _blank_value(field) -> str:
    return "" if field.blank else ERASED


def replace_with_history(queryset, field_names: tuple[str, ...]) -> int:
    """Replace the fields on the rows and in their change history; returns how many rows held text."""
    model = queryset.model
    fields = [model._meta.get_field(name) for name in field_names]
    has_text = Q()
    for field in fields:
        has_text |= ~Q(**{field.attname: _blank_value(field)}) & ~Q(**{field.attname: ""})
    pks = list(queryset.filter(has_text).values_list("pk", flat=True))
    values = {field.attname: _blank_value(field) for field in fields}
    if pks:
        model._default_manager.filter(pk__in=pks).update(**values)
    history = history_model_of(model)
    if history is not None:
        ids = queryset.values_list("pk", flat=True)
        history._default_manager.filter(**{f"{model._meta.pk.attname}__in": ids}).update(**values)
    return len(pks)


def erase_free_text(user) -> Counter:
    """Apply `FREE_TEXT` to the person: their words are deleted or replaced, history included; notices to
    others that carry their words or speak of them are deleted (and taken out of the digests that carried them)."""
    counts: Counter = Counter({"notices to others about them": notices_about_delete(person=user)})
    for rule in FREE_TEXT:
        model = apps.get_model(rule.model)
        rows = _owned(model, rule.person, user)
        if rule.action == DELETE:
            counts.update(delete_with_history(rows))
        else:
            n = replace_with_history(rows, rule.fields)
            if n:
                counts[f"text removed from {rule.model}"] += n
    n = admin_actions_about_scrub(user)
    if n:
        counts["text removed from audit.AdminAction"] += n
    return counts


def admin_actions_about_scrub(user) -> int:
    """Entries of the admin audit log about the person's account keep what was done and when; the reason the
    admin gave describes the person, so it goes (their name goes with every other mention of it). The log names
    its target in words, not by a foreign key, so that an entry outlives what it is about."""
    AdminAction = apps.get_model("audit.AdminAction")
    about = AdminAction.objects.filter(target_type=user._meta.label_lower, target_id=str(user.pk))
    return about.exclude(reason="").update(reason=_blank_value(AdminAction._meta.get_field("reason")))


def needles_of(user) -> list[str]:
    """What identifies the person in free text: email, full name, preferred name (3+ characters)."""
    values = {user.email, user.full_name, user.preferred_name}
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)


def delete_personal_rows(user) -> Counter:
    counts: Counter = Counter()
    User = get_user_model()
    for model in apps.get_models():
        label = model._meta.label
        if model is User:
            continue
        fields = [
            f.name for f in model._meta.concrete_fields
            if isinstance(f, models.OneToOneField) and f.related_model is User
        ]
        if label in PERSONAL_TABLES:
            fields.append(PERSONAL_TABLES[label])
        for field in set(fields):
            collector = _collect(model._default_manager.filter(**{field: user}))
            delete_files_on_commit(files_of(collector))
            _, by_model = collector.delete()
            for name, n in by_model.items():
                if n:
                    counts[name] += n
    return counts


def _text_fields(model) -> tuple[list, list]:
    text, json_fields = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if isinstance(field, models.CharField | models.TextField):
            text.append(field)
        elif isinstance(field, models.JSONField):
            json_fields.append(field)
    return text, json_fields


def _json_forms(needle: str) -> set[str]:
    return {needle, json.dumps(needle)[1:-1]}  # as typed, and as stored with \\u escapes


def _replace(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {_replace(k, pattern): _replace(v, pattern) for k, v in value.items()}
    return value


def rows_mentioning(model, needles: list[str]):
    """The rows of `model` whose text or JSON columns contain any needle (case-insensitive)."""
    text, json_fields = _text_fields(model)
    if not (text or json_fields) or not needles:
        return model._default_manager.none(), text, json_fields
    qs = model._default_manager.all()
    condition = Q()
    for field in text:
        for needle in needles:
            condition |= Q(**{f"{field.attname}__icontains": needle})
    for field in json_fields:
        alias = f"_erasure_text_{field.attname}"
        qs = qs.annotate(**{alias: Cast(field.attname, TextField())})
        for needle in needles:
            for form in _json_forms(needle):
                condition |= Q(**{f"{alias}__icontains": form})
    return qs.filter(condition), text, json_fields


def scrub_mentions(needles: list[str], *, skip: tuple = ()) -> Counter:
    """Replace every mention of the needles in every text and JSON column of every model."""
    counts: Counter = Counter()
    if not needles:
        return counts
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    for model in apps.get_models():
        if model in skip or model._meta.proxy or not model._meta.managed:
            continue
        qs, text, json_fields = rows_mentioning(model, needles)
        if not (text or json_fields):
            continue
        changed = []
        for row in qs.iterator(chunk_size=500):
            dirty = []
            for field in text + json_fields:
                before = getattr(row, field.attname)
                after = _replace(before, pattern)
                if after != before:
                    if isinstance(field, models.CharField) and field.max_length and isinstance(after, str):
                        after = after[: field.max_length]
                    setattr(row, field.attname, after)
                    dirty.append(field.attname)
            if dirty:
                changed.append((row, dirty))
        for row, dirty in changed:
            model._default_manager.filter(pk=row.pk).update(**{name: getattr(row, name) for name in dirty})
        if changed:
            counts[model._meta.label] += len(changed)
    return counts
