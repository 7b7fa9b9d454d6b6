"""The demo shows sign-on and provisioning: a SAML sign-on (switched off) and a SCIM group mapped to a role."""

import pytest


@pytest.mark.django_db
def test_demo_has_a_saml_sign_on_and_provisioned_people(demo_network, client):
    from mentora.provisioning.models import ScimGroup, ScimToken
    from mentora.sso.models import InstitutionSignOn

    sign_on = InstitutionSignOn.objects.get()
    assert sign_on.protocol == "saml" and not sign_on.is_enabled
    assert client.get(f"/sso/saml/{sign_on.institution.slug}/metadata/").status_code == 200
    group = ScimGroup.objects.get()
    assert group.is_mapped and group.members.count() == 5
    assert ScimToken.objects.filter(institution=sign_on.institution, revoked_at__isnull=True).count() == 1
