"""A real OpenID Connect provider for the sign-on tests: oidc-provider-mock on a local port.

It serves discovery, JWKS, authorize, token and userinfo on http://localhost:PORT, accepts any
client id, and `set_identity(sub, **claims)` decides which claims (email, email_verified,
name) a subject gets. Import these fixtures into a test module or conftest to use them.
"""

import httpx
import pytest
from oidc_provider_mock import run_server_in_thread


@pytest.fixture(scope="session")
def oidc_server():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def set_identity(oidc_server):
    def set_identity(sub: str, **claims):
        response = httpx.put(f"{oidc_server}/users/{sub}", json=claims)
        assert response.status_code == 204, response.text
    return set_identity


@pytest.fixture
def riverside_sign_on(db, oidc_server):
    from mentora.sso.services import institution_sign_on_configure
    from tests.factories import InstitutionFactory

    institution = InstitutionFactory(name="Riverside Health Sciences", slug="riverside")
    return institution_sign_on_configure(
        institution=institution, server_url=oidc_server, client_id="mentora-test", secret="s3cret",
        email_domains=["riverside.edu"],
    )
