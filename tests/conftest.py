"""Shared fixtures. Django imports stay inside fixtures so the pure libraries' tests
(tests/matching, tests/smart) also run with `pytest -p no:django`."""

import shutil

import pytest

# A local OpenID Connect provider (oidc_server, set_identity, riverside_sign_on) for the sign-on tests.
pytest_plugins = ["tests.oidc_provider", "tests.saml_idp"]


def pytest_collection_finish(session):
    """Every test module and the code it imports are loaded: they live as long as the run, so the garbage
    collector stops scanning them, as a started Mentora process does (mentora.core.startup). And it looks for
    cycles after 10,000 new objects rather than 700: a test makes and drops many (requests, querysets,
    templates), and the collections' time in the matrix, meetings and directory tests goes from 12.8 s
    (neither) through 9.1 s (frozen) to 5.0 s (both) of about 85 s."""
    import gc

    from mentora.core import startup

    startup.started()
    gc.set_threshold(10_000, *gc.get_threshold()[1:])


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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings, request, django_db_blocker, tmp_path_factory):
    """When the suite runs in parallel, the migrations run once, not once per worker. On SQLite see
    _migrate_sqlite_once. On PostgreSQL: the first worker migrates a template database, and each
    worker's test database is made from it (CREATE DATABASE ... TEMPLATE), where Django's migrate then finds
    nothing to apply: every migration runs once, not once per worker (about 12 s of CPU each). The template is
    dropped when the run ends (pytest_sessionfinish)."""
    import fcntl

    from django.db import connection

    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if worker is None:
        return
    shared = tmp_path_factory.getbasetemp().parent  # the run's, above each worker's own
    if connection.vendor == "sqlite" and connection.settings_dict["TEST"].get("NAME") == ":memory:":
        _migrate_sqlite_once(shared)
        return
    if connection.vendor != "postgresql":
        return
    template = f"test_{connection.settings_dict['NAME']}_template"
    with open(shared / "postgres-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait here while the first one migrates
        made = shared / "postgres-template"
        if not made.exists():
            with django_db_blocker.unblock():
                _migrate_postgres_template(connection, template)
            made.write_text(template)
    connection.settings_dict["TEST"]["TEMPLATE"] = template


def _migrate_sqlite_once(shared) -> None:
    """On SQLite, when the suite runs in parallel: the first worker to get here migrates its in-memory test
    database and leaves a copy of it (django_db_setup); the others wait for that copy and load it where Django's
    test setup would migrate (its `migrate` command, replaced for that one call), saving each of them the
    migrations (about 14 s of CPU). What follows is Django's as usual (the cache table, the connection)."""
    import fcntl

    import django.core.management

    made = shared / "sqlite-migrated.sqlite3"
    lock = open(shared / "sqlite-migrated.lock", "w")  # noqa: SIM115 (held until the copy is made)
    fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while the first one migrates
    if not made.exists():
        _NEW_SQLITE["share"] = (made, lock)  # django_db_setup writes the copy, then lets the others go
        return
    lock.close()
    call_command = django.core.management.call_command

    def migrate_by_loading_the_copy(name, *args, **options):
        if name != "migrate":
            return call_command(name, *args, **options)
        import sqlite3

        from django.db import connections

        django.core.management.call_command = call_command  # once: this is the test database's migrate
        target = connections[options.get("database", "default")]
        target.ensure_connection()
        source = sqlite3.connect(made)
        try:
            source.backup(target.connection)
        finally:
            source.close()

    django.core.management.call_command = migrate_by_loading_the_copy


def _migrate_postgres_template(connection, template: str) -> None:
    """Django's own test database creation (every migration, the cache table), under the template's name; the
    connection is closed after it, as CREATE DATABASE ... TEMPLATE requires."""
    test = connection.settings_dict["TEST"]
    name, test_name = connection.settings_dict["NAME"], test.get("NAME")
    test["NAME"] = template
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        from django.conf import settings

        connection.close()
        connection.settings_dict["NAME"], test["NAME"] = name, test_name
        settings.DATABASES[connection.alias]["NAME"] = name  # (create_test_db names it in both)


def pytest_sessionfinish(session):
    """The run's PostgreSQL template (django_db_modify_db_settings), dropped once every worker is done."""
    if hasattr(session.config, "workerinput"):
        return
    made = session.config._tmp_path_factory.getbasetemp() / "postgres-template"
    if not made.exists():
        return
    import psycopg
    from django.db import connection

    options = connection.settings_dict
    with psycopg.connect(dbname="postgres", host=options["HOST"] or None, port=options["PORT"] or None,
                         user=options["USER"] or None, password=options["PASSWORD"] or None,
                         autocommit=True) as maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{made.read_text()}"')
    made.unlink()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """pytest-django's test database; on SQLite also kept as a file the moment it is made (migrated_sqlite).
    A transactional test's flush puts back what post_migrate writes without running it (flush_and_restore)."""
    from django.db import connection
    from django.test import TransactionTestCase

    # pytest-django makes the test database only when a collected test uses it; the settings' file is not it.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with django_db_blocker.unblock():
            _NEW_SQLITE["path"] = _copy_sqlite(connection, tmp_path_factory.mktemp("migrated-sqlite"))
        if "share" in _NEW_SQLITE:  # the first worker (_migrate_sqlite_once): the others load this copy
            made, lock = _NEW_SQLITE.pop("share")
            shutil.copyfile(_NEW_SQLITE["path"], made.with_suffix(".partial"))
            made.with_suffix(".partial").rename(made)
            lock.close()
    djangos = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = _restoring_post_migrate_rows(djangos)
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = djangos


def _restoring_post_migrate_rows(djangos):
    """TransactionTestCase's end (a transactional test's, a browser journey's) with flush_and_restore for
    Django's flush; a test that flushes only some apps or reloads serialized rows ends as Django ends it."""

    def _fixture_teardown(test_case) -> None:
        if test_case.available_apps is not None or test_case.serialized_rollback:
            return djangos(test_case)
        for alias in test_case._databases_names(include_mirrors=False):
            flush_and_restore(alias)
        return None

    return _fixture_teardown


# The rows post_migrate writes into a database `flush` has emptied (content types and permissions), read once
# per process and database after Django's own flush: {alias: [(model, [instances])]}.
_POST_MIGRATE_ROWS: dict[str, list] = {}


def flush_and_restore(alias: str = "default") -> None:
    """Empty the database as Django's flush does after a transactional test, and leave in it what post_migrate
    writes there, without sending the signal.

    Django's flush sends post_migrate, whose receivers query and write every app's content types and
    permissions again (about 300 queries, 0.2 s of CPU on PostgreSQL, half that on SQLite, after each of the
    suite's 113 transactional tests and browser journeys, in both passes). They write the same rows every time:
    what depends only on the installed models. So the first flush in a process is Django's; the rows it left
    are read then, and later flushes empty the tables as Django's does and insert those rows again, with the
    same primary keys (tests/core/test_flush.py compares the two)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    rows = _POST_MIGRATE_ROWS.get(alias)
    call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False,
                 allow_cascade=False, inhibit_post_migrate=rows is not None)
    if rows is None:
        _POST_MIGRATE_ROWS[alias] = [
            (model, list(model._base_manager.using(alias).order_by("pk")))
            for model in apps.get_models(include_auto_created=True)
            if model._base_manager.using(alias).exists()
        ]
        return
    with transaction.atomic(using=alias):
        for model, instances in rows:
            model._base_manager.using(alias).bulk_create(instances)
    ContentType.objects.clear_cache()  # as post_migrate's create_contenttypes does


_NEW_SQLITE: dict = {}


def _copy_sqlite(connection, directory):
    """The test database, new (every migration applied, no rows), copied to a file as `mentora migrate` leaves
    one: without the cache table Django's test setup adds (`make run` makes it with createcachetable)."""
    import sqlite3

    connection.ensure_connection()
    assert not connection.in_atomic_block
    target = directory / "mentora.sqlite3"
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        copy.execute("DROP TABLE IF EXISTS mentora_cache")
        copy.commit()
    finally:
        copy.close()
    return target


@pytest.fixture(scope="session")
def migrated_sqlite(request, tmp_path_factory):
    """A SQLite file with every migration applied and no rows, as `mentora migrate` leaves a new one, for the
    tests that run Mentora's processes on a database of their own: each copies it (migrating a new file
    costs about 13 s of CPU).

    On SQLite it is the suite's test database, copied when pytest-django made it with migrate, before any
    test wrote to it; asked for while this fixture runs, not declared, so that the tests using it are not
    taken for tests of the suite's database (--database-tests-only). With the suite on another engine, or
    no test of the run using its database, `mentora migrate` makes it.
    """
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "mentora.core.sqlite":
        request.getfixturevalue("django_db_setup")
        if "path" in _NEW_SQLITE:
            return _NEW_SQLITE["path"]
    from tests.core.processes import Site

    site = Site(tmp_path_factory.mktemp("migrated-sqlite"))
    site.mentora("migrate", "--no-input", "-v", "0")
    return site.directory / "var" / "mentora.sqlite3"


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, answering one request at a time while the suite's database is SQLite in
    memory. Each of its threads then has its own connection to that one shared-cache database, where SQLite
    locks whole tables and refuses at once, without waiting, a read of a table another connection is writing
    ("database table is locked"): two requests at once failed so (tests/core/test_live_server.py). The
    browser still sends its requests together; they wait their turn."""
    server = live_server.thread.httpd
    server.set_app(_OneRequestAtATimeOnSQLiteInMemory(server.get_app()))
    return live_server


class _OneRequestAtATimeOnSQLiteInMemory:
    """A WSGI application that, while the database is SQLite in memory, runs one request at a time: the
    response is made and closed (which ends the request for Django) before the next one starts, and sent
    after, so that a browser slow to read one never holds the others up."""

    def __init__(self, application):
        import threading

        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        from django.db import connection

        if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
            return self.application(environ, start_response)
        with self.lock:
            body = self.application(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                if hasattr(body, "close"):
                    body.close()


@pytest.fixture
def program(request, db):
    """A program; in a test that also takes the `cast`, the cast's own program (`cast["program"]`)."""
    if "cast" in request.fixturenames:
        return request.getfixturevalue("cast")["program"]
    from .factories import ProgramFactory

    return ProgramFactory()


@pytest.fixture
def cast(_cast_of_module, db):
    """The people of one program and one outsider program (tests.factories.make_cast).

    Built once for the module's tests (see _ModuleCast): this test gets its own copies of the instances,
    and its writes are rolled back after it. A transactional test gets a cast built for it alone.
    """
    if _cast_of_module.is_open:
        return _cast_of_module.copy()
    from .factories import make_cast

    return make_cast()


class _ModuleCast:
    """The cast of one test module, built once inside a transaction held open between the module's tests
    and rolled back when the module ends, as Django's TestCase.setUpTestData does (and the authorization
    matrix, tests/trust/test_matrix.py).

    A test that takes the cast runs in a savepoint on top of that transaction (pytest-django's `db`,
    rolled back after the test) and gets a deep copy of the instances as make_cast returned them, so
    neither its writes nor what it changes on the instances reach the next test. Before any other test
    that uses the database (a transactional one, whose writes are committed and which flushes the
    database after it, or one without the cast, which must not see the cast's rows), the transaction is
    rolled back; the next test that takes the cast builds it again (pytest_runtest_setup below).
    """

    def __init__(self, module, django_db_blocker):
        self.module = module
        self._blocker = django_db_blocker
        self._outer = None
        self._built: dict | None = None
        self.builds = 0  # how many times this module's cast was built (tests/core/test_cast_fixture.py)

    @property
    def is_open(self) -> bool:
        return self._outer is not None

    def open(self) -> None:
        if self.is_open:
            return
        from django.db import transaction

        from .factories import make_cast

        with self._blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                self._built = make_cast()
            except BaseException:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
                raise
        self._outer = outer
        self.builds += 1

    def close(self) -> None:
        if not self.is_open:
            return
        from django.db import transaction

        with self._blocker.unblock():
            transaction.set_rollback(True)
            self._outer.__exit__(None, None, None)
        self._outer, self._built = None, None

    def copy(self) -> dict:
        import copy

        return copy.deepcopy(self._built)


# The module casts alive (one at most: a module's fixtures end before the next module's tests start).
_MODULE_CASTS: list[_ModuleCast] = []
# Whether the test being set up takes the cast inside the module's transaction (set before its fixtures).
_TAKES_MODULE_CAST = {"now": False}


@pytest.fixture(scope="module")
def _cast_of_module(request, django_db_setup, django_db_blocker):
    holder = _ModuleCast(request.module, django_db_blocker)
    _MODULE_CASTS.append(holder)
    try:
        if _TAKES_MODULE_CAST["now"]:
            holder.open()
        yield holder
    finally:
        holder.close()
        _MODULE_CASTS.remove(holder)


def _is_transactional(item) -> bool:
    """Whether pytest-django runs the test as a TransactionTestCase (its own rule, _django_db_helper)."""
    from pytest_django.fixtures import validate_django_db

    names = set(getattr(item, "fixturenames", ()))
    if names & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return bool(transaction or reset_sequences)


def _uses_suite_database(item) -> bool:
    return (item.get_closest_marker("django_db") is not None
            or bool(_SUITE_DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))))


@pytest.fixture(autouse=True)
def _cache_emptied_with_the_database(request):
    """A transactional test starts with an empty cache, as with the database the previous one emptied: the
    suite's cache is a table that emptying the database leaves alone, and with it, for example, the sign-in
    rate limit's count of this machine's sign-ins ("30/m/ip"), which a worker's browser journeys reached
    together in under a minute (429 Too Many Requests). Other tests' cache writes are rolled back with them."""
    if not _is_transactional(request.node):
        return
    request.getfixturevalue("_django_db_helper")  # (the test's database, set up as it would be anyway)
    from django.core.cache import cache

    cache.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures: keep the module's cast open for a test that takes it in a savepoint,
    close it before any other test that uses the database (see _ModuleCast)."""
    takes = "cast" in getattr(item, "fixturenames", ()) and not _is_transactional(item)
    _TAKES_MODULE_CAST["now"] = takes
    for holder in _MODULE_CASTS:
        if takes and holder.module is getattr(item, "module", None):
            holder.open()
        elif _uses_suite_database(item) or holder.module is not getattr(item, "module", None):
            holder.close()


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
             "another engine (CI's PostgreSQL pass), where tests that use no database, make their own "
             "(the worker and `make run` processes) or go through both engines themselves (marked both_engines: "
             "the backup round trip) would only repeat the first pass",
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    collected = {id(item): index for index, item in enumerate(items)}  # (xdist's loadgroup renames items)
    result = yield  # pytest-django's own order: transactional tests after all others
    _keep_file_order(items, collected)
    _only_database_tests(config, items)
    return result


def _keep_file_order(items, collected) -> None:
    """The tests of a module marked `in_file_order` run together, in the order of the file."""
    marked = [item for item in items if item.get_closest_marker("in_file_order") is not None]
    if not marked:
        return
    first = items.index(marked[0])
    rest = [item for item in items if item.get_closest_marker("in_file_order") is None]
    items[:] = rest[:first] + sorted(marked, key=lambda item: collected[id(item)]) + rest[first:]


def _only_database_tests(config, items) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept, repeated = [], []
    for item in items:
        uses_database = (item.get_closest_marker("django_db") is not None
                         or _SUITE_DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))
        both_already = item.get_closest_marker("both_engines") is not None
        (kept if uses_database and not both_already else repeated).append(item)
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = kept
