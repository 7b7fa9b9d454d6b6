"""A started Mentora process has moved what it made while starting out of the garbage collector's way
(mentora.core.startup): the `mentora` command once Django is set up, the WSGI application once it is built.
The matching engine loads only where it is used: the web application as it starts, a command when it matches."""

import gc

from tests.core.test_cli import MENTORA, SOURCE, run

REPORT = "import gc; print(gc.isenabled(), gc.get_freeze_count())"


def _report(output: str) -> tuple[bool, int]:
    enabled, frozen = output.split()[-2:]
    return enabled == "True", int(frozen)


def test_the_command_collects_again_with_the_start_up_objects_frozen(tmp_path):
    result = run("shell", "-c", REPORT, env={"MENTORA_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    enabled, frozen = _report(result.stdout)
    assert enabled  # never left paused
    assert frozen > 100_000  # Django's apps and models, at least


def test_the_wsgi_application_collects_again_with_the_start_up_objects_frozen(tmp_path):
    import os
    import subprocess

    code = f"import mentora.config.wsgi; import sys; print('numpy' in sys.modules); {REPORT}"
    environment = {**os.environ, "MENTORA_VAR_DIR": str(tmp_path), "PYTHONPATH": str(SOURCE)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([MENTORA[0], "-c", code], capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    enabled, frozen = _report(result.stdout)
    assert enabled
    assert frozen > 150_000  # the URLs, the API and its document too
    assert result.stdout.split()[-3] == "True"  # and the matching engine, which commands load only to match


def test_the_suite_runs_with_its_modules_frozen():
    assert gc.isenabled()
    assert gc.get_freeze_count() > 100_000


def test_a_started_command_has_not_imported_the_matching_engine_until_it_matches(tmp_path):
    """numpy, SciPy and OR-Tools cost about a quarter of a second to import: a command that never matches (the
    worker between batch runs, `mentora migrate`, a backup) loads Django, its URLs and its system checks without
    them, and the engine loads when first used."""
    code = ("import sys; from django.core import checks; checks.run_checks(include_deployment_checks=False); "
            "engine = ('numpy' in sys.modules, 'scipy' in sys.modules, 'ortools' in sys.modules); "
            "from mentora import matching; solve = matching.solve; "
            "print(engine, ('numpy' in sys.modules, 'mentora.matching.engine' in sys.modules), "
            "solve.__module__)")
    result = run("shell", "-c", code, env={"MENTORA_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "(False, False, False) (True, True) mentora.matching.engine"
