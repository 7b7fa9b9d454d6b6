"""`mentora smart "GOAL TEXT" [--json]`: judge one goal statement from the command line.

Starts without Django. The statement is judged alone (no target date or measure field).
Exit status: 0 after a report (whether or not the goal is SMART), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys

from .analyzer import CRITERIA, analyze

LABELS = {
    "specific": "Specific",
    "measurable": "Measurable",
    "achievable": "Achievable",
    "relevant": "Relevant",
    "time_bound": "Time-bound",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line on stderr, status 2
        self.exit(2, f"mentora smart: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mentora smart",
        description="Check a goal statement against the SMART criteria, with a hint for each one it misses.",
    )
    parser.add_argument("goal", help='the goal statement, quoted: "Pass USMLE Step 3 by June 2027"')
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    return parser


def _report(statement: str, result: dict[str, object]) -> str:
    lines = [f"Goal: {statement}"]
    width = max(len(label) for label in LABELS.values())
    for name in CRITERIA:
        outcome = result[name]
        assert isinstance(outcome, dict)
        mark = "✓" if outcome["ok"] else "✗"
        line = f"{mark} {LABELS[name]:<{width}}"
        if outcome["hint"]:
            line += f"  {outcome['hint']}"
        lines.append(line.rstrip())
    lines.append("SMART: yes" if result["smart"] else "SMART: not yet")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    statement = args.goal.strip()
    if not statement:
        print("mentora smart: the goal statement is empty", file=sys.stderr)
        return 2
    result = analyze(statement).as_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(_report(statement, result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
