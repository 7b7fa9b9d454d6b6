"""Hardening: rate limits, admin lockout, MFA per role, CSP, production cookies/HSTS, escaping, uploads."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


# --- rate limits and the admin lockout -------------------------------------------------------------


def test_login_is_locked_after_five_failures_for_that_account(client, cast):
    email = cast["mentee_a"].email
    for _ in range(5):
        response = _login(client, email, "wrong-password-123")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    blocked = _login(client, email, PASSWORD)  # the right password, too late
    assert "_auth_user_id" not in client.session
    assert blocked.status_code in {200, 429}
    assert "Too many failed login attempts" in blocked.content.decode()
    # another account from the same address is not locked by that
    assert _login(client, cast["mentee_b"].email, PASSWORD).status_code == 302


def test_a_stranger_cannot_lock_a_person_out(cast):
    from django.test import Client

    email = cast["mentee_a"].email
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(8):
        _login(stranger, email, "wrong-password-123")
    # the stranger's own attempts are stopped, even with the right password ...
    assert "Too many failed login attempts" in _login(stranger, email, PASSWORD).content.decode()
    assert "_auth_user_id" not in stranger.session
    # ... while the person logs in from their own address
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert _login(owner, email, PASSWORD).status_code == 302 and "_auth_user_id" in owner.session


def test_failures_from_one_address_are_limited_across_accounts(cast):
    from django.test import Client

    sprayer = Client(REMOTE_ADDR="203.0.113.10")
    people = [cast[name].email for name in ("mentee_a", "mentee_b", "mentor_a", "other_mentor", "coordinator",
                                            "other_coordinator", "network_coordinator", "admin")]
    answers = [_login(sprayer, email, "wrong-password-123") for email in people * 2]
    assert "Too many failed login attempts" in answers[-1].content.decode()  # 10 a minute per address


@override_settings(ACCOUNT_RATE_LIMITS={"login": "300/m/ip", "login_failed": "10/m/ip,30/h/ip,5/5m/key",
                                        "login_failed_account": "12/h/key"})
def test_guessing_from_many_addresses_is_capped_per_account(cast):
    from django.test import Client

    email = cast["mentee_a"].email
    for i in range(12):  # one guess each from twelve addresses
        _login(Client(REMOTE_ADDR=f"203.0.113.{100 + i}"), email, "wrong-password-123")
    late = Client(REMOTE_ADDR="203.0.113.200")
    assert "Too many failed login attempts" in _login(late, email, PASSWORD).content.decode()
    assert "_auth_user_id" not in late.session


def test_password_reset_is_rate_limited_per_address(client, cast):
    email = cast["mentee_a"].email
    answers = [client.post("/accounts/password/reset/", {"email": email}).status_code for _ in range(7)]
    print(answers)
    assert answers[:5] == [302] * 5  # 5/m per address (ACCOUNT_RATE_LIMITS["reset_password"])
    assert answers[5:] == [429, 429], answers


def test_admin_login_goes_through_allauth_and_its_lockout(client, cast):
    admin = cast["admin"]
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # Django's own admin login form is never processed: posting credentials to it logs nobody in
    client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    for _ in range(5):
        _login(client, admin.email, "not-the-password-1")
    _login(client, admin.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still locked out of the admin


def test_non_staff_cannot_use_the_admin(client, cast):
    client.force_login(cast["coordinator"])
    assert client.get("/admin/").status_code in {302, 403}
    assert client.get("/admin/login/").status_code == 403


# --- MFA per role ----------------------------------------------------------------------------------


@override_settings(MENTORA_MFA_REQUIRED_ROLES=frozenset({"admin", "coordinator"}))
def test_enforced_roles_are_sent_to_set_up_mfa(client, cast):
    client.force_login(cast["coordinator"])
    response = client.get(reverse("home:home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/me")
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    setup = client.get(reverse("mfa_activate_totp"))  # the way out stays open (allauth may reauthenticate)
    assert setup.status_code == 200 or setup["Location"].startswith("/accounts/")

    client.force_login(cast["mentee_a"])  # not an enforced role
    assert client.get(reverse("home:home")).status_code == 200


@override_settings(MENTORA_MFA_REQUIRED_ROLES=frozenset({"admin"}))
def test_enforced_role_with_mfa_passes(client, cast):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=cast["admin"], type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(cast["admin"])
    assert client.get(reverse("home:home")).status_code == 200


def test_no_role_is_enforced_by_default_outside_production(settings):
    assert frozenset() == settings.MENTORA_MFA_REQUIRED_ROLES


# --- headers and production settings ---------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/help/", "/api/docs", "/accounts/login/"])
def test_csp_has_no_unsafe_inline(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
s = {k: getattr(settings, k) for k in ("DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
     "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_HTTPONLY")}
s["SECURE_PROXY_SSL_HEADER"] = list(settings.SECURE_PROXY_SSL_HEADER)
s["MFA"] = sorted(settings.MENTORA_MFA_REQUIRED_ROLES)
s["PROXIES"] = settings.ALLAUTH_TRUSTED_PROXY_COUNT
plain = Client().get("/health/")
proxied = Client().get("/health/", headers={"X-Forwarded-Proto": "https"})
s["plain"] = [plain.status_code, plain.get("Location", "")]
s["proxied"] = [proxied.status_code, proxied.get("Strict-Transport-Security", "")]
print(json.dumps(s))
"""


def test_production_settings_secure_cookies_hsts_and_the_proxy_header(tmp_path):
    env = {**os.environ, "MENTORA_ENV": "production", "SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "testserver",
           "MENTORA_SITE_URL": "https://mentora.example.org", "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}", "MENTORA_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "mentora.config.settings", "MENTORA_TESTING": "0",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    env.pop("MENTORA_HSTS_SECONDS", None)
    env.pop("MENTORA_MFA_REQUIRED_ROLES", None)
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    s = json.loads(result.stdout.strip().splitlines()[-1])
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["MFA"] == ["admin"]
    assert s["PROXIES"] == 1  # rate limits count the client from X-Forwarded-For, not the proxy
    # plain HTTP is sent to HTTPS; a request the proxy marks as HTTPS is served, with HSTS
    assert s["plain"][0] == 301 and s["plain"][1].startswith("https://testserver/health/")
    assert s["proxied"][0] == 200 and "max-age=31536000" in s["proxied"][1]


# --- user text is always escaped -------------------------------------------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_payload_in_names_and_bios_is_escaped_on_pages_and_api(client, cast):
    from mentora.audit.services import access_log_record
    from mentora.notifications.models import Notification

    mentor = cast["mentor_a"]
    mentor.full_name = PAYLOAD
    mentor.save()
    mentor.profile.bio = PAYLOAD
    mentor.profile.headline = PAYLOAD
    mentor.profile.save()
    a = cast["mentee_a"]
    a.full_name = PAYLOAD
    a.save()
    access_log_record(by=mentor, subject=a, records=["notes"], reason=PAYLOAD)
    Notification.objects.create(user=a, kind="message", key="xss", title=PAYLOAD, body=PAYLOAD)

    client.force_login(a)
    for url in [reverse("profiles:profile_detail", args=[mentor.pk]), reverse("home:home"), reverse("audit:access_log_mine"),
                reverse("notifications:notification_list"), reverse("profiles:profile_detail", args=[a.pk])]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
        assert "&lt;script&gt;alert(" in body, url

    api = client.get(f"/api/people/{mentor.pk}")
    assert api["Content-Type"].startswith("application/json") and api["X-Content-Type-Options"] == "nosniff"
    assert api.json()["full_name"] == PAYLOAD  # data stays data; JSON is never rendered as HTML


# --- sensitive data never in the API ----------------------------------------------------------------


def test_api_profile_carries_no_sensitive_or_visa_field(client, cast):
    from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory

    a = cast["mentee_a"]
    SensitiveAttributesFactory(user=a, gender="woman", gender_visibility="directory", race_ethnicity="asian",
                               race_ethnicity_visibility="directory", lgbtq_identity=True)
    ImgDetailsFactory(user=a, visa_status="h1b", j1_waiver_plan="Waiver via the VA", visa_visible_to_mentors=True)
    for viewer in ("mentee_a", "mentor_a", "coordinator", "admin"):
        client.force_login(cast[viewer])
        data = client.get(f"/api/people/{a.pk}").json()
        text = json.dumps(data).lower()
        for word in ("gender", "race", "lgbtq", "visa", "waiver", "h1b", "asian", "woman"):
            assert word not in text, (viewer, word)


# --- uploads ---------------------------------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    # A fixed date inside the archive: the bytes are part of the test's id, which every worker of a parallel
    # run must collect the same (the current time made two workers disagree across a second's boundary).
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kinds", "expected"),
    [
        ("cv.pdf", b"%PDF-1.7\n...", {"pdf"}, "pdf"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, {"png", "jpeg"}, "png"),
        ("mentors.csv", "email,full_name\nana@example.org,Ana Núñez\n".encode(), {"csv", "xlsx"}, "csv"),
        ("mentors.xlsx", _xlsx_bytes(), {"csv", "xlsx"}, "xlsx"),
        ("idp.xml", b'<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:x"/>', {"xml"}, "xml"),
        ("idp.xml", b'\xef\xbb\xbf <md:EntityDescriptor xmlns:md="urn:x" entityID="e"/>', {"xml"}, "xml"),
    ],
)
def test_uploads_are_recognised_by_content(name, content, kinds, expected):
    from mentora.core.uploads import validate_upload

    assert validate_upload(SimpleUploadedFile(name, content), kinds=kinds, max_bytes=1024 * 1024) == expected


@pytest.mark.parametrize(
    ("name", "content", "kinds", "message"),
    [
        ("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00", {"pdf"}, "unrecognised kind of file"),  # an .exe named .pdf
        ("mentors.csv", b"%PDF-1.4 pretending", {"csv"}, "This file is PDF document"),
        ("photo.png", b"<html><script>", {"png"}, "CSV (text) file"),
        ("idp.xml", b"<html><script>", {"xml"}, "CSV (text) file"),
        ("idp.xml", b"%PDF-1.4 pretending", {"xml"}, "This file is PDF document"),
        ("empty.csv", b"", {"csv"}, "The file is empty"),
        ("big.csv", b"a,b\n" * 400, {"csv"}, "too large"),
        ("fake.xlsx", b"PK\x03\x04 not really a zip", {"xlsx"}, "unrecognised"),
    ],
)
def test_uploads_of_the_wrong_kind_or_size_are_refused(name, content, kinds, message):
    from mentora.core.uploads import UploadValidator

    with pytest.raises(ValidationError) as error:
        UploadValidator(kinds=kinds, max_bytes=1000)(SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.messages)


# Characters str.isdigit() calls digits that int() refuses: a page number, a year or an id made of them is
# a bad value (the page's default), never a server error.
NOT_NUMBERS = ["²", "①", "2²"]


@pytest.mark.parametrize("value", NOT_NUMBERS, ids=["superscript", "circled", "mixed"])
def test_numbers_in_the_address_that_are_not_numbers_are_no_server_error(client, cast, value):
    from tests.factories import MentorOfferFactory

    MentorOfferFactory()
    client.force_login(cast["coordinator"])
    program = cast["program"].pk
    for url in (
        reverse("directory:directory") + f"?page={value}",
        reverse("programs:program_people", args=[program]) + f"?year={value}",
        reverse("dataio:account_invitation_list", args=[program]) + f"?batch={value}",
        reverse("ilps:ilp_compliance") + f"?program={value}",
    ):
        assert client.get(url).status_code in {200, 403}, url


def test_an_orcid_of_digits_that_are_not_numbers_is_refused_not_a_server_error():
    from mentora.profiles.forms import _valid_orcid

    assert not _valid_orcid("²²²²-²²²²-²²²²-²²²X")
    assert _valid_orcid("0000-0002-1825-0097")
