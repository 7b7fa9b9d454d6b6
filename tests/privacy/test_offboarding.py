import pytest
from django.core.exceptions import ValidationError

from mentora.notifications.models import Notification
from mentora.privacy.models import PrivacyEvent
from mentora.privacy.services import (
    consent_withdrawn,
    data_policy_set,
    program_leave,
    sensitive_consent_withdraw,
)
from mentora.profiles.models import SensitiveAttributes
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from tests.factories import SensitiveAttributesFactory


@pytest.mark.django_db
def test_leaving_closes_relationships_keeps_records_and_confirms(cast, django_capture_on_commit_callbacks):
    mentee, program = cast["mentee_a"], cast["program"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = program_leave(program=program, by=mentee)
    assert callbacks  # emails went out after commit
    assert not Membership.objects.filter(user=mentee, program=program, is_active=True).exists()
    relationship = Relationship.objects.get(mentee=mentee)
    assert relationship.status == "closed" and relationship.program == program  # kept by default policy
    assert event.counts == {"memberships": 1, "relationships_closed": 1, "relationships_detached": 0}
    assert Notification.objects.filter(user=mentee, kind="privacy", title__startswith="You have left").exists()
    assert Notification.objects.filter(user=cast["mentor_a"], kind="privacy").exists()
    with pytest.raises(ValidationError):
        program_leave(program=program, by=mentee)  # nothing left to leave
    assert PrivacyEvent.objects.filter(user=mentee).count() == 1


@pytest.mark.django_db
def test_policy_detaches_a_leavers_records(cast):
    data_policy_set(program=cast["program"], keep_records_on_leave=False, keep_mentor_records_on_erasure=True)
    program_leave(program=cast["program"], by=cast["mentee_a"])
    assert Relationship.objects.get(mentee=cast["mentee_a"]).program is None


@pytest.mark.django_db
def test_withdrawing_consent_deletes_at_once_and_tells_listeners(cast):
    mentee = cast["mentee_b"]
    SensitiveAttributesFactory(user=mentee, gender="woman", race_ethnicity="black")
    heard = []

    def listener(sender, user, **kwargs):
        heard.append((user.pk, SensitiveAttributes.objects.filter(user=user).exists()))

    consent_withdrawn.connect(listener)
    try:
        event = sensitive_consent_withdraw(by=mentee)
    finally:
        consent_withdrawn.disconnect(listener)
    assert event is not None and not SensitiveAttributes.objects.filter(user=mentee).exists()
    assert heard == [(mentee.pk, False)]  # listeners run after the row is gone
    mentee.refresh_from_db()
    with pytest.raises(SensitiveAttributes.DoesNotExist):
        mentee.sensitive_attributes  # noqa: B018 — no cached copy on a fresh instance
    assert sensitive_consent_withdraw(by=mentee) is None  # nothing more to do, nothing logged
    assert PrivacyEvent.objects.filter(user=mentee).count() == 1


@pytest.mark.django_db
def test_pages(client, cast):
    mentee = cast["mentee_a"]
    SensitiveAttributesFactory(user=mentee)
    client.force_login(mentee)
    page = client.get("/privacy/")
    assert page.status_code == 200 and cast["program"].name.encode() in page.content
    assert client.get(f"/privacy/leave/{cast['program'].slug}/").status_code == 200
    assert client.post(f"/privacy/leave/{cast['program'].slug}/").status_code == 302
    assert client.post("/privacy/withdraw-consent/").status_code == 302
    assert not SensitiveAttributes.objects.filter(user=mentee).exists()
    assert b"Left a program" in client.get("/privacy/").content
    policy_url = f"/privacy/programs/{cast['program'].slug}/policy/"
    assert client.get(policy_url).status_code == 403
    client.force_login(cast["coordinator"])
    assert client.post(policy_url, {"keep_records_on_leave": "on"}).status_code == 302
    client.force_login(cast["other_coordinator"])
    assert client.get(policy_url).status_code == 403


@pytest.mark.django_db
def test_withdrawal_changes_the_dashboard_cache_version(cast):
    """Program insights cache panels under a data version: withdrawal must move it, so no cached
    aggregate keeps counting the withdrawn attributes."""
    from mentora.core.data_version import data_version

    SensitiveAttributesFactory(user=cast["mentee_b"], gender="woman")
    before = data_version()
    sensitive_consent_withdraw(by=cast["mentee_b"])
    assert data_version() != before


@pytest.mark.django_db
def test_withdrawn_consent_leaves_matching_at_once_and_is_confirmed_by_email(django_capture_on_commit_callbacks):
    """The mentor side of matching is cached: a withdrawal must reach recommendations straight away."""
    from django.core import mail

    from mentora.directory import matching
    from mentora.matching import SENSITIVE_REASON
    from tests.directory.helpers import consent, make_mentor, make_person

    mentee = make_person(name="Priya")
    consent(mentee, gender="woman", concordance_wanted=["gender"])
    mentor = make_mentor(name="Agrees")
    consent(mentor, gender="woman", gender_visibility="directory", concordance_consent=["gender"])

    def reasons() -> list[str]:
        (row,) = matching.recommendations_for(mentee)
        return [reason["text"] for reason in row["reasons"]]

    assert SENSITIVE_REASON in reasons()  # the mentor side is now built and cached
    with django_capture_on_commit_callbacks(execute=True):
        event = sensitive_consent_withdraw(by=mentor)
    assert SENSITIVE_REASON not in reasons()
    fresh = type(mentor).objects.get(pk=mentor.pk)  # the caller's instance may hold its own cached copy
    assert "gender" not in matching.mentor_entry(fresh, capacity=1)["attributes"]
    notice = Notification.objects.get(user=mentor, key=f"privacy-event-{event.pk}")
    assert notice.title == "Your optional attributes are deleted"
    confirmations = [m.subject for m in mail.outbox if m.to == [mentor.email]]
    assert len(confirmations) == 1 and confirmations[0].endswith(notice.title)
