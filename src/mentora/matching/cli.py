"""`mentora match INSTANCE.json|- --algorithm optimal|stable [--fair] [--top-k K] [--prune] [-o RESULT.json]`.

Starts without Django. Usage and input errors print one line to standard error and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, NoReturn

from mentora.matching.engine import solve
from mentora.matching.validation import InstanceError

USAGE_ERROR = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(
        prog="mentora match",
        description="Match mentees to mentors (see docs/matching.md for the instance and result formats).",
    )
    parser.add_argument("instance", help="instance JSON file, or - to read standard input")
    parser.add_argument("--algorithm", choices=["optimal", "stable"], default="optimal",
                        help="optimal: most matched, then highest total score; stable: deferred acceptance")
    parser.add_argument("--fair", action="store_true",
                        help="optimal only: maximise the lowest matched score, then the total")
    parser.add_argument("--top-k", type=int, default=None, metavar="K",
                        help="candidate mentors per mentee and mentees per mentor (default: instance top_k or 50)")
    parser.add_argument("-o", "--output", default=None, metavar="RESULT.json",
                        help="write the result here instead of standard output")
    parser.add_argument("--quiet", action="store_true", help="no progress on standard error")
    parser.add_argument("--prune", action="store_true",
                        help="score only the pairs that can enter a top-k (same result)")
    return parser


class _StderrProgress:
    """Progress lines on standard error, only for runs longer than a couple of seconds."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.started < 2.0 or (now - self.last < 2.0 and done < total):
            return
        self.last = now
        sys.stderr.write(f"match: {phase} {done:,}/{total:,} ({now - self.started:.1f} s)\n")
        sys.stderr.flush()


def _read(path: str) -> Any:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as error:
        raise _UsageError(f"{path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise InstanceError("", f"{path}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}") \
            from None
    except UnicodeDecodeError:
        raise InstanceError("", f"{path}: not UTF-8 text") from None


def main(argv: list[str] | None = None) -> int:
    """Run `mentora match`; argv excludes the words "mentora match". Returns the exit status."""
    try:
        arguments = _parser().parse_args(argv)
        if arguments.top_k is not None and arguments.top_k < 1:
            raise _UsageError("--top-k must be at least 1")
        if arguments.fair and arguments.algorithm != "optimal":
            raise _UsageError("--fair applies to --algorithm optimal only")
        document = _read(arguments.instance)
        progress = None if arguments.quiet else _StderrProgress()
        result = solve(document, algorithm=arguments.algorithm, fair=arguments.fair, top_k=arguments.top_k,
                       progress=progress, prune=arguments.prune)
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
        if arguments.output:
            try:
                with open(arguments.output, "w", encoding="utf-8") as handle:
                    handle.write(text)
            except OSError as error:
                raise _UsageError(f"{arguments.output}: {error.strerror or error}") from None
        else:
            sys.stdout.write(text)
        return 0
    except _UsageError as error:
        sys.stderr.write(f"mentora match: {error}\n")
        return USAGE_ERROR
    except InstanceError as error:
        sys.stderr.write(f"mentora match: {error}\n")
        return USAGE_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("mentora match: interrupted\n")
        return 130
    except MemoryError:
        sys.stderr.write("mentora match: out of memory (try a smaller --top-k)\n")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
