"""CI's second pass (PostgreSQL) runs `--database-tests-only`: every test that reaches the suite's database
stays, and only tests that use none, make their own, or go through both engines themselves are left to the first
pass."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The child runs without the parent's PYTEST_ADDOPTS (CI's --junitxml would have it write over CI's report).
CHILD_ENV = {key: value for key, value in os.environ.items() if key != "PYTEST_ADDOPTS"}
FILES = [
    "tests/matching/test_matching_scoring.py",       # a pure library: no database
    "tests/core/test_worker_processes.py",           # real processes with databases of their own
    "tests/relationships/test_services.py",          # pytest-django's db
    "tests/trust/test_matrix.py",                    # a module-scoped cast on the suite's database
    "tests/browser/test_profile.py",                 # the live server, on the suite's database
    "tests/dataio/test_backup.py",                   # the suite's database; its round trip through both engines
]


def _collected_by_the_second_pass() -> tuple[list[str], list[str]]:
    """What `--database-tests-only` keeps and what it leaves out, from one collection."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.core.deselected_plugin", "-n0", "-q",
         "--collect-only", "--database-tests-only", *FILES],
        cwd=ROOT, capture_output=True, text=True, timeout=300, env=CHILD_ENV,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    left_out = [line.removeprefix("deselected ") for line in lines if line.startswith("deselected ")]
    kept = [line for line in lines if "::" in line and not line.startswith("deselected ")]
    return kept, left_out


def test_the_second_pass_keeps_every_test_of_the_suite_s_database_and_drops_the_others():
    database, left_out = _collected_by_the_second_pass()
    everything = database + left_out

    def of(items, name):
        return [item for item in items if item.startswith(name)]

    for name in (FILES[2], FILES[4]):
        assert of(everything, name) and of(database, name) == of(everything, name), name
    for name in FILES[:2]:
        assert of(everything, name) and not of(database, name), name
    # The matrix: every row and every mutation stay; only its checks of the row list itself (no database)
    # are left to the first pass.
    matrix = of(everything, FILES[3])
    on_database = [item for item in matrix if "::test_matrix[" in item or "::test_switching_off" in item]
    assert len(on_database) > 500 and set(on_database) <= set(of(database, FILES[3]))
    assert "tests/trust/test_matrix.py::test_row_ids_are_unique" not in database
    # The backup round trip (SQLite or PostgreSQL -> PostgreSQL -> SQLite) reads and restores both engines in the
    # first pass already; the backup tests on the suite's database alone stay.
    backup = of(everything, FILES[5])
    round_trip = [item for item in backup if "::test_round_trip_to_postgresql_and_back" in item]
    assert round_trip and not set(round_trip) & set(database)
    assert len(of(database, FILES[5])) >= 3


GROUPED = '''import os
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(8))
def test_in_the_group(n):
    with open(os.path.join(os.environ["RAN_DIR"], f"ran-{n}"), "w") as ran:
        ran.write(os.environ["PYTEST_XDIST_WORKER"])
'''


def test_a_group_of_tests_runs_on_one_worker(tmp_path):
    """The authorization matrix's mutation check needs its rows on one worker (xdist_group + loadgroup)."""
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "ran").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-p", "no:playwright",
         "-n", "2", "--dist", "loadgroup", "-q", "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, env={**CHILD_ENV, "RAN_DIR": str(tmp_path / "ran")},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ran = list((tmp_path / "ran").glob("ran-*"))
    workers = {path.read_text() for path in ran}
    assert len(ran) == 8
    assert len(workers) == 1, f"the group ran on {sorted(workers)}"
