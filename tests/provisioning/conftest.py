import pytest
from django.core.wsgi import get_wsgi_application


@pytest.fixture
def riverside(db):
    from mentora.sso.services import institution_sign_on_configure
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory(name="Riverside Health Sciences", slug="riverside")
    institution_sign_on_configure(institution=institution, server_url="https://login.riverside.edu",
                                  client_id="mentora", secret="s", email_domains=["riverside.edu"])
    return institution


@pytest.fixture
def scim_secret(riverside):
    from mentora.provisioning.services import _token_issue

    return _token_issue(institution=riverside)[1]


@pytest.fixture
def scim(client, scim_secret):
    """The Django test client speaking SCIM with Riverside's token."""
    import json

    class Scim:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {scim_secret}"}

        def get(self, path, **params):
            return client.get(f"/scim/v2/{path}", params, **self.headers)

        def send(self, method, path, body):
            return getattr(client, method)(f"/scim/v2/{path}", json.dumps(body),
                                           content_type="application/scim+json", **self.headers)

    return Scim()


@pytest.fixture
def scim_wsgi_client(scim_secret):
    """scim2-client's WSGI engine against Mentora's WSGI application (no server, no network)."""
    # Imported here: building scim2's models takes about 6 s, paid only by the worker that runs this.
    from scim2_client.engines.wsgi import WSGISCIMClient

    return WSGISCIMClient(get_wsgi_application(), base_url="http://localhost/scim/v2",
                          headers={"Authorization": f"Bearer {scim_secret}"})
