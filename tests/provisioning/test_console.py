"""The site admin console's SCIM provisioning pages (/console/provisioning/): every institution with its
token, one institution's token (shown once) and group roles; every action in the audit log."""

import pytest

from mentora.audit.models import AdminAction
from tests.factories import InstitutionFactory, ProgramFactory, UserFactory


@pytest.mark.django_db
def test_only_a_site_admin_opens_the_pages(client):
    institution = InstitutionFactory()
    coordinator = UserFactory(is_staff=True)
    client.force_login(coordinator)
    for url in ("/console/provisioning/", f"/console/provisioning/{institution.pk}/"):
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_the_list_shows_each_institutions_token_and_the_console_has_its_section(site_admin_client):
    from mentora.provisioning.services import scim_token_create

    riverside, lakeside = InstitutionFactory(name="Riverside"), InstitutionFactory(name="Lakeside")
    token, _ = scim_token_create(institution=riverside, by=site_admin_client.admin)
    page = site_admin_client.get("/console/provisioning/").content.decode()
    assert f"SCIM token {token.prefix}…" in page
    assert f'href="/console/provisioning/{lakeside.pk}/">Set up SCIM' in page
    assert 'href="/console/provisioning/"' in site_admin_client.get("/console/").content.decode()
    assert token.prefix not in site_admin_client.get("/console/sign-on/").content.decode()


@pytest.mark.django_db
def test_scim_token_made_shown_once_and_groups_mapped_from_the_console(site_admin_client, client):
    from mentora.programs.models import Membership
    from mentora.provisioning.models import ScimGroup, ScimUser

    institution = InstitutionFactory(slug="riverside")
    program = ProgramFactory(institution=institution, name="IM Residency")
    page = site_admin_client.post(f"/console/provisioning/{institution.pk}/", {"action": "token_create"})
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()
    assert secret not in site_admin_client.get(f"/console/provisioning/{institution.pk}/").content.decode()
    assert site_admin_client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    person = ScimUser.objects.create(institution=institution, user=UserFactory(), user_name="p1")
    group = ScimGroup.objects.create(institution=institution, display_name="IM residents")
    group.members.add(person)
    site_admin_client.post(f"/console/provisioning/{institution.pk}/", {
        "action": "map", "group": group.pk, "program": program.pk, "role": "mentee"})
    assert Membership.objects.get(user=person.user, program=program).role == "mentee"

    site_admin_client.post(f"/console/provisioning/{institution.pk}/", {"action": "token_revoke"})
    assert site_admin_client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert list(AdminAction.objects.order_by("pk").values_list("action", flat=True)) == [
        "provisioning.token_create", "provisioning.group_map", "provisioning.token_revoke"]
