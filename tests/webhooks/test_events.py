"""Each service that changes what a program's systems care about records its webhook event."""

import datetime

import pytest
from django.utils import timezone

from mentora.directory import services as directory_services
from mentora.ilps import services as ilp_services
from mentora.webhooks.events import EVENT_KINDS
from mentora.webhooks.models import Delivery, Event, Subscription


@pytest.fixture
def listening(cast):
    return Subscription.objects.create(program=cast["program"], url="https://rms.example.org/hooks",
                                       event_kinds=list(EVENT_KINDS), secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")


@pytest.mark.django_db
def test_a_request_accepted_starts_a_relationship_and_is_answered(cast, listening):
    request = directory_services.request_create(by=cast["mentee_b"], mentor=cast["mentor_a"], kind="career",
                                                why="Your heart failure work", hopes="A research year")
    relationship = directory_services.request_accept(request_id=request.pk, by=cast["mentor_a"])
    kinds = list(Event.objects.order_by("created_at").values_list("kind", flat=True))
    assert kinds == ["relationship.started", "request.answered"]
    answered = Event.objects.get(kind="request.answered").payload["data"]
    assert answered["request"] == {**answered["request"], "status": "accepted", "relationship_id": relationship.pk}
    assert Delivery.objects.filter(subscription=listening).count() == 2


@pytest.mark.django_db
def test_a_request_declined_is_answered(cast, listening):
    request = directory_services.request_create(by=cast["mentee_b"], mentor=cast["mentor_a"], kind="career",
                                                why="Your heart failure work", hopes="A research year")
    directory_services.request_decline(request_id=request.pk, by=cast["mentor_a"], note="Full this year")
    event = Event.objects.get()
    assert event.kind == "request.answered"
    assert event.payload["data"]["request"]["status"] == "declined"
    assert "Full this year" not in str(event.payload)  # free text is never sent


@pytest.mark.django_db
def test_a_plan_submitted_and_signed_off(cast, listening):
    plan = ilp_services.plan_create(mentee=cast["mentee_a"], career_vision="Academic cardiologist")
    ilp_services.goal_create(plan=plan, by=cast["mentee_a"], data={
        "statement": "Present two case reports at the regional ACP meeting by 30 April",
        "measure": "Two posters presented", "target_date": timezone.localdate() + datetime.timedelta(days=150),
        "domain": "research"})
    ilp_services.plan_submit(plan=plan, by=cast["mentee_a"])
    ilp_services.plan_sign_off(plan=plan, mentor=cast["mentor_a"], note="Well done")
    events = {event.kind: event.payload["data"] for event in Event.objects.all()}
    assert set(events) == {"plan.submitted", "plan.signed_off"}
    assert events["plan.signed_off"]["mentor"]["email"] == cast["mentor_a"].email
    assert events["plan.submitted"]["plan"]["id"] == plan.pk


@pytest.mark.django_db
def test_only_the_kinds_asked_for_and_the_institutions_subscriptions_too(cast):
    from mentora.relationships.services import relationship_start

    Subscription.objects.create(program=cast["program"], url="https://a.example.org", secret="whsec_x",
                                event_kinds=["plan.submitted"])
    whole = Subscription.objects.create(institution=cast["program"].institution, url="https://b.example.org",
                                        secret="whsec_x", event_kinds=["relationship.started"])
    Subscription.objects.create(program=cast["other_program"], url="https://c.example.org", secret="whsec_x",
                                event_kinds=["relationship.started"])
    relationship_start(mentee=cast["mentee_b"], mentor=cast["mentor_a"], program=cast["program"], kind="career",
                       source="manual", by=cast["coordinator"])
    assert list(Delivery.objects.values_list("subscription", flat=True)) == [whole.pk]
