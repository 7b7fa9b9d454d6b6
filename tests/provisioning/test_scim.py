"""SCIM 2.0 provisioning: the bearer token, one institution's records only, accounts created, linked or
refused as sign-on links them, deactivation that keeps data and ends sessions and tokens, filters and
pages as RFC 7644 says, and groups that give program roles."""

import pytest
from django.contrib.auth import get_user_model

from mentora.api.models import ApiToken
from mentora.api.tokens import token_create
from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.provisioning.models import ScimToken, ScimUser
from mentora.provisioning.services import _token_issue
from tests.factories import PASSWORD, InstitutionFactory, MembershipFactory, ProgramFactory, UserFactory

User = get_user_model()
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def person(user_name="nhaddad", email="nadia.haddad@riverside.edu", **extra):
    return {"schemas": [USER], "userName": user_name, "emails": [{"value": email, "primary": True}],
            "name": {"givenName": "Nadia", "familyName": "Haddad"}, **extra}


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic bmFkaWE6cGFzcw==", "Bearer "])
def test_without_the_institutions_token_nothing_answers(client, scim_secret, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/scim/v2/Users", **extra)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == "401"


@pytest.mark.django_db
def test_a_new_token_replaces_the_old_one_which_is_stored_hashed(client, riverside, scim_secret):
    token = ScimToken.objects.get(institution=riverside)
    assert scim_secret not in token.token_hash and token.prefix == scim_secret[:12]
    _, new = _token_issue(institution=riverside)
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {scim_secret}").status_code == 401
    assert client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {new}").status_code == 200


@pytest.mark.django_db
def test_create_makes_an_account_with_a_verified_address(scim):
    response = scim.send("post", "Users", person(externalId="E-1"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["userName"] == "nhaddad" and body["externalId"] == "E-1"
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")
    user = User.objects.get(email="nadia.haddad@riverside.edu")
    assert user.full_name == "Nadia Haddad" and user.is_active and not user.has_usable_password()
    assert user.emailaddress_set.get().verified
    assert scim.get(f"Users/{body['id']}").json()["name"] == {"givenName": "Nadia", "familyName": "Haddad"}
    again = scim.send("post", "Users", person())
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


@pytest.mark.django_db
def test_an_existing_account_at_the_institutions_domain_is_linked_not_duplicated(scim):
    existing = UserFactory(email="nadia.haddad@riverside.edu")
    assert scim.send("post", "Users", person()).status_code == 201
    assert ScimUser.objects.get().user == existing and User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("owner", ["staff", "outside_domain"])
def test_an_account_that_is_not_the_institutions_is_never_taken_over(scim, owner):
    if owner == "staff":
        UserFactory(email="dean@riverside.edu", is_staff=True, is_superuser=True)
        email = "dean@riverside.edu"
    else:
        UserFactory(email="someone@gmail.com")
        email = "someone@gmail.com"
    response = scim.send("post", "Users", person(user_name="x", email=email))
    assert response.status_code == 409, response.content
    assert not ScimUser.objects.exists()


@pytest.mark.django_db
def test_bad_input_is_a_scim_error(scim):
    for body in ({"schemas": [USER], "userName": "x"},  # no email
                 person(user_name=""), person(active="yes")):
        response = scim.send("post", "Users", body)
        assert response.status_code == 400, (body, response.content)
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert not User.objects.exists()


@pytest.mark.django_db
def test_deactivation_keeps_the_data_and_ends_sessions_and_tokens(client, scim, riverside):
    created = scim.send("post", "Users", person()).json()
    user = User.objects.get(email="nadia.haddad@riverside.edu")
    user.set_password(PASSWORD)
    user.save()
    membership = MembershipFactory(user=user, program=ProgramFactory(institution=riverside), role="mentee")
    _, api_secret = token_create(by=user, name="script", scopes=["read"])
    browser = type(client)()
    assert browser.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code == 302
    assert browser.get("/").context["user"] == user

    response = scim.send("patch", f"Users/{created['id']}", {
        "schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]})
    assert response.status_code == 200 and response.json()["active"] is False

    user.refresh_from_db()
    membership.refresh_from_db()
    assert not user.is_active and not membership.is_active
    assert Membership.objects.filter(pk=membership.pk).exists()  # kept, not deleted
    assert not browser.get("/").context["user"].is_authenticated  # signed out
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {api_secret}").status_code == 401

    scim.send("patch", f"Users/{created['id']}", {
        "schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": True}}]})
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.django_db
def test_deactivation_by_one_institution_leaves_a_person_active_elsewhere(scim):
    created = scim.send("post", "Users", person()).json()
    user = User.objects.get(email="nadia.haddad@riverside.edu")
    elsewhere = MembershipFactory(user=user, role="mentee")  # a program of another institution
    scim.send("patch", f"Users/{created['id']}", {
        "schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]})
    user.refresh_from_db()
    elsewhere.refresh_from_db()
    assert user.is_active and elsewhere.is_active


@pytest.mark.django_db
def test_delete_forgets_the_record_and_deactivates_the_account(scim):
    created = scim.send("post", "Users", person()).json()
    assert scim.send("delete", f"Users/{created['id']}", {}).status_code == 204
    assert scim.get(f"Users/{created['id']}").status_code == 404
    user = User.objects.get(email="nadia.haddad@riverside.edu")  # the account and its data stay
    assert not user.is_active


@pytest.mark.django_db
def test_put_replaces_and_a_changed_address_follows(scim):
    created = scim.send("post", "Users", person()).json()
    replaced = scim.send("put", f"Users/{created['id']}", person(email="n.haddad@riverside.edu",
                                                                 displayName="Dr Nadia Haddad"))
    assert replaced.status_code == 200, replaced.content
    user = User.objects.get()
    assert user.email == "n.haddad@riverside.edu" and user.full_name == "Dr Nadia Haddad"
    assert user.emailaddress_set.get().email == "n.haddad@riverside.edu"


@pytest.mark.django_db
def test_filters_and_pages_as_rfc_7644_says(scim):
    for n in range(5):
        scim.send("post", "Users", person(user_name=f"user{n}", email=f"user{n}@riverside.edu"))
    page = scim.get("Users", startIndex=2, count=2).json()
    assert page["totalResults"] == 5 and page["startIndex"] == 2 and page["itemsPerPage"] == 2
    assert [r["userName"] for r in page["Resources"]] == ["user1", "user2"]
    found = scim.get("Users", filter='userName eq "user3"').json()
    assert [r["userName"] for r in found["Resources"]] == ["user3"]
    found = scim.get("Users", filter='emails.value co "user4@" or userName eq "user0"').json()
    assert sorted(r["userName"] for r in found["Resources"]) == ["user0", "user4"]
    assert scim.get("Users", filter='userName zz "x"').status_code == 400
    search = scim.send("post", "Users/.search", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": 'userName sw "user"',
        "attributes": ["userName"], "startIndex": 1, "count": 10})
    assert search.status_code == 200
    assert all(set(r) <= {"id", "schemas", "userName"} for r in search.json()["Resources"])


@pytest.mark.django_db
def test_an_institution_sees_and_changes_only_its_own_records(client, scim, riverside):
    created = scim.send("post", "Users", person()).json()
    lakeside = InstitutionFactory(slug="lakeside")
    _, other = _token_issue(institution=lakeside)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    assert client.get("/scim/v2/Users", **headers).json()["totalResults"] == 0
    assert client.get(f"/scim/v2/Users/{created['id']}", **headers).status_code == 404
    assert client.delete(f"/scim/v2/Users/{created['id']}", **headers).status_code == 404
    # an OR filter does not reach past the institution
    leak = client.get("/scim/v2/Users", {"filter": 'userName eq "nhaddad" or userName eq "x"'}, **headers)
    assert leak.json()["totalResults"] == 0
    assert User.objects.get().is_active


@pytest.mark.django_db
def test_a_mapped_group_gives_its_members_the_program_role(scim, riverside):
    from mentora.provisioning.models import ScimGroup
    from mentora.provisioning.services import scim_group_map

    nadia = scim.send("post", "Users", person()).json()
    li = scim.send("post", "Users", person(user_name="lwei", email="li.wei@riverside.edu")).json()
    group = scim.send("post", "Groups", {"schemas": [GROUP], "displayName": "IM residents 2026",
                                         "members": [{"value": nadia["id"]}]})
    assert group.status_code == 201, group.content
    program = ProgramFactory(institution=riverside)
    admin = UserFactory(is_superuser=True, is_staff=True)
    scim_group_map(group=ScimGroup.objects.get(), program=program, role="mentee", by=admin)
    year = current_academic_year()
    assert Membership.objects.get(program=program, academic_year=year, role="mentee").user.email == (
        "nadia.haddad@riverside.edu")

    scim.send("patch", f"Groups/{group.json()['id']}", {"schemas": [PATCH], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": li["id"]}]},
        {"op": "remove", "path": f'members[value eq "{nadia["id"]}"]'},
    ]})
    active = Membership.objects.filter(program=program, role="mentee", is_active=True)
    assert [m.user.email for m in active] == ["li.wei@riverside.edu"]
    assert scim.send("post", "Groups", {"schemas": [GROUP], "displayName": "x",
                                        "members": [{"value": "not-a-member"}]}).status_code == 400


@pytest.mark.django_db
def test_a_provisioned_persons_copy_holds_their_record_and_erasure_removes_it(scim):
    """The institution's record of a person (its user name, external id, attributes) is theirs: in their copy
    of their data, and gone when they are erased, so the identity system's ids no longer lead to the account."""
    from mentora.core.export_registry import export_person
    from mentora.privacy.services import person_erase

    created = scim.send("post", "Users", person(externalId="E-77")).json()
    user = User.objects.get(email="nadia.haddad@riverside.edu")
    copy = export_person(user)
    records = copy["provisioning_records"]
    assert [(r["user_name"], r["external_id"]) for r in records] == [("nhaddad", "E-77")]
    assert "token_hash" not in str(copy)

    person_erase(user=user)

    assert not ScimUser.objects.filter(user=user).exists()
    assert scim.get(f"Users/{created['id']}").status_code == 404
