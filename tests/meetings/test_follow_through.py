"""Every state change of the relationship reaches the other side: agreement proposed and confirmed,
action items assigned, pause, resume, close."""

import datetime

import pytest
from django.utils import timezone

from mentora.meetings import services
from mentora.notifications.models import Notification
from mentora.relationships import services as relationship_services
from tests.factories import RelationshipFactory

TERMS = {"kind": "research", "goals": "Publish a first case report", "cadence_days": 30, "modes": ["video"]}


def _titles(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).order_by("pk").values_list("title", flat=True))


@pytest.mark.django_db(transaction=True)
def test_agreement_confirmation_reaches_the_side_that_proposed_it(cast, mailoutbox):
    rel = RelationshipFactory(mentee=cast["mentee_b"], mentor=cast["mentor_a"], program=cast["program"],
                              status="proposed")
    agreement = services.agreement_save(relationship=rel, by=cast["mentor_a"], **TERMS)
    assert _titles(cast["mentee_b"], "agreement") == [f"{cast['mentor_a'].display_name} proposes the terms of your mentorship"]
    services.agreement_confirm(agreement=agreement, by=cast["mentee_b"])
    [title] = _titles(cast["mentor_a"], "agreement")
    assert title == f"{cast['mentee_b'].display_name} confirmed the terms of your mentorship: your mentorship has started"
    assert any(m.to == [cast["mentor_a"].email] and "confirmed the terms" in m.subject for m in mailoutbox)


@pytest.mark.django_db
def test_an_action_item_given_to_the_other_side_tells_them(rel, cast):
    due = timezone.localdate() + datetime.timedelta(days=10)
    services.action_item_add(relationship=rel, by=cast["mentor_a"], text="Draft the abstract",
                             owner_id=cast["mentee_a"].pk, due_on=due)
    [notice] = Notification.objects.filter(user=cast["mentee_a"], kind="action_item_assigned")
    assert notice.body == "Draft the abstract" and notice.url.endswith("#action-items")
    services.action_item_add(relationship=rel, by=cast["mentor_a"], text="Send the template",
                             owner_id=cast["mentor_a"].pk, due_on=due)
    assert not Notification.objects.filter(user=cast["mentor_a"], kind="action_item_assigned").exists()


@pytest.mark.django_db
def test_pause_resume_and_close_reach_the_other_side(rel, cast):
    services.agreement_save(relationship=rel, by=cast["mentor_a"], **TERMS)
    relationship_services.relationship_pause(relationship=rel, by=cast["mentee_a"])
    rel.refresh_from_db()
    services.agreement_recommit(relationship=rel, by=cast["mentee_a"])
    services.relationship_close_with_feedback(relationship=rel, by=cast["mentee_a"], reason="Goals met")
    name = cast["mentee_a"].display_name
    assert _titles(cast["mentor_a"], "relationship") == [
        f"{name} paused your mentoring relationship", f"{name} resumed your mentorship",
        f"{name} closed your mentoring relationship"]


@pytest.mark.django_db
def test_the_agreement_starts_from_the_programs_cadence_and_says_when_it_differs(rel, cast, client):
    from django.urls import reverse

    program = cast["program"]
    program.meeting_cadence_days = 60
    program.save(update_fields=["meeting_cadence_days"])
    client.force_login(cast["mentor_a"])
    url = reverse("meetings:relationship_agreement", args=[rel.pk])
    html = client.get(url).content.decode()
    assert '<option value="60" selected>' in html  # not the first choice, "Every 2 weeks"
    assert "every 2 months" in html.lower() and "Differs from the program" not in html
    services.agreement_save(relationship=rel, by=cast["mentor_a"], **{**TERMS, "cadence_days": 14})
    html = client.get(url).content.decode()
    assert "Differs from the program" in html
    detail = client.get(reverse("meetings:relationship_detail", args=[rel.pk])).content.decode()
    assert "cadence-differs" in detail


@pytest.mark.django_db
def test_health_without_an_agreement_follows_the_programs_cadence_everywhere(rel, cast):
    """50 days without a meeting: at risk on a monthly cadence, on track on a program meeting every 2 months;
    the relationship page, the program's health counts and the reminder scan agree."""
    from mentora.meetings import selectors
    from mentora.meetings.reminders import scan_cadence_slipping
    from mentora.relationships.models import Relationship

    Relationship.objects.filter(pk=rel.pk).update(started_on=timezone.localdate() - datetime.timedelta(days=50))
    rel.refresh_from_db()
    assert selectors.health_for(relationships=[rel])[rel.pk].state == "at_risk"
    assert selectors.program_health(program_ids=[cast["program"].pk])[cast["program"].pk]["at_risk"] == 1
    program = cast["program"]
    program.meeting_cadence_days = 60
    program.save(update_fields=["meeting_cadence_days"])
    rel = Relationship.objects.select_related("program").get(pk=rel.pk)
    health = selectors.health_for(relationships=[rel])[rel.pk]
    assert (health.state, health.cadence_days) == ("on_track", 60)
    assert selectors.program_health(program_ids=[program.pk])[program.pk]["on_track"] == 1
    assert scan_cadence_slipping(timezone.now()) == 0
    # The agreement, once made, is what counts: every 2 weeks makes 50 days lapsed.
    services.agreement_save(relationship=rel, by=cast["mentor_a"], **{**TERMS, "cadence_days": 14})
    assert selectors.health_for(relationships=[rel])[rel.pk].state == "lapsed"


@pytest.mark.django_db
def test_the_first_meetings_draft_agenda_is_the_mentees_whoever_schedules(rel, cast):
    from mentora.meetings.models import AgendaItem

    meeting = services.meeting_schedule(relationship=rel, by=cast["mentor_a"],
                                        starts_at=timezone.now() + datetime.timedelta(days=3),
                                        time_zone="America/Chicago", video_url="https://meet.example.org/a")
    authors = set(AgendaItem.objects.filter(meeting=meeting).values_list("added_by_id", flat=True))
    assert authors == {cast["mentee_a"].pk}


@pytest.mark.django_db
def test_an_action_item_cannot_be_due_in_the_past(rel, cast, client):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.action_item_add(relationship=rel, by=cast["mentor_a"], text="Draft the abstract",
                                 owner_id=cast["mentee_a"].pk, due_on=datetime.date(2019, 3, 1))
    assert "in the past" in error.value.message_dict["due_on"][0]
    services.action_item_add(relationship=rel, by=cast["mentor_a"], text="Today is fine",
                             owner_id=cast["mentee_a"].pk, due_on=timezone.localdate())
