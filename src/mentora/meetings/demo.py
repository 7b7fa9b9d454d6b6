"""The lifecycle's part of the demo network: agreements, meetings, notes, action items, resources, feedback.

At the design scale (50,000 mentees) this writes half a million meetings, so meetings, agenda
items, notes and action items go in with COPY (PostgreSQL) or executemany (SQLite) on explicit
primary keys (the sequences are reset afterwards); the smaller tables use the shared bulk_create. The demo login
pair is left without lifecycle data, so the demo (and the browser journey) starts at the agreement.
"""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection, models

from mentora.core.demo import DemoContext, write_rows
from mentora.profiles.models import Profile
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    Meeting,
    PrivateNote,
    RematchRequest,
    Resource,
    SharedNote,
    SurveyForm,
    SurveyResponse,
)
from .vocabulary import MCA_COMPETENCIES

BATCH = 5000
CADENCE_WEIGHTS = [(14, 0.5), (30, 0.4), (60, 0.1)]
GOALS = [
    "Match into a {track} fellowship; a first-author case report before applications",
    "Pass USMLE Step 3 this year and plan the J-1 waiver job search",
    "Build a research portfolio: one abstract at a national meeting and one manuscript submitted",
    "Grow as a teacher: lead four morning reports and get feedback on each",
    "Find my clinical niche and a sponsor for the chief resident role",
]
TRACKS = ["cardiology", "nephrology", "hospital medicine", "infectious disease", "geriatrics", "oncology"]
AGENDA = [
    "Progress on my S.M.A.R.T. goals since last time", "Feedback on my abstract draft", "Timeline for fellowship "
    "applications", "Visa and waiver questions", "Choosing an elective", "Preparing for the in-training exam",
    "How to ask for a letter of recommendation", "Work-life balance during night float",
]
NOTES = [
    "We reviewed the draft together; the methods section needs the inclusion criteria spelled out.",
    "Agreed to aim for the spring regional meeting; deadline noted in the timeline.",
    "Talked through the waiver options; next step is a list of Conrad 30 employers.",
    "Good progress on the goals; two of three are on schedule.",
    "Discussed wellbeing and sleep on nights; will check in again next time.",
]
ACTIONS = [
    "Send the revised abstract", "Email the program director about electives", "Draft the personal statement",
    "Book the Step 3 exam date", "Read the two papers we discussed", "Ask the chief for a teaching slot",
]
RESOURCES = [
    ("first_meeting", "Preparing for your first mentoring meeting",
     "https://www.ama-assn.org/member-groups-sections/international-medical-graduates",
     "The AMA IMG Section's starting points for IMGs looking for and working with mentors."),
    ("smart_goals", "Writing S.M.A.R.T. goals", "https://www.acponline.org/about-acp/about-internal-medicine",
     "Specific, measurable, achievable, relevant and time-bound: how to write goals your mentor can sign off."),
    ("visas_licensing", "ECFMG certification and J-1 sponsorship", "https://www.ecfmg.org/",
     "Certification steps and the J-1 exchange visitor program for physicians."),
    ("visas_licensing", "Federation of State Medical Boards: licensure", "https://www.fsmb.org/",
     "State licensing requirements for international medical graduates."),
    ("residency", "NRMP: the Main Residency Match", "https://www.nrmp.org/",
     "Timelines, data and policies of the Match."),
    ("residency", "ERAS for residency applicants", "https://www.aamc.org/services/eras-for-applicants",
     "How the electronic residency application works, step by step."),
    ("research", "ICMJE recommendations for authors", "https://www.icmje.org/recommendations/",
     "Authorship, conflicts of interest and manuscript preparation."),
    ("research", "CARE case report guidelines", "https://www.care-statement.org/",
     "A checklist for writing a complete case report."),
    ("wellbeing", "Physician wellbeing resources", "https://www.ama-assn.org/practice-management/physician-health",
     "Burnout, resilience and where to find help."),
]


def _adapter():
    """Values as the database driver takes them; on SQLite, UTC text as Django stores it (much faster than
    going through the field adapters for every one of several hundred thousand rows)."""
    if connection.vendor == "sqlite":
        def adapt(value):
            if isinstance(value, datetime.datetime):
                return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
            return value.isoformat() if isinstance(value, datetime.date) else value

        return adapt, lambda u: u.hex
    return (lambda value: value), (lambda u: u)


def _insert(context: DemoContext, model: type[models.Model], fields: list[str], rows, phase: str) -> int:
    """COPY on PostgreSQL, executemany on SQLite: several times faster than bulk_create for hundreds of
    thousands of rows."""
    return write_rows(model, [model._meta.get_field(f) for f in fields], rows, context.progress, phase)


def _next_id(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def generate(context: DemoContext) -> None:
    rng = context.rng
    today = context.today
    now = datetime.datetime.combine(today, datetime.time(12, 0), tzinfo=datetime.UTC)
    demo_pair = (context.logins["mentee"].pk, context.logins["mentor"].pk)
    relationships = list(
        Relationship.objects.filter(pk__in=context.relationship_ids).order_by("pk")
        .values_list("pk", "mentee_id", "mentor_id", "status", "started_on", "ended_on", "program_id", "kind")
    )
    zones = dict(Profile.objects.filter(user_id__in=context.mentee_ids).values_list("user_id", "time_zone"))
    zone_cache: dict[str, ZoneInfo] = {}

    Resource.objects.bulk_create(Resource(topic=t, title=title, url=url, description=d) for t, title, url, d in
                                 RESOURCES)

    cadences = [c for c, _ in CADENCE_WEIGHTS]
    weights = [w for _, w in CADENCE_WEIGHTS]
    agreements = []
    meeting_rows, agenda_rows, note_rows, private_rows, action_rows, surveys = [], [], [], [], [], []
    meeting_id, agenda_id, note_id, private_id, action_id = (_next_id(m) for m in (
        Meeting, AgendaItem, SharedNote, PrivateNote, ActionItem))
    adapt, adapt_uuid = _adapter()
    for rid, mentee, mentor, status, started, ended, program_id, kind in relationships:
        if (mentee, mentor) == demo_pair or status == Relationship.Status.PROPOSED or started is None:
            continue
        cadence = rng.choices(cadences, weights=weights, k=1)[0]
        confirmed = datetime.datetime.combine(started, datetime.time(15), tzinfo=datetime.UTC)
        agreements.append(Agreement(
            relationship_id=rid, kind=kind, goals=rng.choice(GOALS).format(track=rng.choice(TRACKS)),
            cadence_days=cadence, modes=rng.sample(["video", "in_person", "phone"], k=rng.choice([1, 2])),
            expectations="Come prepared with an agenda; reply to messages within a week.",
            confidentiality="What we discuss stays between us unless we both agree otherwise.",
            expected_end_on=started + datetime.timedelta(days=365 * rng.choice([1, 2, 3])),
            mentee_confirmed_at=confirmed, mentor_confirmed_at=confirmed,
        ))
        zone_name = zones.get(mentee, "America/New_York")
        zone = zone_cache.get(zone_name) or zone_cache.setdefault(zone_name, ZoneInfo(zone_name))
        end = ended or today
        # adherence varies: most keep the cadence, some slip (they show as at risk or lapsed)
        drift = rng.choices([1.0, 1.3, 2.5], weights=[0.7, 0.2, 0.1], k=1)[0]
        stop_early = rng.random() < 0.12 and status != Relationship.Status.CLOSED
        day = started + datetime.timedelta(days=rng.randint(3, 10))
        while day < end:
            if stop_early and (end - day).days < cadence * 3.5:
                break
            local = datetime.datetime.combine(day, datetime.time(rng.choice([7, 12, 16, 17, 18]),
                                                                 rng.choice([0, 30])), tzinfo=zone)
            starts = local.astimezone(datetime.UTC)
            state = rng.choices(["held", "missed", "cancelled"], weights=[0.88, 0.08, 0.04], k=1)[0]
            meeting_rows.append((
                meeting_id, rid, adapt_uuid(uuid.UUID(int=rng.getrandbits(128), version=4)),
                adapt(starts), zone_name, rng.choice([30, 45, 60]), rng.choice(["video", "video", "in_person"]),
                "", "", state, 0, mentor, adapt(starts - datetime.timedelta(days=7)), adapt(starts),
            ))
            if state == "held":
                if rng.random() < 0.6:
                    note_rows.append((note_id, meeting_id, mentee if rng.random() < 0.5 else mentor,
                                      rng.choice(NOTES), adapt(starts)))
                    note_id += 1
                if rng.random() < 0.1:
                    private_rows.append((private_id, meeting_id, mentor, "Remember to ask about their family visit.",
                                         adapt(starts)))
                    private_id += 1
                if rng.random() < 0.45:
                    due = day + datetime.timedelta(days=cadence)
                    done = adapt(starts + datetime.timedelta(days=cadence - 2)) if due < today and \
                        rng.random() < 0.8 else None
                    action_rows.append((action_id, rid, meeting_id, rng.choice(ACTIONS),
                                        mentee if rng.random() < 0.8 else mentor, adapt(due), done, mentor,
                                        adapt(starts)))
                    action_id += 1
            meeting_id += 1
            day += datetime.timedelta(days=max(7, int(cadence * drift) + rng.randint(-3, 3)))
        if status == Relationship.Status.ACTIVE and not stop_early:
            local = datetime.datetime.combine(max(min(day, today + datetime.timedelta(days=cadence)),
                                                  today + datetime.timedelta(days=1)), datetime.time(17, 0),
                                              tzinfo=zone)
            starts = local.astimezone(datetime.UTC)
            meeting_rows.append((
                meeting_id, rid, adapt_uuid(uuid.UUID(int=rng.getrandbits(128), version=4)),
                adapt(starts), zone_name, 45, "video", "", "", "scheduled", 0, mentee, adapt(now), adapt(now),
            ))
            for position, text in enumerate(rng.sample(AGENDA, k=2)):
                agenda_rows.append((agenda_id, meeting_id, text, mentee, position, adapt(now)))
                agenda_id += 1
            meeting_id += 1
        if program_id and rng.random() < 0.3:
            period = f"{today.year}-{(today.month - 1) // 6 + 1}"
            for who, role in ((mentee, "mentee"), (mentor, "mentor")):
                surveys.append(SurveyResponse(
                    relationship_id=rid, respondent_id=who, role=role, period=period, program_id=program_id,
                    ratings={key: rng.choices(range(1, 8), weights=[1, 1, 2, 4, 8, 10, 6], k=1)[0]
                             for key, _ in MCA_COMPETENCIES},
                ))

    context.bulk_create(Agreement, agreements, "agreements")
    _insert(context, Meeting, ["id", "relationship", "uid", "starts_at", "time_zone", "duration_minutes", "mode",
                               "place", "video_url", "status", "sequence", "created_by", "created_at",
                               "updated_at"], meeting_rows, "meetings")
    del meeting_rows
    _insert(context, AgendaItem, ["id", "meeting", "text", "added_by", "position", "created_at"], agenda_rows,
            "agenda items")
    _insert(context, SharedNote, ["id", "meeting", "author", "body", "created_at"], note_rows, "shared notes")
    _insert(context, PrivateNote, ["id", "meeting", "author", "body", "created_at"], private_rows, "private notes")
    _insert(context, ActionItem, ["id", "relationship", "meeting", "text", "owner", "due_on", "done_at",
                                  "created_by", "created_at"], action_rows, "action items")
    context.bulk_create(SurveyResponse, surveys, "feedback")
    _rematch_requests(context, relationships, demo_pair)
    _reset_sequences()
    _demo_pair_corrections(context, now)
    _demo_survey(context)


def _demo_survey(context: DemoContext) -> None:
    """The demo program words its own survey (the editor shows it): the six MCA questions it has asked so
    far, so their answers still count, and one question of its own."""
    questions = [{"key": key, "label": label} for key, label in MCA_COMPETENCIES]
    questions.append({"key": "would_recommend", "label": "Would you recommend this mentorship to a colleague?"})
    SurveyForm.objects.update_or_create(program=context.demo_program, defaults={"questions": questions,
                                                                                "every_months": 6})


def _demo_pair_corrections(context: DemoContext, now: datetime.datetime) -> None:
    """The demo mentor's next meeting with another of their mentees (the demo pair's own first meeting is left
    for the visitor to schedule) has an agenda item the mentee corrected and a shared note the mentor took back,
    so "Changes" on the meeting page and the edit and delete links show something."""
    others = Relationship.objects.filter(status=Relationship.Status.ACTIVE).exclude(mentee=context.logins["mentee"]).select_related(
        "mentee", "mentor").order_by("pk")
    relationship = others.filter(mentor=context.logins["mentor"]).first() or others.first()
    if relationship is None:
        return
    mentee, mentor = relationship.mentee, relationship.mentor
    meeting = services.meeting_schedule(relationship=relationship, by=mentor, time_zone="America/New_York",
                                        starts_at=now + datetime.timedelta(days=6), notify_other=False)
    # The same seed gives the same demo, this meeting's calendar identifier included.
    meeting.uid = uuid.UUID(int=context.rng.getrandbits(128), version=4)
    meeting.save(update_fields=["uid"])
    item = services.agenda_item_add(meeting=meeting, by=mentee, text="Step 3 date")
    services.agenda_item_edit(item=item, by=mentee, text="Step 3 date and the research-year application")
    services.agenda_item_add(meeting=meeting, by=mentor, text="Abstract for the regional ACP meeting")
    note = services.shared_note_add(meeting=meeting, by=mentor, body="I will send the abstract template.")
    services.shared_note_edit(note=note, by=mentor, body="I will send the abstract template and two examples.")
    taken_back = services.shared_note_add(meeting=meeting, by=mentor, body="Meet on Friday instead?")
    services.shared_note_delete(note=taken_back, by=mentor)


REMATCH_REASONS = (
    "We have not managed to meet since the autumn; our schedules never line up.",
    "My research has moved to cardio-oncology and I would like a mentor in that field.",
    "My mentor is leaving the institution next month.",
    "I would value a mentor who went through the visa process as an international graduate.",
)


def _rematch_requests(context: DemoContext, relationships, demo_pair) -> None:
    """A few active relationships ask for a rematch, so the coordinators' rematch queue has items; the demo
    coordinator's program always has some."""
    rng = context.rng
    coordinated = set(Membership.objects.filter(user=context.logins["coordinator"], role="coordinator")
                      .values_list("program_id", flat=True))
    candidates = [(rid, mentee, program_id) for rid, mentee, mentor, status, _s, _e, program_id, _k in relationships
                  if status == Relationship.Status.ACTIVE and program_id and (mentee, mentor) != demo_pair]
    mine = [c for c in candidates if c[2] in coordinated][:3]
    others = [c for c in candidates if c[2] not in coordinated and rng.random() < 0.02]
    context.bulk_create(RematchRequest, [
        RematchRequest(relationship_id=rid, requested_by_id=mentee, reason=rng.choice(REMATCH_REASONS))
        for rid, mentee, _program in mine + others], "rematch requests")


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [Meeting, AgendaItem, SharedNote, PrivateNote,
                                                                ActionItem])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

