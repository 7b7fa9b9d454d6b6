"""The console's people section: every action works through the page, is refused to everyone but a site
admin, and writes its entry of the audit log."""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from mentora.api.models import ApiToken
from mentora.api.tokens import token_create
from mentora.audit.models import AdminAction
from mentora.console import services
from mentora.core.errors import StateConflict
from tests.factories import PASSWORD, ProgramFactory, UserFactory

REASON = "Left the institution in November"


def _signed_in(person) -> Client:
    browser = Client()
    assert browser.login(email=person.email, password=PASSWORD)
    return browser


def _act(client, person, action, reason=REASON):
    return client.post(reverse("console:person_detail", args=[person.pk]), {"action": action, "reason": reason})


def test_search_finds_people_by_name_or_email_and_role(client, cast):
    client.force_login(cast["admin"])
    mentee = cast["mentee_a"]
    body = client.get(reverse("console:people"), {"q": mentee.email.split("@")[0]}).content.decode()
    assert mentee.email in body and cast["mentee_b"].email not in body
    body = client.get(reverse("console:people"), {"role": "network_coordinator"}).content.decode()
    assert cast["network_coordinator"].email in body and mentee.email not in body


def test_deactivation_ends_sessions_and_tokens_keeps_data_and_is_logged(client, cast):
    mentee = cast["mentee_a"]
    browser = _signed_in(mentee)
    assert browser.get(reverse("meetings:my_mentoring")).status_code == 200
    _token, secret = token_create(by=mentee, name="script", scopes=["read"])
    relationships_before = mentee.relationships_as_mentee.count()
    assert relationships_before == 1

    client.force_login(cast["admin"])
    assert _act(client, mentee, "deactivate").status_code == 302

    mentee.refresh_from_db()
    assert not mentee.is_active
    assert browser.get(reverse("meetings:my_mentoring")).status_code == 302  # the signed-in browser is signed out
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert ApiToken.objects.get(user=mentee).revoked_at is not None
    assert mentee.relationships_as_mentee.count() == relationships_before  # data kept
    entry = AdminAction.objects.get(action="person.deactivate")
    assert entry.actor == cast["admin"] and entry.target_id == str(mentee.pk) and entry.reason == REASON
    assert entry.details["tokens_revoked"] == 1 and entry.details["sessions_ended"] == 1
    assert not Client().login(email=mentee.email, password=PASSWORD)

    assert _act(client, mentee, "reactivate").status_code == 302
    mentee.refresh_from_db()
    assert mentee.is_active and AdminAction.objects.filter(action="person.reactivate").count() == 1


def test_an_action_without_a_reason_changes_nothing_and_logs_nothing(client, cast):
    client.force_login(cast["admin"])
    answer = _act(client, cast["mentee_a"], "deactivate", reason="because")
    assert answer.status_code == 200 and "at least 10 characters" in answer.content.decode()
    cast["mentee_a"].refresh_from_db()
    assert cast["mentee_a"].is_active and not AdminAction.objects.exists()


def test_mfa_reset_removes_authenticators_and_is_logged(client, cast):
    person = cast["coordinator"]
    Authenticator.objects.create(user=person, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(cast["admin"])
    assert _act(client, person, "mfa_reset", reason="Lost their phone, called the help desk").status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    entry = AdminAction.objects.get(action="person.mfa_reset")
    assert entry.reason == "Lost their phone, called the help desk" and entry.details["authenticators_removed"] == 1
    with pytest.raises(StateConflict):  # nothing left to reset
        services.person_mfa_reset(person=person, reason=REASON, by=cast["admin"])


def test_site_admin_grant_and_revoke_are_logged_and_nobody_changes_their_own(client, cast):
    client.force_login(cast["admin"])
    person = cast["mentor_a"]
    _act(client, person, "grant_admin")
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff
    _act(client, person, "revoke_admin")
    person.refresh_from_db()
    assert not person.is_superuser
    assert list(AdminAction.objects.order_by("id").values_list("action", flat=True)) == [
        "person.site_admin_grant", "person.site_admin_revoke"]
    answer = _act(client, cast["admin"], "revoke_admin")
    assert answer.status_code == 200 and "your own" in answer.content.decode()


def test_invite_creates_the_person_in_the_program_and_is_logged(client, cast):
    client.force_login(cast["admin"])
    program = ProgramFactory()
    answer = client.post(reverse("console:person_invite"), {
        "email": "new.fellow@example.org", "full_name": "New Fellow", "program": program.pk, "role": "mentee",
        "training_level": "pgy1"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    entry = AdminAction.objects.get(action="person.invite")
    assert entry.details["program"] == program.slug and entry.target_label == "New Fellow"
    assert program.memberships.filter(user__email="new.fellow@example.org").exists()


@pytest.mark.parametrize("service, kwargs", [
    (services.person_deactivate, {"reason": REASON}),
    (services.person_reactivate, {"reason": REASON}),
    (services.person_mfa_reset, {"reason": REASON}),
    (services.person_site_admin_set, {"reason": REASON, "is_admin": True}),
])
def test_services_refuse_anyone_but_a_site_admin(cast, service, kwargs):
    from django.core.exceptions import PermissionDenied

    for person in ("coordinator", "network_coordinator", "mentee_b"):
        with pytest.raises(PermissionDenied):
            service(person=cast["mentee_a"], by=cast[person], **kwargs)
    assert not AdminAction.objects.exists()


def test_records_create_and_edit_are_logged(client, cast):
    client.force_login(cast["admin"])
    answer = client.post(reverse("console:record_new", args=["networks"]),
                         {"name": "IMG Section East", "slug": "img-east", "description": "", "website": ""})
    assert answer.status_code == 302
    network = cast["network"].__class__.objects.get(slug="img-east")
    answer = client.post(reverse("console:record_edit", args=["networks", network.pk]),
                         {"name": "IMG Section Northeast", "slug": "img-east", "description": "", "website": ""})
    assert answer.status_code == 302
    assert list(AdminAction.objects.order_by("id").values_list("action", "target_label")) == [
        ("network.create", "IMG Section East"), ("network.edit", "IMG Section Northeast")]
    assert AdminAction.objects.get(action="network.edit").details == {"fields": ["name"]}
    institution = cast["program"].institution
    answer = client.post(reverse("console:record_edit", args=["institutions", institution.pk]), {
        "name": "Renamed Hospital", "slug": institution.slug, "city": "", "state": "", "country": "US"})
    assert answer.status_code == 302 and AdminAction.objects.filter(action="institution.edit").exists()
    program = cast["program"]
    answer = client.post(reverse("console:record_edit", args=["programs", program.pk]), {
        "name": program.name, "slug": program.slug, "institution": institution.pk, "network": "",
        "specialty": program.specialty, "review_frequency": "annual",
        "meeting_cadence_days": program.meeting_cadence_days, "request_expiry_days": 21})
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    assert AdminAction.objects.get(action="program.edit").details["fields"] == [
        "network", "request_expiry_days", "review_frequency"]


def test_a_bad_record_form_shows_errors_and_logs_nothing(client, cast):
    client.force_login(cast["admin"])
    answer = client.post(reverse("console:record_new", args=["networks"]), {"name": "", "slug": "bad slug!"})
    assert answer.status_code == 200 and not AdminAction.objects.exists()


def test_audit_log_filters(client, cast):
    admin = cast["admin"]
    services.person_deactivate(person=cast["mentee_a"], reason=REASON, by=admin)
    services.person_deactivate(person=cast["mentee_b"], reason="Asked to leave the platform", by=admin)
    other_admin = UserFactory(is_superuser=True)
    services.person_site_admin_set(person=cast["mentor_a"], is_admin=True, reason=REASON, by=other_admin)
    client.force_login(admin)
    url = reverse("console:audit_log")
    body = client.get(url).content.decode()
    assert body.count("person.deactivate") >= 2 and "person.site_admin_grant" in body
    body = client.get(url, {"action": "person.site_admin_grant"}).content.decode()
    assert "person.deactivate</code>" not in body and "person.site_admin_grant</code>" in body
    body = client.get(url, {"q": "leave the platform"}).content.decode()
    assert cast["mentee_b"].display_name in body and cast["mentee_a"].display_name not in body
    assert "No entries match" in client.get(url, {"since": "2099-01-01"}).content.decode()
    assert client.get(url, {"since": "not a date"}).status_code == 200


def test_network_coordinators_are_set_on_the_network_and_audited(client, cast):
    network = cast["network"]
    client.force_login(cast["admin"])
    url = reverse("console:record_edit", args=["networks", network.pk])
    assert cast["network_coordinator"].email in client.get(url).content.decode()
    data = {"name": network.name, "slug": network.slug, "description": "", "website": "",
            "coordinator_emails": f"{cast['network_coordinator'].email}\n{cast['mentor_a'].email.upper()}"}
    assert client.post(url, data).status_code == 302
    assert set(network.coordinators.all()) == {cast["network_coordinator"], cast["mentor_a"]}
    assert AdminAction.objects.get(action="network.edit").details == {"fields": ["coordinator_emails"]}
    refused = client.post(url, {**data, "coordinator_emails": "nobody@example.org"})
    assert refused.status_code == 200 and "No account with nobody@example.org" in refused.content.decode()
    assert network.coordinators.count() == 2
