"""Every link Mentora writes for outside the browser is on MENTORA_SITE_URL, never the request's host.

Emails (notices, invitations, the erasure confirmation, allauth's password reset, address
confirmation and unknown-account messages), a meeting's .ics, the calendar feed and the feed's
address shown on the settings page are rendered with a site URL set while requests come in by
another (internal) host name; the only hosts found are the site's and the meeting's own video link.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

SITE = "https://mentora.example.edu"
INTERNAL = "mentora-internal.lan:8000"
VIDEO_HOST = "meet.example.org"
HOST = re.compile(r"\b(?:https?|webcal)://([^/\s\"'<>?#]+)", re.IGNORECASE)


@pytest.fixture
def site(settings):
    settings.MENTORA_SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, INTERNAL.split(":")[0]]
    settings.ACCOUNT_RATE_LIMITS = False


def hosts(text: str) -> set[str]:
    return {match.lower() for match in HOST.findall(text)}


def mail_text() -> str:
    parts = []
    for message in mail.outbox:
        parts += [message.subject, message.body, str(message.extra_headers)]
        parts += [str(content) for content, _type in getattr(message, "alternatives", [])]
    return "\n".join(parts)


@pytest.mark.django_db
def test_every_email_ics_and_feed_link_is_on_the_site_url(site, client, cast, django_capture_on_commit_callbacks):
    from mentora.dataio.invitations import account_invitation_send
    from mentora.dataio.models import AccountInvitation
    from mentora.meetings import services as meetings
    from mentora.meetings.calendar import feed_ics, meeting_ics
    from mentora.privacy.services import person_erase
    from mentora.relationships.models import Relationship
    from tests.meetings.conftest import future

    internal = {"HTTP_HOST": INTERNAL}
    written = []
    with django_capture_on_commit_callbacks(execute=True):
        # Notices emailed by the worker (immediate backend here): a meeting scheduled, an invitation.
        relationship = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
        meeting = meetings.meeting_schedule(relationship=relationship, by=cast["mentor_a"], starts_at=future(),
                                            time_zone="America/Chicago", duration_minutes=30, mode="video",
                                            video_url=f"https://{VIDEO_HOST}/abc")
        invitation = AccountInvitation.objects.create(user=cast["mentee_b"], program=cast["program"])
        assert account_invitation_send(invitation_id=invitation.pk) == AccountInvitation.Status.SENT
    # allauth's emails, asked for through the internal host name.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": cast["mentee_a"].email}, **internal)
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, **internal)
        client.post(reverse("account_signup"), {"email": "new.person@example.org", "password1": "a-long-pass-phrase-9",
                                                "password2": "a-long-pass-phrase-9"}, **internal)
    # The calendar: a meeting's .ics, the feed, and the feed's address on the settings page.
    client.force_login(cast["mentee_a"])
    written.append(client.get(reverse("meetings:meeting_ics", args=[meeting.pk]), **internal).content.decode())
    client.post(reverse("meetings:calendar_settings"), {"action": "enable"}, **internal)
    page = client.get(reverse("meetings:calendar_settings"), **internal).content.decode()
    feed_address = re.search(r"https?://[^\s\"'<]+\.ics", page)
    assert feed_address and feed_address.group(0).startswith(f"{SITE}/"), "the feed address is not shown"
    written.append(feed_address.group(0))
    written.append(client.get(reverse("meetings:calendar_feed", args=[cast["mentee_a"].calendar_feed.token]),
                              **internal).content.decode())
    written.append(meeting_ics(meeting, cast["mentor_a"]).decode())
    written.append(feed_ics([meeting], cast["mentor_a"]).decode())
    # The last email to an erased person.
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user=cast["mentee_b"])

    subjects = [message.subject for message in mail.outbox]
    for expected in ("invited", "Password Reset", "Unknown Account", "Confirm Your Email", "erased"):
        assert any(expected.lower() in subject.lower() for subject in subjects), (expected, subjects)
    everything = mail_text() + "\n".join(written)
    assert SITE in everything
    assert hosts(everything) == {"mentora.example.edu", VIDEO_HOST}
    assert INTERNAL.split(":")[0] not in everything and "127.0.0.1" not in everything
    assert all(subject.startswith("[Mentora]") for subject in subjects), subjects
