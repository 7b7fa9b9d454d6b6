"""Self-service sign-up: it reveals no account, production keeps it closed unless a setting opens it
(optionally for some email domains only), and invited people still create their account."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

import mentora
from tests.factories import PASSWORD, UserFactory

User = get_user_model()
SIGNUP = "/accounts/signup/"
NEW_PASSWORD = "a-long-new-passphrase-42"


def _sign_up(client, email):
    return client.post(SIGNUP, {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def _page_text(response, address: str) -> str:
    """The visible answer, with the typed address, the per-request CSRF token and nonce left out."""
    body = response.content.decode().replace(address, "ADDRESS")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    body = re.sub(r'"X-CSRFToken": "[^"]*"', "", body)
    return re.sub(r'nonce="[^"]*"', "", body)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    from django.core.cache import cache

    cache.clear()


@override_settings(MENTORA_ALLOW_SIGNUPS=True, MENTORA_SIGNUP_DOMAINS=[])
def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(db):
    owner = UserFactory(email="amara.okafor@riverside.edu")
    taken, fresh = Client(), Client()

    taken_answer = _sign_up(taken, "Amara.Okafor@riverside.edu")
    fresh_answer = _sign_up(fresh, "nadia.haddad@riverside.edu")

    assert taken_answer.status_code == fresh_answer.status_code == 302
    assert taken_answer["Location"] == fresh_answer["Location"] == reverse("account_email_verification_sent")
    taken_page, fresh_page = taken.get(taken_answer["Location"]), fresh.get(fresh_answer["Location"])
    assert _page_text(taken_page, "amara.okafor@riverside.edu") == _page_text(fresh_page, "nadia.haddad@riverside.edu")
    for answer in (taken_answer, taken_page):
        assert "already registered" not in answer.content.decode()
    # Nobody is logged in by signing up; the existing account is untouched; no second account.
    assert "_auth_user_id" not in taken.session and "_auth_user_id" not in fresh.session
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert User.objects.filter(email__iexact="amara.okafor@riverside.edu").count() == 1
    # Only the mailboxes learn the difference: the owner is told they already have an account.
    to_owner = [m for m in mail.outbox if m.to == ["amara.okafor@riverside.edu"]]
    to_new = [m for m in mail.outbox if m.to == ["nadia.haddad@riverside.edu"]]
    assert len(to_owner) == 1 and "already" in to_owner[0].body.lower()
    assert len(to_new) == 1 and "confirm" in to_new[0].subject.lower()


@override_settings(MENTORA_ALLOW_SIGNUPS=True, MENTORA_SIGNUP_DOMAINS=[])
def test_a_signed_up_person_logs_in_only_after_confirming_their_address(db):
    client = Client()
    _sign_up(client, "nadia.haddad@riverside.edu")
    refused = client.post(reverse("account_login"), {"login": "nadia.haddad@riverside.edu",
                                                     "password": NEW_PASSWORD})
    assert refused.status_code == 302 and refused["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(email="nadia.haddad@riverside.edu").verified
    client.post(reverse("account_login"), {"login": "nadia.haddad@riverside.edu", "password": NEW_PASSWORD})
    assert client.session["_auth_user_id"] == str(User.objects.get(email="nadia.haddad@riverside.edu").pk)


@override_settings(MENTORA_ALLOW_SIGNUPS=False)
def test_closed_sign_up_creates_nobody_and_says_so(client, db):
    page = client.get(SIGNUP)
    assert "closed" in page.content.decode().lower()
    _sign_up(client, "stranger@example.org")
    assert not User.objects.filter(email="stranger@example.org").exists()
    assert "Create an account" not in client.get("/").content.decode()
    login_page = client.get(reverse("account_login")).content.decode()
    assert SIGNUP not in login_page and "by invitation" in login_page


@override_settings(MENTORA_ALLOW_SIGNUPS=True, MENTORA_SIGNUP_DOMAINS=[])
def test_open_sign_up_creates_the_account(client, db):
    assert "Create an account" in client.get("/").content.decode()
    assert SIGNUP in client.get(reverse("account_login")).content.decode()
    _sign_up(client, "stranger@example.org")
    assert User.objects.filter(email="stranger@example.org").exists()


@override_settings(MENTORA_ALLOW_SIGNUPS=True, MENTORA_SIGNUP_DOMAINS=["riverside.edu", "lakeside.org"])
def test_sign_up_is_limited_to_the_listed_domains(client, db):
    refused = _sign_up(client, "stranger@gmail.com")
    assert refused.status_code == 200
    assert "riverside.edu" in refused.content.decode() and "lakeside.org" in refused.content.decode()
    assert not User.objects.filter(email="stranger@gmail.com").exists()
    _sign_up(client, "resident@Lakeside.org")
    assert User.objects.filter(email="resident@lakeside.org").exists()
    _sign_up(Client(), "someone@evil-riverside.edu")  # a look-alike is not the domain
    assert not User.objects.filter(email="someone@evil-riverside.edu").exists()


@override_settings(MENTORA_ALLOW_SIGNUPS=False)
def test_an_invited_person_creates_their_account_while_sign_up_is_closed(client, program,
                                                                         django_capture_on_commit_callbacks):
    from mentora.dataio.invitations import account_invitation_send
    from mentora.dataio.models import AccountInvitation

    person = User.objects.create_user(email="invited.resident@riverside.edu", full_name="Invited Resident")
    person.set_unusable_password()
    person.save()
    invitation = AccountInvitation.objects.create(user=person, program=program)
    with django_capture_on_commit_callbacks(execute=True):
        assert account_invitation_send(invitation_id=invitation.pk) == AccountInvitation.Status.SENT
    body = next(m.body for m in mail.outbox if m.to == [person.email])
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    form = client.get(path, follow=True)
    assert form.status_code == 200
    client.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    client.post(reverse("account_login"), {"login": person.email, "password": NEW_PASSWORD})
    assert client.session.get("_auth_user_id") == str(person.pk)


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from allauth.account.adapter import get_adapter
request = RequestFactory().get("/accounts/signup/")
print(json.dumps({"open": get_adapter(request).is_open_for_signup(request),
                  "domains": settings.MENTORA_SIGNUP_DOMAINS}))
"""


def _production(tmp_path, **extra) -> dict:
    env = {**os.environ, "MENTORA_ENV": "production", "SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "testserver",
           "MENTORA_SITE_URL": "https://mentora.example.org",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "MENTORA_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "mentora.config.settings", "MENTORA_TESTING": "0",
           "PYTHONPATH": str(Path(mentora.__file__).resolve().parents[1])}  # this checkout's code
    for name in ("MENTORA_ALLOW_SIGNUPS", "MENTORA_SIGNUP_DOMAINS"):
        env.pop(name, None)
    env.update(extra)
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    return {"returncode": result.returncode, "stderr": result.stderr,
            **(json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 else {})}


def test_production_is_invitation_only_unless_a_setting_opens_sign_up(tmp_path):
    closed = _production(tmp_path)
    assert closed["returncode"] == 0, closed["stderr"]
    assert closed["open"] is False

    opened = _production(tmp_path, MENTORA_ALLOW_SIGNUPS="1", MENTORA_SIGNUP_DOMAINS="Riverside.edu, @lakeside.org")
    assert opened["open"] is True and opened["domains"] == ["lakeside.org", "riverside.edu"]

    wrong = _production(tmp_path, MENTORA_ALLOW_SIGNUPS="yes please")
    assert wrong["returncode"] != 0 and "MENTORA_ALLOW_SIGNUPS" in wrong["stderr"]
