"""What of the mentorship lifecycle belongs in a person's copy of their data.

Shared content of the person's relationships (agreements, meetings, agendas, homework, shared
notes, action items, messages, scheduling) is theirs to have; of private notes only their OWN;
rematch requests and feedback only those they made themselves (the other side's are confidential).
"""

from django.db.models import Count, Q

from mentora.core.export_registry import person_section, program_section, rows
from mentora.relationships.models import Relationship

from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    CalendarFeed,
    Homework,
    Meeting,
    Message,
    PrivateNote,
    ProposedTime,
    RematchRequest,
    Resource,
    Rsvp,
    SharedNote,
    SurveyResponse,
    TimeProposal,
)


@person_section("mentoring", models=[
    "meetings.Agreement", "meetings.Meeting", "meetings.AgendaItem", "meetings.Homework", "meetings.SharedNote",
    "meetings.ActionItem", "meetings.Message", "meetings.TimeProposal", "meetings.ProposedTime", "meetings.Rsvp",
])
def mentoring(user):
    relationship_ids = list(Relationship.objects.filter(Q(mentee=user) | Q(mentor=user)).values_list("pk", flat=True))
    meetings = Meeting.objects.filter(relationship_id__in=relationship_ids)
    proposals = TimeProposal.objects.filter(relationship_id__in=relationship_ids)
    return {
        "agreements": rows(Agreement.objects.filter(relationship_id__in=relationship_ids)),
        "meetings": rows(meetings),
        "agenda_items": rows(AgendaItem.objects.filter(meeting__in=meetings)),
        "homework": rows(Homework.objects.filter(meeting__in=meetings)),
        "shared_notes": rows(SharedNote.objects.filter(meeting__in=meetings)),
        "action_items": rows(ActionItem.objects.filter(relationship_id__in=relationship_ids)),
        "messages": rows(Message.objects.filter(relationship_id__in=relationship_ids)),
        "time_proposals": rows(proposals),
        "proposed_times": rows(ProposedTime.objects.filter(proposal__in=proposals)),
        "rsvps": rows(Rsvp.objects.filter(user=user)),
    }


@person_section("my_private_notes", models=["meetings.PrivateNote"])
def my_private_notes(user):
    """The person's OWN private notes only; nobody else's notes ever appear in an export."""
    return rows(PrivateNote.objects.filter(author=user))


@person_section("my_feedback", models=["meetings.SurveyResponse", "meetings.RematchRequest"])
def my_feedback(user):
    return {
        "survey_responses": rows(SurveyResponse.objects.filter(respondent=user)),
        "rematch_requests": rows(RematchRequest.objects.filter(requested_by=user)),
    }


@person_section("calendar_feed", models=["meetings.CalendarFeed"])
def calendar_feed(user):
    return rows(CalendarFeed.objects.filter(user=user), exclude=["token"])  # the secret URL is not copied


@person_section("resources_shared", models=["meetings.Resource"])
def resources(user):
    return rows(Resource.objects.filter(created_by=user))


@program_section("meetings")
def program_meetings(program, academic_year):
    """Aggregates only: meetings by status across the program's relationships."""
    return {row["status"]: row["n"] for row in Meeting.objects.filter(relationship__program=program)
            .values("status").annotate(n=Count("id"))}
