"""SAML 2.0 sign-in end to end: the Django test client, Mentora's service provider (django-allauth on
python3-saml) and a real identity provider in the test process signing real assertions."""

import base64
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from lxml import etree

from mentora.core.errors import StateConflict
from mentora.sso.selectors import identity_provider_origins
from mentora.sso.services import institution_sign_on_configure, institution_sign_on_configure_saml
from tests.factories import InstitutionFactory, UserFactory
from tests.saml_idp import DISPLAY_NAME, EPPN, GIVEN_NAME, MAIL, SURNAME, KeyPair

User = get_user_model()


def saml_sign_in(client, idp, *, name_id: str, attributes: dict, slug: str = "riverside", **answer):
    """Start at Mentora, let the identity provider answer, post its answer back as the browser would."""
    client.defaults.setdefault("HTTP_HOST", "127.0.0.1")  # a browser always sends Host; python3-saml reads it
    start = client.post(f"/accounts/saml/{slug}/login/")
    assert start.status_code == 302, start.content[:500]
    assert start["Location"].startswith(idp.sso_url)
    form = idp.answer(start["Location"], name_id=name_id, attributes=attributes, **answer)
    acs = urlsplit(form.acs_url)
    assert acs.path == f"/accounts/saml/{slug}/acs/"
    posted = client.post(acs.path, form.data)
    assert posted.status_code == 302, posted.content[:500]
    return client.get(posted["Location"])


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


NADIA = {MAIL: "nadia.haddad@riverside.edu", DISPLAY_NAME: "Nadia Haddad", GIVEN_NAME: "Nadia",
         SURNAME: "Haddad", EPPN: "nhaddad@riverside.edu"}


@pytest.mark.django_db(transaction=True)
def test_first_sign_in_creates_the_account_from_the_mapped_attributes(client, riverside_saml, saml_idp_keys):
    response = saml_sign_in(client, saml_idp_keys, name_id="opaque-7f3a", attributes=NADIA)

    assert response.status_code == 302 and response["Location"] == "/", response.content[:800]
    user = logged_in_user(client)
    assert user.email == "nadia.haddad@riverside.edu" and user.full_name == "Nadia Haddad"
    assert EmailAddress.objects.get(user=user).verified
    account = SocialAccount.objects.get(user=user)
    # the person is known by eduPersonPrincipalName, not by the NameID nor the email address
    assert (account.provider, account.uid) == ("riverside", "nhaddad@riverside.edu")
    assert account.extra_data[EPPN] == ["nhaddad@riverside.edu"]


@pytest.mark.django_db(transaction=True)
def test_next_sign_in_finds_the_person_by_their_identifier(client, riverside_saml, saml_idp_keys):
    saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA)
    person = logged_in_user(client)
    client.logout()
    renamed = {**NADIA, MAIL: "n.haddad@riverside.edu"}  # the directory changed her address
    saml_sign_in(client, saml_idp_keys, name_id="n2", attributes=renamed)
    assert logged_in_user(client) == person
    assert User.objects.count() == 1 and SocialAccount.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_existing_account_is_linked_by_its_address(client, riverside_saml, saml_idp_keys):
    person = UserFactory(email="nadia.haddad@riverside.edu", full_name="Nadia H.")
    saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA)
    assert logged_in_user(client) == person
    person.refresh_from_db()
    assert person.full_name == "Nadia H."  # her own name is kept
    assert SocialAccount.objects.get(user=person).uid == "nhaddad@riverside.edu"


@pytest.mark.django_db(transaction=True)
def test_without_eppn_the_name_id_identifies_the_person(client, riverside_saml, saml_idp_keys):
    attributes = {MAIL: "li.wei@riverside.edu", GIVEN_NAME: "Li", SURNAME: "Wei"}
    saml_sign_in(client, saml_idp_keys, name_id="persistent-li", attributes=attributes)
    user = logged_in_user(client)
    assert user.full_name == "Li Wei"
    assert SocialAccount.objects.get(user=user).uid == "persistent-li"


def _refused(client, response, caplog=None, reason: str = ""):
    """allauth's "sign-in failed" page (401), nobody signed in, nothing created; python3-saml's reason logged."""
    assert response.status_code == 401, response.status_code
    if reason:
        assert any(reason in record.getMessage() for record in caplog.records), [r.getMessage() for r in caplog.records]
    assert logged_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert not User.objects.filter(email="nadia.haddad@riverside.edu").exists()
    return response


@pytest.mark.django_db(transaction=True)
def test_an_unsigned_assertion_is_refused(client, riverside_saml, saml_idp_keys, caplog):
    _refused(client, saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA, sign="none"),
             caplog, "is not signed")


@pytest.mark.django_db(transaction=True)
def test_a_signed_response_around_an_unsigned_assertion_is_refused(client, riverside_saml, saml_idp_keys, caplog):
    _refused(client, saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA, sign="response"),
             caplog, "The Assertion of the Response is not signed")


@pytest.mark.django_db(transaction=True)
def test_a_response_and_assertion_both_signed_is_accepted(client, riverside_saml, saml_idp_keys):
    saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA, sign="both")
    assert logged_in_user(client).email == NADIA[MAIL]


@pytest.mark.django_db(transaction=True)
def test_an_assertion_signed_with_another_key_is_refused(client, riverside_saml, saml_idp_keys, caplog):
    forger = KeyPair.generate("idp.riverside.test")  # same name, not the registered certificate
    _refused(client, saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA, key=forger),
             caplog, "Signature validation failed")


@pytest.mark.django_db(transaction=True)
def test_an_assertion_edited_after_signing_is_refused(client, riverside_saml, saml_idp_keys, caplog):
    victim = UserFactory(email="dean@riverside.edu")
    tampered = saml_sign_in(
        client, saml_idp_keys, name_id="n1", attributes=NADIA,
        tamper=lambda xml: xml.replace(b"nadia.haddad@riverside.edu", b"dean@riverside.edu"),
    )
    _refused(client, tampered, caplog, "Signature validation failed")
    assert not SocialAccount.objects.filter(user=victim).exists()


@pytest.mark.django_db(transaction=True)
def test_an_assertion_for_another_service_is_refused(client, riverside_saml, saml_idp_keys, caplog):
    _refused(client, saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA,
                                  audience="https://other-service.example/sp"), caplog, "not a valid audience")


@pytest.mark.django_db(transaction=True)
def test_an_address_outside_the_institutions_domains_is_refused(client, riverside_saml, saml_idp_keys):
    UserFactory(email="someone@gmail.com")
    response = saml_sign_in(client, saml_idp_keys, name_id="x", attributes={MAIL: "someone@gmail.com"})
    assert response.status_code == 403 and b"riverside.edu" in response.content
    assert logged_in_user(client) is None and not SocialAccount.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_staff_account_is_never_linked_by_its_address(client, riverside_saml, saml_idp_keys):
    admin = UserFactory(email="root@riverside.edu", is_staff=True, is_superuser=True)
    response = saml_sign_in(client, saml_idp_keys, name_id="root", attributes={MAIL: "root@riverside.edu"})
    assert response.status_code == 403 and b"Third-party accounts" in response.content
    assert logged_in_user(client) is None and not SocialAccount.objects.filter(user=admin).exists()


@pytest.mark.django_db(transaction=True)
def test_signup_closed_creates_no_account(client, riverside_saml, saml_idp_keys):
    riverside_saml.allow_signup = False
    riverside_saml.save()
    saml_sign_in(client, saml_idp_keys, name_id="n1", attributes=NADIA)
    assert logged_in_user(client) is None
    assert not User.objects.filter(email="nadia.haddad@riverside.edu").exists()


@pytest.mark.django_db(transaction=True)
def test_a_sign_in_the_identity_provider_starts_by_itself_is_refused(client, riverside_saml, saml_idp_keys,
                                                                     caplog):
    xml = saml_idp_keys.response_xml(
        in_response_to="_unsolicited", acs_url="http://127.0.0.1/accounts/saml/riverside/acs/",
        audience=riverside_saml.app.settings["sp"]["entity_id"], name_id="n1", attributes=NADIA,
        sign="assertion", key=saml_idp_keys.keys,
    )
    root = etree.fromstring(xml)
    del root.attrib["InResponseTo"]  # unsolicited (the assertion itself stays as signed)

    client.defaults.setdefault("HTTP_HOST", "127.0.0.1")
    posted = client.post("/accounts/saml/riverside/acs/",
                         {"SAMLResponse": base64.b64encode(etree.tostring(root)).decode()})
    assert posted.status_code == 302, (posted.status_code, posted.content[:300])
    _refused(client, client.get(posted["Location"]), caplog, "IdP initiated SSO rejected")


@pytest.mark.django_db
def test_switched_off_it_is_neither_listed_nor_startable(client, riverside_saml):
    assert b"Riverside Health Sciences" in client.get("/accounts/login/").content
    riverside_saml.is_enabled = False
    riverside_saml.save()
    assert b"Riverside Health Sciences" not in client.get("/accounts/login/").content
    assert client.post("/accounts/saml/riverside/login/").status_code == 404


@pytest.mark.django_db
def test_login_page_allows_the_identity_providers_origin_in_form_action(client, riverside_saml, saml_idp_keys):
    response = client.get("/accounts/login/")
    assert saml_idp_keys.base_url in response["Content-Security-Policy"].split("form-action")[1].split(";")[0]
    assert identity_provider_origins() == [saml_idp_keys.base_url]


# --- Mentora's metadata and the configuration -------------------------------------------------------


@pytest.mark.django_db
def test_service_provider_metadata_at_a_stable_address(client, riverside_saml, settings):
    riverside_saml.is_enabled = False  # the institution registers Mentora before anyone signs in
    riverside_saml.save()
    response = client.get("/sso/saml/riverside/metadata/")
    assert response.status_code == 200 and "samlmetadata+xml" in response["Content-Type"]
    root = etree.fromstring(response.content)
    ns = {"md": "urn:oasis:names:tc:SAML:2.0:metadata"}
    assert root.get("entityID") == f"{settings.MENTORA_SITE_URL}/sso/saml/riverside/metadata/"
    assert root.get("entityID") == riverside_saml.app.settings["sp"]["entity_id"]
    sp = root.find("md:SPSSODescriptor", ns)
    assert sp.get("WantAssertionsSigned") == "true"
    assert sp.find("md:AssertionConsumerService", ns).get("Location") == (
        f"{settings.MENTORA_SITE_URL}/accounts/saml/riverside/acs/")
    assert client.get("/sso/saml/nowhere/metadata/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_identity_provider_by_metadata_address(client, saml_idp):
    institution = InstitutionFactory(name="Lakeside Medical", slug="lakeside")
    sign_on = institution_sign_on_configure_saml(
        institution=institution, idp_metadata_url=saml_idp.metadata_url, email_domains=["riverside.edu"],
    )
    idp = sign_on.app.settings["idp"]
    assert idp["metadata_url"] == saml_idp.metadata_url and idp["entity_id"] == saml_idp.entity_id
    assert idp["sso_url"] == saml_idp.sso_url
    saml_sign_in(client, saml_idp, name_id="n1", attributes=NADIA, slug="lakeside")
    assert logged_in_user(client).email == NADIA[MAIL]


@pytest.mark.django_db
def test_identity_provider_by_entity_id_address_and_certificate(saml_idp_keys):
    institution = InstitutionFactory(slug="lakeside")
    with pytest.raises(ValidationError) as error:
        institution_sign_on_configure_saml(institution=institution, idp_entity_id="", idp_sso_url="nope",
                                           idp_x509cert="not a certificate", email_domains=["lakeside.org"])
    assert set(error.value.message_dict) == {"idp_entity_id", "idp_sso_url", "idp_x509cert"}
    sign_on = institution_sign_on_configure_saml(
        institution=institution, idp_entity_id=saml_idp_keys.entity_id, idp_sso_url=saml_idp_keys.sso_url,
        idp_x509cert=saml_idp_keys.keys.cert_pem.decode(), email_domains=["lakeside.org"],
        attribute_mapping={"email": "urn:example:email, mail", "uid": ""},
    )
    settings = sign_on.app.settings
    assert settings["idp"]["x509cert"] == saml_idp_keys.keys.cert_body
    assert settings["attribute_mapping"]["email"] == ["urn:example:email", "mail"]
    assert settings["attribute_mapping"]["uid"][0] == EPPN  # left empty: the default
    assert settings["advanced"]["want_assertion_signed"] is True


@pytest.mark.django_db
def test_configuration_refuses_what_cannot_work(saml_idp_keys):
    institution = InstitutionFactory(slug="lakeside")
    with pytest.raises(ValidationError) as error:
        institution_sign_on_configure_saml(institution=institution, idp_metadata_xml="<html>not metadata</html>",
                                           email_domains=["lakeside.org"])
    assert "idp_metadata_xml" in error.value.message_dict
    unsigned_metadata = saml_idp_keys.metadata().split("<md:KeyDescriptor")[0] + (
        saml_idp_keys.metadata().split("</md:KeyDescriptor>")[1])
    with pytest.raises(ValidationError, match="signing certificate"):
        institution_sign_on_configure_saml(institution=institution, idp_metadata_xml=unsigned_metadata,
                                           email_domains=["lakeside.org"])
    with pytest.raises(ValidationError) as error:
        institution_sign_on_configure_saml(institution=institution, idp_metadata_xml=saml_idp_keys.metadata(),
                                           email_domains=[])
    assert "email_domains" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        institution_sign_on_configure_saml(institution=institution, idp_metadata_url="http://127.0.0.1:9/none",
                                           email_domains=["lakeside.org"])
    assert "idp_metadata_url" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        institution_sign_on_configure_saml(institution=institution, attribute_mapping={"shoe_size": "x"},
                                           idp_metadata_xml=saml_idp_keys.metadata(), email_domains=["lakeside.org"])
    assert "attribute_mapping" in error.value.message_dict
    from mentora.sso.models import InstitutionSignOn

    assert not InstitutionSignOn.objects.exists()


@pytest.mark.django_db
def test_one_sign_on_per_institution_whatever_its_protocol(saml_idp_keys):
    institution = InstitutionFactory(slug="lakeside")
    first = institution_sign_on_configure_saml(institution=institution, idp_metadata_xml=saml_idp_keys.metadata(),
                                               email_domains=["lakeside.org"])
    again = institution_sign_on_configure_saml(institution=institution, idp_metadata_xml=saml_idp_keys.metadata())
    assert again.pk == first.pk and again.email_domains == ["lakeside.org"] and again.protocol == "saml"
    with pytest.raises(StateConflict):
        institution_sign_on_configure(institution=institution, server_url="https://login.lakeside.org",
                                      client_id="c", secret="s", email_domains=["lakeside.org"])
