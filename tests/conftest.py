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


# --- a second pass on another database engine --------------------------------------------------------

# Fixtures through which a test reaches the suite's test database (pytest-django's, and the live server of
# the browser journeys, which serves from it).
_SUITE_DATABASE_FIXTURES = {"_django_db_helper", "django_db_setup", "db", "transactional_db", "live_server"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only", action="store_true",
        help="run only the tests that use the suite's test database: for a second pass of the suite on "
             "another engine (CI's PostgreSQL pass), where tests that use no database, or make their own "
             "(the worker and `make run` processes), would only repeat the first pass",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept, repeated = [], []
    for item in items:
        uses_database = (item.get_closest_marker("django_db") is not None
                         or _SUITE_DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        (kept if uses_database else repeated).append(item)
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = kept
