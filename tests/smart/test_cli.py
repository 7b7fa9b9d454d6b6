"""`mentora smart "GOAL" [--json]` (argv excludes the word "smart")."""

import json
import subprocess
import sys

import pytest

from mentora.smart.cli import main


def test_json_output_has_exactly_the_documented_shape(capsys):
    assert main(["Get better at cardiology", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["specific", "measurable", "achievable", "relevant", "time_bound", "smart"]
    for name in ["specific", "measurable", "achievable", "relevant", "time_bound"]:
        assert set(data[name]) == {"ok", "hint"}
        assert isinstance(data[name]["ok"], bool)
    assert data["smart"] is False
    assert data["specific"]["ok"] is False and "'Get better'" in data["specific"]["hint"]
    assert data["relevant"] == {"ok": True, "hint": ""}


def test_json_for_a_smart_goal(capsys):
    assert main(["--json", "Pass USMLE Step 3 by 30 June 2099"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["smart"] is True
    assert all(data[name]["hint"] == "" for name in data if name != "smart")


def test_human_report_has_a_line_per_criterion_and_the_overall_verdict(capsys):
    assert main(["Understand acid-base disorders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Goal: Understand acid-base disorders"
    assert lines[1].startswith("✗ Specific") and "'Understand' cannot be observed" in lines[1]
    assert lines[3].startswith("✓ Achievable")
    assert lines[5].startswith("✗ Time-bound") and "Add a date: by when?" in lines[5]
    assert lines[6] == "SMART: not yet"
    assert len(lines) == 7


def test_not_smart_still_exits_zero(capsys):
    assert main(["Learn to play the guitar"]) == 0
    assert "SMART: not yet" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[""], ["   "], ["  ", "--json"]])
def test_blank_statement_is_a_usage_error(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "empty" in captured.err


def test_missing_statement_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_runs_as_a_module_without_django():
    completed = subprocess.run(
        [sys.executable, "-m", "mentora.smart.cli", "--json", "Pass Step 3 by June 2099"],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["time_bound"]["ok"] is True
