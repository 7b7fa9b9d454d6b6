"""The site admin console's sign-on pages: a form per protocol, "test sign-on" against the real local
providers (nobody signed in, nothing created); every action in the audit log. The SCIM pages are in
tests/provisioning/test_console.py."""

from urllib.parse import urlsplit

import httpx
import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from mentora.audit.models import AdminAction
from mentora.sso.models import InstitutionSignOn
from tests.factories import InstitutionFactory, UserFactory
from tests.saml_idp import DISPLAY_NAME, EPPN, MAIL

User = get_user_model()


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


@pytest.mark.django_db
def test_only_a_site_admin_opens_the_pages(client):
    institution = InstitutionFactory()
    coordinator = UserFactory(is_staff=True)
    client.force_login(coordinator)
    for url in ("/console/sign-on/", f"/console/sign-on/{institution.pk}/saml/"):
        assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_admin_sets_up_oidc_and_tests_it_without_signing_anyone_in(site_admin_client, oidc_server, set_identity):
    institution = InstitutionFactory(name="Riverside Health Sciences", slug="riverside")
    form = site_admin_client.get(f"/console/sign-on/{institution.pk}/openid_connect/")
    assert form.status_code == 200 and b"Issuer URL" in form.content
    refused = site_admin_client.post(f"/console/sign-on/{institution.pk}/openid_connect/", {
        "server_url": oidc_server, "client_id": "mentora-test", "secret": "s3cret", "email_domains": ""})
    assert refused.status_code == 200 and not InstitutionSignOn.objects.exists()
    saved = site_admin_client.post(f"/console/sign-on/{institution.pk}/openid_connect/", {
        "server_url": oidc_server, "client_id": "mentora-test", "secret": "s3cret",
        "email_domains": "riverside.edu, med.riverside.edu", "allow_signup": "on"})
    assert saved.status_code == 302, saved.content[:2000]
    sign_on = InstitutionSignOn.objects.get()
    assert sign_on.email_domains == ["med.riverside.edu", "riverside.edu"] and not sign_on.is_enabled
    assert sign_on.app.secret == "s3cret"

    # the page's "test sign-on" form may lead to the provider, switched off as it is; the login page may not
    page = site_admin_client.get(f"/console/sign-on/{institution.pk}/openid_connect/")
    assert oidc_server in page["Content-Security-Policy"].split("form-action")[1].split(";")[0]
    assert oidc_server not in site_admin_client.get("/accounts/login/")["Content-Security-Policy"]

    set_identity("sub-amara", email="amara.okafor@riverside.edu", email_verified=True, name="Amara Okafor")
    start = site_admin_client.post(f"/console/sign-on/{institution.pk}/test/")
    assert start.status_code == 302 and start["Location"].startswith(oidc_server)
    answer = httpx.post(start["Location"], data={"sub": "sub-amara"})
    callback = urlsplit(answer.headers["location"])
    back = site_admin_client.get(f"{callback.path}?{callback.query}")
    assert back.status_code == 302 and back["Location"] == f"/console/sign-on/{institution.pk}/test/result/"
    result = site_admin_client.get(back["Location"]).content.decode()
    assert "amara.okafor@riverside.edu" in result and "Amara Okafor" in result and "sub-amara" in result
    assert "create an account for amara.okafor@riverside.edu" in result
    # the admin is still themself; nobody was created or linked
    assert logged_in_user(site_admin_client) == site_admin_client.admin
    assert not User.objects.filter(email="amara.okafor@riverside.edu").exists()
    assert not SocialAccount.objects.exists()
    # and the sign-on, still switched off, signs nobody in outside a test
    assert site_admin_client.post("/accounts/oidc/riverside/login/").status_code == 404

    actions = list(AdminAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["signon.oidc_save", "signon.test"]
    assert AdminAction.objects.first().actor == site_admin_client.admin
    assert "s3cret" not in str(AdminAction.objects.first().details)


@pytest.mark.django_db(transaction=True)
def test_a_test_shows_a_refusal_it_would_make(site_admin_client, oidc_server, set_identity):
    institution = InstitutionFactory(slug="riverside")
    site_admin_client.post(f"/console/sign-on/{institution.pk}/openid_connect/", {
        "server_url": oidc_server, "client_id": "c", "secret": "s", "email_domains": "riverside.edu",
        "is_enabled": "on"})
    set_identity("sub-x", email="someone@gmail.com", email_verified=True)
    start = site_admin_client.post(f"/console/sign-on/{institution.pk}/test/")
    callback = urlsplit(httpx.post(start["Location"], data={"sub": "sub-x"}).headers["location"])
    page = site_admin_client.get(site_admin_client.get(f"{callback.path}?{callback.query}")["Location"]).content.decode()
    assert "refuse" in page and "riverside.edu" in page
    assert logged_in_user(site_admin_client) == site_admin_client.admin


def test_the_saml_metadata_file_is_checked_by_content():
    from mentora.sso.forms import SamlForm

    form = SamlForm({"email_domains": "riverside.edu"}, {
        "idp_metadata_file": SimpleUploadedFile("idp.xml", b"<html><script>alert(1)</script></html>")})
    assert not form.is_valid() and "This file is CSV (text) file; upload a" in form.errors["idp_metadata_file"][0]


@pytest.mark.django_db(transaction=True)
def test_admin_sets_up_saml_from_a_metadata_file_and_tests_it(site_admin_client, saml_idp_keys):
    institution = InstitutionFactory(name="Lakeside Medical", slug="lakeside")
    saved = site_admin_client.post(f"/console/sign-on/{institution.pk}/saml/", {
        "idp_metadata_file": SimpleUploadedFile("idp.xml", saml_idp_keys.metadata().encode()),
        "attr_name": "urn:oid:2.16.840.1.113730.3.1.241", "email_domains": "riverside.edu", "is_enabled": "on"})
    assert saved.status_code == 302, saved.content[:3000]
    sign_on = InstitutionSignOn.objects.get()
    assert sign_on.protocol == "saml" and sign_on.app.settings["idp"]["entity_id"] == saml_idp_keys.entity_id
    page = site_admin_client.get(f"/console/sign-on/{institution.pk}/saml/").content.decode()
    assert "/sso/saml/lakeside/metadata/" in page and "Test sign-on" in page

    start = site_admin_client.post(f"/console/sign-on/{institution.pk}/test/")
    form = saml_idp_keys.answer(start["Location"], name_id="n1", attributes={
        MAIL: "nadia@riverside.edu", DISPLAY_NAME: "Nadia Haddad", EPPN: "nhaddad@riverside.edu"})
    posted = site_admin_client.post(urlsplit(form.acs_url).path, form.data)
    back = site_admin_client.get(posted["Location"])
    result = site_admin_client.get(back["Location"]).content.decode()
    assert "nhaddad@riverside.edu" in result and EPPN in result and "Nadia Haddad" in result
    assert logged_in_user(site_admin_client) == site_admin_client.admin
    assert not User.objects.filter(email="nadia@riverside.edu").exists()


@pytest.mark.django_db
def test_saml_form_errors_land_on_the_fields(site_admin_client):
    institution = InstitutionFactory(slug="lakeside")
    response = site_admin_client.post(f"/console/sign-on/{institution.pk}/saml/", {
        "idp_entity_id": "https://idp.example.edu", "idp_sso_url": "https://idp.example.edu/sso",
        "idp_x509cert": "not a certificate", "email_domains": "example.edu"})
    assert response.status_code == 200
    assert "idp_x509cert" in response.context["form"].errors
    assert not InstitutionSignOn.objects.exists() and not AdminAction.objects.exists()


@pytest.mark.django_db
def test_removing_a_sign_on_is_recorded(site_admin_client, saml_idp_keys):
    from mentora.sso.services import institution_sign_on_configure_saml

    institution = InstitutionFactory(slug="lakeside")
    institution_sign_on_configure_saml(institution=institution, idp_metadata_xml=saml_idp_keys.metadata(),
                                       email_domains=["lakeside.org"])
    assert site_admin_client.post(f"/console/sign-on/{institution.pk}/remove/").status_code == 302
    assert not InstitutionSignOn.objects.exists()
    assert AdminAction.objects.get().action == "signon.remove"

