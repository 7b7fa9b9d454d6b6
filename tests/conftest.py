"""Shared fixtures. Django imports stay inside fixtures so the pure libraries' tests
(tests/matching, tests/smart) also run with `pytest -p no:django`."""

import pytest

# A local OpenID Connect provider (oidc_server, set_identity, riverside_sign_on) for the sign-on tests.
pytest_plugins = ["tests.oidc_provider", "tests.saml_idp"]


@pytest.fixture(scope="session", autouse=True)
def uploads_of_this_run(request, tmp_path_factory):
    """Uploaded files go to a folder of this run (of this worker, when the suite runs in parallel).

    Not var/uploads: two workers would add and delete the same documents there (the matrix's resource
    rows save one under a fixed name), and the backup tests would archive another worker's files.
    """
    if not request.config.pluginmanager.hasplugin("django"):  # pytest -p no:django (tests/matching)
        yield
        return
    from django.test.utils import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("uploads")):
        yield


@pytest.fixture
def program(db):
    from .factories import ProgramFactory

    return ProgramFactory()


@pytest.fixture
def cast(db, program):
    """The people of one program and one outsider program (tests.factories.make_cast), built for this test."""
    from .factories import make_cast

    return make_cast(program)


@pytest.fixture
def site_admin_client(client, db):
    """The test client signed in as a site admin (the person is `site_admin_client.admin`), for the console's
    pages, addressed at 127.0.0.1 like a browser on the machine."""
    from .factories import UserFactory

    admin = UserFactory(email="admin@mentora.test", is_superuser=True, is_staff=True, full_name="Site Admin")
    client.force_login(admin)
    client.admin = admin
    client.defaults["HTTP_HOST"] = "127.0.0.1"
    return client


@pytest.fixture
def demo_network(db):
    """A small generated demo network with the fixed demo logins."""
    from mentora.demo.network import generate_demo

    return generate_demo(mentees=60, mentors=15, seed=7)
