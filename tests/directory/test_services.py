import datetime
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mentora.directory import services
from mentora.directory.models import MentorshipRequest, ReferralRequest
from mentora.notifications.models import Notification
from mentora.relationships import services as relationship_services
from mentora.relationships.models import Relationship
from mentora.relationships.services import CapacityFull
from tests.factories import MembershipFactory, NetworkFactory, ProgramFactory, RelationshipFactory

from .helpers import make_mentor, make_person

pytestmark = pytest.mark.django_db


def ask(mentee, mentor, kind="career", **extra):
    return services.request_create(by=mentee, mentor=mentor, kind=kind, why="Your heart failure work",
                                   hopes="A first paper within a year", **extra)


def test_request_uses_the_programs_expiry_and_tells_the_mentor():
    program = ProgramFactory(request_expiry_days=5)
    mentee = make_person(name="Mentee")
    MembershipFactory(user=mentee, program=program, role="mentee")
    mentor = make_mentor(name="Mentor")
    now = timezone.now()
    request = ask(mentee, mentor, now=now)
    assert request.program == program
    assert request.expires_at == now + datetime.timedelta(days=5)
    notice = Notification.objects.get(user=mentor)
    assert notice.kind == "request_received" and "A first paper" in notice.body


@pytest.mark.parametrize("problem", ["self", "not_accepting", "kind", "duplicate", "already", "empty"])
def test_bad_requests_are_refused_and_write_nothing(problem):
    mentee = make_person(name="Mentee")
    mentor = make_mentor(name="Mentor", accepting=problem != "not_accepting", kinds=["career"])
    if problem == "duplicate":
        ask(mentee, mentor)
    if problem == "already":
        RelationshipFactory(mentee=mentee, mentor=mentor, kind="career")
    before = MentorshipRequest.objects.count()
    with pytest.raises(ValidationError):
        if problem == "self":
            ask(mentor, mentor)
        elif problem == "kind":
            ask(mentee, mentor, kind="sponsor")
        elif problem == "empty":
            services.request_create(by=mentee, mentor=mentor, kind="career", why=" ", hopes="x")
        else:
            ask(mentee, mentor)
    assert MentorshipRequest.objects.count() == before


def test_accept_creates_an_active_relationship_and_tells_the_mentee():
    mentee, mentor = make_person(name="Mentee"), make_mentor(name="Mentor")
    request = ask(mentee, mentor)
    relationship = services.request_accept(request_id=request.pk, by=mentor, note="Welcome")
    request.refresh_from_db()
    assert request.status == "accepted" and request.relationship == relationship
    assert (relationship.mentee, relationship.mentor, relationship.status, relationship.source) == (
        mentee, mentor, "active", "request")
    assert Notification.objects.filter(user=mentee, kind="request_answered", title__contains="accepted").exists()
    with pytest.raises(ValidationError):
        services.request_accept(request_id=request.pk, by=mentor)  # answered already


def test_only_the_mentor_asked_can_accept():
    mentee, mentor, other = make_person(name="Mentee"), make_mentor(name="Mentor"), make_mentor(name="Other")
    request = ask(mentee, mentor)
    with pytest.raises(PermissionDenied):
        services.request_accept(request_id=request.pk, by=other)
    assert not Relationship.objects.exists()


def test_capacity_is_never_exceeded():
    mentor = make_mentor(name="Mentor", capacity=1)
    first, second = ask(make_person(name="A"), mentor), ask(make_person(name="B"), mentor)
    services.request_accept(request_id=first.pk, by=mentor)
    with pytest.raises(CapacityFull):
        services.request_accept(request_id=second.pk, by=mentor)
    assert Relationship.objects.filter(mentor=mentor).count() == 1
    assert MentorshipRequest.objects.get(pk=second.pk).status == "pending"


@pytest.mark.django_db(transaction=True)
def test_two_accepts_racing_for_the_last_place_create_one_relationship(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so there is no row lock to race on "
                    "(CI runs this suite on PostgreSQL too)")
    mentor = make_mentor(name="Mentor", capacity=1)
    requests = [ask(make_person(name=f"Mentee {i}"), mentor) for i in range(4)]
    barrier = threading.Barrier(len(requests))
    original = relationship_services._insert

    def slow_insert(**kwargs):  # widen the window between counting the load and inserting
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(relationship_services, "_insert", slow_insert)
    outcomes: list[str] = []

    def accept(request_id):
        from django.db import connections

        try:
            barrier.wait()
            services.request_accept(request_id=request_id, by=mentor)
            outcomes.append("accepted")
        except CapacityFull:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r.pk,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "full", "full", "full"]
    assert Relationship.objects.filter(mentor=mentor, status__in=Relationship.OPEN_STATUSES).count() == 1


def test_decline_and_withdraw():
    mentee, mentor = make_person(name="Mentee"), make_mentor(name="Mentor")
    request = ask(mentee, mentor)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(request_id=request.pk, by=mentor)
    services.request_decline(request_id=request.pk, by=mentor, note="I am on leave")
    notice = Notification.objects.get(user=mentee, kind="request_answered")
    assert "I am on leave" in notice.body and "What you can do next" in notice.body
    second = ask(mentee, mentor)  # a declined request does not block a new one
    services.request_withdraw(request_id=second.pk, by=mentee)
    assert MentorshipRequest.objects.get(pk=second.pk).status == "withdrawn"


def test_expiry_is_idempotent_and_tells_the_mentee_what_to_do_next():
    mentee, mentor = make_person(name="Mentee"), make_mentor(name="Mentor")
    old = ask(mentee, mentor, now=timezone.now() - datetime.timedelta(days=30))
    fresh = ask(make_person(name="Fresh"), mentor)
    assert services.requests_expire() == 1
    assert services.requests_expire() == 0
    call_command("expire_requests")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("expired", "pending")
    notices = Notification.objects.filter(user=mentee, kind="request_answered")
    assert notices.count() == 1 and "What you can do next" in notices.get().body
    with pytest.raises(ValidationError):
        services.request_accept(request_id=old.pk, by=mentor)


def test_accepting_a_request_past_its_date_expires_it():
    mentee, mentor = make_person(name="Mentee"), make_mentor(name="Mentor")
    request = ask(mentee, mentor, now=timezone.now() - datetime.timedelta(days=30))
    with pytest.raises(ValidationError):
        services.request_accept(request_id=request.pk, by=mentor)
    assert MentorshipRequest.objects.get(pk=request.pk).status == "expired"
    assert not Relationship.objects.exists()


def test_referral_from_request_to_proposal_to_pick():
    network = NetworkFactory()
    coordinator = make_person(name="Coordinator")
    network.coordinators.add(coordinator)
    mentee = make_person(name="Mentee")
    mentors = [make_mentor(name=f"Mentor {i}") for i in range(4)]
    referral = services.referral_create(by=mentee, network=network, kind="career", looking_for="Cardiology")
    assert Notification.objects.filter(user=coordinator, kind="referral").exists()
    with pytest.raises(ValidationError):
        services.referral_create(by=mentee, network=network, kind="career", looking_for="Again")
    with pytest.raises(ValidationError):
        services.referral_propose(referral_id=referral.pk, by=coordinator,
                                  mentor_ids=[m.pk for m in mentors])  # four is too many
    with pytest.raises(ValidationError):
        services.referral_propose(referral_id=referral.pk, by=coordinator, mentor_ids=[coordinator.pk])
    services.referral_propose(referral_id=referral.pk, by=coordinator,
                              mentor_ids=[mentors[0].pk, mentors[1].pk], note="Both know IMGs well")
    assert Notification.objects.filter(user=mentee, kind="referral").exists()
    with pytest.raises(ValidationError):
        services.referral_pick(referral_id=referral.pk, by=mentee, mentor_id=mentors[3].pk, why="w", hopes="h")
    request = services.referral_pick(referral_id=referral.pk, by=mentee, mentor_id=mentors[1].pk,
                                     why="Proposed to me", hopes="Career plan")
    assert (request.mentor, request.referral) == (mentors[1], referral)
    assert ReferralRequest.objects.get(pk=referral.pk).status == "picked"
    relationship = services.request_accept(request_id=request.pk, by=mentors[1])
    assert relationship.source == "referral"


def test_preferences_concordance_needs_consent():
    from mentora.directory.models import MatchPreferences

    mentee = make_person(name="Mentee")
    with pytest.raises(ValidationError):
        services.preferences_update(by=mentee, weights={"languages": 5}, concordance_wanted=["gender"])
    assert not MatchPreferences.objects.exists()
    from .helpers import consent

    attributes = consent(mentee, gender="woman")
    services.preferences_update(by=mentee, weights={"languages": 5, "specialty": 0},
                                concordance_wanted=["gender"], concordance_weight=3)
    attributes.refresh_from_db()
    assert attributes.concordance_wanted == ["gender"]
    weights = MatchPreferences.objects.get(user=mentee).weights()
    assert (weights["languages"], weights["specialty"], weights["gender"]) == (5, 0, 3)


def test_the_reminders_scan_nudges_the_mentor_then_expires_once():
    from mentora.directory.reminders import scan

    mentee, mentor = make_person(name="Mentee"), make_mentor(name="Mentor")
    now = timezone.now()
    request = ask(mentee, mentor, now=now - datetime.timedelta(days=13))  # expires in one day
    assert scan(now) == 1 and scan(now) == 0
    assert Notification.objects.filter(user=mentor, kind="request_expiring").count() == 1
    later = now + datetime.timedelta(days=2)
    assert scan(later) == 1 and scan(later) == 0
    assert MentorshipRequest.objects.get(pk=request.pk).status == "expired"


def test_a_forbidden_conflict_of_interest_blocks_requests_and_recommendations():
    from mentora.conflicts.services import conflict_policy_set, evaluating_role_declare
    from mentora.directory.matching import recommendations_for

    program = ProgramFactory()
    mentee, mentor = make_person(name="Mentee"), make_mentor(name="Evaluator")
    MembershipFactory(user=mentee, program=program, role="mentee")
    evaluating_role_declare(by=mentor, role="rotation_evaluator", mentee=mentee)
    assert [r["mentor"] for r in recommendations_for(mentee)] == [mentor.pk]  # a warning only, no policy yet
    ask(mentee, mentor)
    conflict_policy_set(program=program, forbid_evaluator_pairs=True,
                        by=MembershipFactory(program=program, role="coordinator").user)
    assert recommendations_for(mentee) == []
    with pytest.raises(ValidationError, match="evaluates"):
        ask(mentee, mentor, kind="research")
    with pytest.raises(ValidationError, match="evaluates"):
        services.request_accept(request_id=MentorshipRequest.objects.get().pk, by=mentor)
    assert not Relationship.objects.exists()


def test_a_deactivated_mentor_is_offered_to_nobody_though_their_offer_still_accepts_mentees(
        django_capture_on_commit_callbacks):
    """A site admin deactivates a departed mentor whose offer still says "accepting": the directory, the
    recommendations (already cached before), the referral search and proposals, a coordinator's pairing
    list and a request all leave them out; reactivated, they are offered again."""
    from mentora.console.services import person_deactivate, person_reactivate
    from mentora.directory import selectors
    from mentora.directory.matching import recommendations_for
    from mentora.relationships.selectors import program_mentors
    from tests.factories import UserFactory

    program, network = ProgramFactory(), NetworkFactory()
    coordinator = make_person(name="Coordinator")
    network.coordinators.add(coordinator)
    admin = UserFactory(is_superuser=True)
    mentee, departed = make_person(name="Mentee"), make_mentor(name="Departed Mentor")
    MembershipFactory(user=mentee, program=program, role="mentee")
    MembershipFactory(user=departed, program=program, role="mentor")
    assert [r["mentor"] for r in recommendations_for(mentee)] == [departed.pk]  # the mentor side is cached now

    with django_capture_on_commit_callbacks(execute=True):
        person_deactivate(person=departed, reason="Retired from the faculty in June", by=admin)
    departed.refresh_from_db()
    assert departed.mentor_offer.accepting_new_mentees  # the offer is left as it was
    assert departed.pk not in {offer.user_id for offer in selectors.directory_queryset({})}
    assert recommendations_for(mentee) == []
    assert selectors.mentors_by_id([departed.pk]) == {}
    assert selectors.referral_mentor_search(text="Departed", exclude_id=mentee.pk) == []
    assert departed not in program_mentors(program=program)
    with pytest.raises(ValidationError, match="no longer takes mentees"):
        ask(mentee, departed)
    referral = services.referral_create(by=mentee, network=network, kind="career", looking_for="Cardiology")
    with pytest.raises(ValidationError, match="accept new mentees"):
        services.referral_propose(referral_id=referral.pk, by=coordinator, mentor_ids=[departed.pk])
    assert not MentorshipRequest.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        person_reactivate(person=departed, reason="Came back as emeritus faculty", by=admin)
    departed.refresh_from_db()
    assert [r["mentor"] for r in recommendations_for(mentee)] == [departed.pk]
    assert ask(mentee, departed).mentor == departed

