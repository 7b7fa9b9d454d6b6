"""Erasure removes every word the person wrote: a marker in every free-text field they can write, then a scan
of every column of every table in the database (history tables, the cache table, task queue and any table a
later feature adds, found by introspection, not by a list) finds it nowhere.

The person is a mentee (of a mentor), a mentor (of another mentee), a program coordinator and a network
coordinator at once, as a PGY-3 who mentors interns and helps run a program can be. Each record is created
through the service that notifies the other side where there is one (so a notice quoting the person is
written), then every free-text field of the row is filled with the marker by walking the model's fields:
a field added later to these models is covered without editing this test.
"""

import base64
import datetime
import pickle

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone

from mentora.audit.models import AccessLog, AdminAction, ConfidentialNote
from mentora.audit.services import admin_action_record
from mentora.conflicts.models import EvaluatingRole
from mentora.directory import services as directory_services
from mentora.directory.matching import recommendations_for
from mentora.directory.models import MentorshipRequest, ReferralRequest
from mentora.ilps.models import (
    Goal,
    GoalChangeRequest,
    GoalComment,
    GoalDecision,
    GoalVersion,
    LearningPlan,
    Milestone,
    ProgressUpdate,
    Review,
    SignOff,
)
from mentora.meetings import services as meeting_services
from mentora.meetings.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Homework,
    Meeting,
    PrivateNote,
    SharedNote,
    SurveyResponse,
    TimeProposal,
)
from mentora.milestones.models import PlanMilestone
from mentora.notifications.models import Notification
from mentora.notifications.services import notifications_send_digests, notify, preference_set
from mentora.privacy.services import ERASURE_CONFIRMATION, person_erase
from mentora.profiles.models import ImgDetails, MentorOffer, Profile
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from mentora.rollover.models import RelationshipRenewal
from mentora.scholarly.models import ScholarlyProject
from tests.factories import RelationshipFactory

User = get_user_model()
MARK = "ZQ7ERASEX"  # short enough for the shortest free-text column (an ORCID, 19 characters)
NAME, EMAIL = "Ngozi Adaeze-Okonkwo", "mentee@example.org"

# Columns that hold codes, numbers or machine values rather than words anyone types.
NOT_FREE_TEXT = {
    "key", "token", "token_hash", "prefix", "uid", "provider", "type", "password", "email_claimed_by", "time_zone",
    "languages", "meeting_modes", "career_tracks", "modes", "ratings", "kinds_offered", "concordance_wanted",
    "concordance_consent", "scopes", "records", "counts", "url",
    "period", "actor_role",  # written by the services (a survey period, a role's label), never typed
    "medical_school_country",  # an ISO 3166 code chosen from pycountry's list (checked by its validator)
}


def fill(obj, filled: set[str], only: tuple[str, ...] = ()):
    """Write the marker into every free-text field of `obj` (text, and JSON that holds words), or into the
    `only` ones where the row also holds someone else's words, and save."""
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.choices or field.name in NOT_FREE_TEXT:
            continue
        if only and field.name not in only:
            continue
        tag = f"{MARK}-{obj._meta.model_name}-{field.name}"
        if isinstance(field, models.CharField | models.TextField):
            setattr(obj, field.attname, tag[: field.max_length] if field.max_length else tag)
        elif isinstance(field, models.JSONField):
            setattr(obj, field.attname, {"answer": tag} if isinstance(getattr(obj, field.attname), dict) else [tag])
        else:
            continue
        filled.add(f"{obj._meta.db_table}.{field.column}")
    obj.save()
    return obj


def _cache_tables() -> set[str]:
    return {c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")}


def columns_holding(*needles: str) -> set[str]:
    """Every table.column of the database (found by introspection) whose text holds a needle, any case.

    Values in the database cache are pickled: each one is decoded and searched as well."""
    found = set()
    introspection = connection.introspection
    with connection.cursor() as cursor:
        tables = introspection.table_names(cursor)
        cache_tables = _cache_tables()
        for table in tables:
            columns = [c.name for c in introspection.get_table_description(cursor, table)]
            for column in columns:
                q_table, q_column = connection.ops.quote_name(table), connection.ops.quote_name(column)
                for needle in needles:
                    cursor.execute(f"SELECT 1 FROM {q_table} WHERE UPPER(CAST({q_column} AS TEXT)) LIKE %s LIMIT 1",
                                   [f"%{needle.upper()}%"])
                    if cursor.fetchone():
                        found.add(f"{table}.{column}")
            if table in cache_tables:
                cursor.execute(f"SELECT cache_key, value FROM {connection.ops.quote_name(table)}")
                for key, value in cursor.fetchall():
                    text = repr(pickle.loads(base64.b64decode(value)))  # noqa: S301 - our own cache rows
                    if any(needle.upper() in text.upper() for needle in needles):
                        found.add(f"{table}[{key}]")
    return found


@pytest.fixture
def written(demo_network):
    """The person writes the marker everywhere they can; returns the person and the columns written."""
    person = User.objects.get(email=EMAIL)
    person.full_name = NAME
    person.save()
    filled: set[str] = set()
    today = demo_network.today
    now = timezone.now()
    own = Relationship.objects.filter(mentee=person, status="active").select_related("mentor", "program").first()
    mentor, program = own.mentor, own.program
    # The person also mentors an intern, coordinates their program and a network.
    intern = User.objects.exclude(pk__in=[person.pk, mentor.pk]).filter(
        memberships__role="mentee", memberships__program=program).first()
    mentoring = RelationshipFactory(mentee=intern, mentor=person, program=program, kind="peer")
    Membership.objects.create(user=person, program=program, academic_year=demo_network.academic_year,
                              role="coordinator")
    demo_network.network.coordinators.add(person)

    # Their own records.
    for model in (Profile, ImgDetails, MentorOffer):
        fill(model.objects.get_or_create(user=person)[0], filled)
    MentorOffer.objects.filter(user=person).update(accepting_new_mentees=True, capacity=5)
    fill(PlanMilestone.objects.create(user=person, template_key="usmle_step3", due_on=today), filled)

    # As a mentee: their plan (twice saved, so the history holds an earlier text), meetings, requests.
    plan = LearningPlan.objects.filter(mentee=person).first() or LearningPlan.objects.create(
        mentee=person, program=program, academic_year=demo_network.academic_year)
    fill(plan, filled)
    goal = Goal.objects.create(plan=plan, statement="Pass Step 3", target_date=today, domain="medical_knowledge")
    fill(goal, filled)
    fill(GoalVersion.objects.create(goal=goal, version=1, statement="x", target_date=today, domain="medical_knowledge",
                                    priority="standard", status="not_started", replaced_at=now,
                                    replaced_by=person), filled)
    goal.statement = f"{MARK} second wording"
    goal.save()
    fill(ProgressUpdate.objects.create(goal=goal, author=person, percent_done=10), filled)
    fill(GoalComment.objects.create(goal=goal, author=person, body="x"), filled)
    fill(Milestone.objects.create(plan=plan, title="x", due_on=today), filled)
    fill(Agreement.objects.get_or_create(relationship=own, defaults={"updated_by": person})[0], filled)
    meeting = Meeting.objects.create(relationship=own, starts_at=now, created_by=person)
    fill(meeting, filled)
    for model in (AgendaItem, Homework):
        fill(model.objects.create(meeting=meeting, text="x", added_by=person), filled)
    fill(SharedNote.objects.create(meeting=meeting, author=person, body="x"), filled)
    fill(PrivateNote.objects.create(meeting=meeting, author=person, body="x"), filled)
    fill(ActionItem.objects.create(relationship=own, owner=mentor, created_by=person, text="x", due_on=today),
         filled)
    fill(TimeProposal.objects.create(relationship=own, proposed_by=person, time_zone="UTC"), filled)
    fill(SurveyResponse.objects.create(relationship=own, respondent=person, role="mentee", period="closing",
                                       ratings={"overall": 4}, program=program), filled)
    fill(RelationshipRenewal.objects.create(relationship=own, academic_year=demo_network.academic_year + 1),
         filled)
    # The mentor reads messages in a daily digest: the digest of tomorrow quotes the person's message.
    preference_set(by=mentor, kind="message", in_app=True, email=False, digest=True)
    meeting_services.message_send(relationship=own, by=person, body=f"{MARK} message to my mentor")
    # (a title that quotes the person, as the titles of goal comments and change requests do)
    Notification.objects.filter(user=mentor, key__startswith="message:").update(title=f"{MARK} a digest line")
    notifications_send_digests(now=now + datetime.timedelta(days=1))
    assert Notification.objects.filter(user=mentor, key__startswith="digest:", body__contains=MARK).exists()
    meeting_services.rematch_request(relationship=own, by=person, reason=f"{MARK} rematch reason")
    other_mentor = User.objects.filter(mentor_offer__accepting_new_mentees=True).exclude(
        pk__in=[person.pk, mentor.pk, intern.pk]).exclude(relationships_as_mentor__mentee=person).first()
    directory_services.request_create(by=person, mentor=other_mentor, kind=other_mentor.mentor_offer.kinds_offered[0],
                                      why=f"{MARK} why you", hopes=f"{MARK} hopes")
    directory_services.referral_create(by=person, network=demo_network.network, kind="career",
                                       looking_for=f"{MARK} looking for")
    for row in (MentorshipRequest.objects.get(mentee=person, mentor=other_mentor),
                ReferralRequest.objects.get(mentee=person)):
        fill(row, filled)
    project = ScholarlyProject.objects.create(title="x", kind="case_report", stage_changed_on=today,
                                              created_by=person, program=program)
    project.owners.set([person])
    fill(project, filled)

    # As a mentor: on the intern's plan, meetings and requests.
    intern_plan = LearningPlan.objects.filter(mentee=intern).first() or LearningPlan.objects.create(
        mentee=intern, program=program, academic_year=demo_network.academic_year)
    intern_goal = Goal.objects.create(plan=intern_plan, statement="Present a poster", target_date=today,
                                      domain="scholarship")
    fill(GoalComment.objects.create(goal=intern_goal, author=person, body="x"), filled)
    fill(GoalChangeRequest.objects.create(goal=intern_goal, requested_by=person, comment="x", goal_version=1),
         filled, only=("comment",))
    fill(ProgressUpdate.objects.create(goal=intern_goal, author=person, percent_done=20), filled)
    # The version a mentor's review decision replaced holds the intern's earlier wording; the reason is theirs.
    fill(GoalVersion.objects.create(goal=intern_goal, version=1, statement="Present", target_date=today,
                                    domain="scholarship", priority="standard", status="not_started",
                                    replaced_at=now, replaced_by=person), filled, only=("change_reason",))
    review = fill(Review.objects.create(plan=intern_plan, reviewer=person, held_on=today), filled)
    fill(GoalDecision.objects.create(review=review, goal=intern_goal, outcome="kept", reason="x", version_before=1),
         filled)
    SignOff.objects.filter(plan=intern_plan).delete()
    fill(SignOff.objects.create(plan=intern_plan, mentee=intern, mentor=person, signed_at=now, reopened_at=now,
                                reopened_by=person), filled)
    intern_meeting = Meeting.objects.create(relationship=mentoring, starts_at=now, created_by=intern)
    fill(SharedNote.objects.create(meeting=intern_meeting, author=person, body="x"), filled)
    fill(ActionItem.objects.create(relationship=mentoring, owner=intern, created_by=person, text="x", due_on=today),
         filled)
    fill(EvaluatingRole.objects.create(mentor=person, mentee=intern, role="rotation_evaluator"),
         filled)
    meeting_services.message_send(relationship=mentoring, by=person, body=f"{MARK} message to my intern")
    asked = MentorshipRequest.objects.create(mentee=intern, mentor=person, kind="peer", why="Peer support",
                                             expires_at=now + datetime.timedelta(days=14))
    directory_services.request_decline(request_id=asked.pk, by=person, note=f"{MARK} no room this term")
    fill(MentorshipRequest.objects.get(pk=asked.pk), filled, only=("answer_note",))
    meeting_services.relationship_close_with_feedback(relationship=mentoring, by=person, reason=f"{MARK} closing reason")

    # As a coordinator: a note about the intern (edited: the first text is in the history), an opening of
    # records with a reason, an answer to someone's referral request.
    note = ConfidentialNote.objects.create(subject=intern, author=person, program=program, kind="wellbeing", text="x")
    fill(note, filled)
    note.text = f"{MARK} edited note"
    note.save()
    fill(AccessLog.objects.create(actor=person, actor_name=NAME, subject=intern, records=["notes"], reason="x"),
         filled)
    # As a site admin: an entry of the admin audit log with the reason they gave.
    person.is_superuser = True
    person.save(update_fields=["is_superuser"])
    fill(admin_action_record(by=person, action="person.reactivate", target=intern, reason="x"), filled,
         only=("reason",))
    referral = ReferralRequest.objects.create(mentee=intern, network=demo_network.network, kind="career",
                                              looking_for="A research mentor", answered_by=person)
    fill(referral, filled, only=("coordinator_note",))

    # Others' records about them, and notices naming them.
    ConfidentialNote.objects.create(subject=person, author=mentor, program=program, kind="wellbeing",
                                    text=f"{MARK} note about the person")
    AccessLog.objects.create(actor=mentor, actor_name=mentor.full_name, subject=person, records=["notes"],
                             reason=f"{MARK} reason naming the person")
    # A site admin acted on their account; the reason describes them (their name is in the entry too).
    admin_action_record(by=mentor, action="person.mfa_reset", target=person, reason=f"{MARK} lost phone, said so")
    notify(user=mentor, kind="message", key="erasure-test", title=f"Update from {NAME}", body=f"Write to {EMAIL}")
    own.closing_reason = f"{MARK} closing reason of the mentor"
    own.save()  # kept in the relationship's history table

    # A recommendation computed by another mentee caches the mentor side, the person's words included.
    recommendations_for(intern)
    return {"person": person, "mentor": mentor, "intern": intern, "filled": filled}


@pytest.mark.django_db(transaction=True)
def test_erasure_leaves_none_of_the_persons_words_in_any_table(written):
    person = written["person"]
    before = columns_holding(MARK)
    missing = {c for c in written["filled"] if c not in before}
    assert not missing, f"the scan does not see what was written: {sorted(missing)}"
    assert any(c.startswith("audit_goal_history.") for c in before)  # history tables are scanned
    assert any(c.startswith("notifications_notification.") for c in before)  # notices quoting them

    person_erase(user=person)

    left = columns_holding(MARK, NAME, EMAIL)
    assert not left, f"erasure left the person's words or name in: {sorted(left)}"


@pytest.mark.django_db(transaction=True)
def test_erasure_keeps_what_the_other_side_wrote(written):
    """The other party's own words and records stay: only the erased person's go."""
    person, mentor = written["person"], written["mentor"]
    own = Relationship.objects.filter(mentee=person, mentor=mentor).first()
    meeting = Meeting.objects.filter(relationship=own).first()
    theirs = SharedNote.objects.create(meeting=meeting, author=mentor, body="Mentor's own shared note")
    meeting_services.message_send(relationship=own, by=mentor, body="Mentor's own message")

    person_erase(user=person)

    assert SharedNote.objects.filter(pk=theirs.pk, body="Mentor's own shared note").exists()
    assert own.messages.filter(body="Mentor's own message").exists()
    assert not own.messages.filter(author=person).exists()
    # The intern's referral request keeps the intern's words; only the erased coordinator's note goes.
    referral = ReferralRequest.objects.get(mentee=written["intern"], answered_by=person)
    assert referral.looking_for == "A research mentor" and referral.coordinator_note == ""
    # The access log keeps who looked when, under an account number that no longer names anyone.
    opened = AccessLog.objects.get(actor=person)
    assert opened.actor_name == "[erased]" and opened.reason == "[erased]" and opened.records == ["notes"]
    # The admin audit log keeps what was done and when: what they did as a site admin and what was done to
    # their account, with neither their name nor the reasons that describe them.
    acted = AdminAction.objects.get(actor=person)
    assert (acted.action, acted.actor_name, acted.reason) == ("person.reactivate", "[erased]", "")
    about = AdminAction.objects.get(target_type="accounts.user", target_id=str(person.pk))
    assert (about.action, about.reason) == ("person.mfa_reset", "")
    # Notices that quoted the person are gone; the mentor's other notices stay.
    assert not Notification.objects.filter(about=person).exists()
    assert Notification.objects.filter(user=mentor).exists()


def test_the_confirmation_names_what_goes_and_what_stays():
    text = ERASURE_CONFIRMATION
    for thing in ("learning plans", "private and shared meeting notes", "messages", "rematch", "referral",
                  "survey comments", "notices sent to others", "Kept without your name", "cannot be recalled"):
        assert thing in text, thing
