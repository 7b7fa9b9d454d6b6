"""The authorization matrix (tests/trust/rows/) and its mutation check. See tests/trust/README.md."""

import copy

import pytest

from tests.trust import matrix
from tests.trust.matrix import HEADER, ROLES, Cast

matrix.preload()
ROWS = matrix.all_rows()
RULES = matrix.permission_rules()

# The mutation check reruns the rows that test_matrix recorded in this process: when the suite runs in
# parallel (pytest-xdist with --dist loadgroup), the whole module stays on one worker.
pytestmark = pytest.mark.xdist_group("authorization-matrix")


@pytest.fixture(scope="module")
def module_cast(django_db_setup, django_db_blocker):
    """The cast, built once for the module inside a transaction that is rolled back when the module ends.

    Each test runs in a savepoint of that transaction (pytest-django's `db`, rolled back after the
    test), as Django's TestCase.setUpTestData does, so a row's writes never reach the next row.
    """
    from django.db import transaction

    from tests.factories import make_cast

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = make_cast()
            matrix.sign_in(built)
            fingerprint = _fingerprint(built)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built, fingerprint
    matrix.sign_out()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _fingerprint(cast: dict) -> dict:
    """What the database holds of the cast, and how many rows the tables rows write to most hold."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from mentora.meetings.models import Meeting, Resource
    from mentora.programs.models import Membership
    from mentora.relationships.models import Relationship

    # One query per model of the cast and one for the counts: every test of the matrix reads them.
    by_model: dict[type, dict[int, str]] = {}
    for name, obj in cast.items():
        by_model.setdefault(type(obj), {})[obj.pk] = name
    rows = {}
    for model, names in by_model.items():
        for values in model.objects.filter(pk__in=names).values():
            rows[names[values["id"]]] = values
    assert set(rows) == set(cast), f"gone from the database: {sorted(set(cast) - set(rows))}"
    counted = (get_user_model(), Membership, Relationship, Meeting, Resource)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"
                                             for m in counted))
        rows.update(zip((model._meta.label for model in counted), cursor.fetchone(), strict=True))
    return rows


@pytest.fixture
def people(module_cast, db):
    """This test's own copies of the cast's people (a row may cache data on them), checked unchanged."""
    built, fingerprint = module_cast
    assert _fingerprint(built) == fingerprint, "an earlier test's writes outlived it"
    return Cast(copy.deepcopy(built))


def test_row_ids_are_unique():
    seen = [row.id for row in ROWS]
    assert len(seen) == len(set(seen)), "two rows share route, method and note: give one a `note`"


def test_every_route_has_a_row():
    covered = {row.route for row in ROWS} | matrix.PENDING_ROUTES
    missing = [f"{route.key}  ({route.pattern}, {route.view_module})"
               for route in matrix.page_routes() if route.key not in covered]
    missing += [operation for operation in matrix.api_operations() if operation not in covered]
    assert not missing, (
        "These routes have no row in the authorization matrix:\n  " + "\n  ".join(missing) + "\n"
        "Add a Row per route and method to tests/trust/rows/<your area>.py with the status each role must "
        f"get, columns: {HEADER} (see tests/trust/README.md)."
    )


def test_every_row_names_a_route_that_exists():
    known = {route.key for route in matrix.page_routes()} | set(matrix.api_operations())
    stale = sorted({row.route for row in ROWS} - known)
    assert not stale, f"rows for routes that no longer exist (or are excluded): {stale}"


def test_pending_entries_are_still_pending():
    """Once a pending route has rows (or a rule is gone), its PENDING entry must be deleted."""
    with_rows = sorted(matrix.PENDING_ROUTES & {row.route for row in ROWS})
    gone = sorted(matrix.PENDING_RULES - set(RULES))
    assert not with_rows and not gone, f"delete from PENDING_ROUTES/PENDING_RULES in matrix.py: {with_rows + gone}"


def test_cast_holds_every_role(people):
    assert set(ROLES) - {"anonymous"} <= set(people)


# Which requests reach which rule, as (row id, role): recorded while test_matrix runs (rules are spied on,
# unchanged), and used by the mutation check to resend only the requests a rule guards.
_CALLS: dict[str, set[tuple[str, str]]] = {}
_RECORDED: set[str] = set()


def _spy_on_rules(patch, current: list[str]) -> None:
    matrix.replace_all_everywhere(patch, [(rule, matrix.spy(rule, name, _CALLS, current))
                                          for name, rule in RULES.items()])


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_matrix(row, people, monkeypatch):
    current: list[str] = []
    _spy_on_rules(monkeypatch, current)
    wrong = matrix.mismatches(row, people, current=current)
    _RECORDED.add(row.id)
    assert not wrong, "\n".join(wrong)


# --- the mutation check: switch off one rule, the matrix must notice ------------------------------


def _requests_guarded_by(dotted: str, mode: str, people, monkeypatch) -> list[tuple[matrix.Row, str]]:
    """The (row, role) requests that reach the rule, in the order of the rows and roles, those whose expected
    answer the rule switched to `mode` would most likely change first (matrix.could_notice)."""
    missing = [row for row in ROWS if row.id not in _RECORDED]
    if missing:  # test_matrix did not run them in this session (-k): record them now
        current: list[str] = []
        with monkeypatch.context() as patch:
            _spy_on_rules(patch, current)
            for row in missing:
                matrix.run_row(row, people, current=current)
                _RECORDED.add(row.id)
    reached = _CALLS.get(dotted, set())
    guarded = [(row, role) for row in ROWS for role in matrix.ROLES if (row.id, role) in reached]
    return sorted(guarded, key=lambda pair: not matrix.could_notice(pair[0].tokens[matrix.ROLES.index(pair[1])],
                                                                    mode))


@pytest.mark.parametrize("mode", ["allow", "deny"])
@pytest.mark.parametrize("dotted", sorted(RULES))
def test_switching_off_a_rule_fails_the_matrix(dotted, mode, people, monkeypatch):
    if dotted in matrix.PENDING_RULES:
        pytest.skip(matrix.PENDING)
    guarded = _requests_guarded_by(dotted, mode, people, monkeypatch)
    assert guarded, (
        f"No row of the matrix reaches {dotted}: add rows for the routes that use it (tests/trust/README.md)."
    )
    matrix.replace_everywhere(monkeypatch, RULES[dotted], matrix.mutant(RULES[dotted], mode))
    wrong = []
    for row, role in guarded:  # a request that does not reach the rule gets the same answer as in test_matrix
        wrong = matrix.mismatches(row, people, roles=(role,))
        if wrong:
            break
    assert wrong, (
        f"With {dotted} switched to always {mode}, every request it guards "
        f"({sorted({row.id for row, _ in guarded})}) still gets its expected answer: add a row or a role whose "
        f"answer depends on it ({'one it refuses' if mode == 'allow' else 'one it lets in'})."
    )
