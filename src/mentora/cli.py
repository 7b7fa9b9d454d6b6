"""The `mentora` command.

`match` and `smart` run without starting Django (they are pure libraries); everything else is
a Django management command (serve, demo, worker, reminders, import, export, backup, restore,
migrate, check, ...).
"""

import os
import sys
from importlib import import_module

PURE_COMMANDS = {
    "match": ("mentora.matching.cli", "match mentees to mentors from an instance file (no database needed)"),
    "smart": ("mentora.smart.cli", "judge a goal statement against the S.M.A.R.T. criteria"),
}

MENTORA_COMMANDS = {
    "serve": "serve the web application (development server, or gunicorn in production)",
    "demo": "load a generated demo network (mentees, mentors, programs, relationships)",
    "worker": "run the background task worker (reminders, batch matching, imports, PDFs)",
    "import": "import mentees, mentors or memberships from CSV/XLSX (dry run unless --commit)",
    "reminders": "send due reminders exactly once (idempotent scan for cron; --enqueue for the worker)",
    "backup": "back up the whole instance (all tables and uploaded files) to a zip",
    "restore": "restore a backup zip into an empty database",
}

USAGE = "usage: mentora COMMAND [ARGS...]   (mentora --help lists the commands)"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    # Django loads only for the commands that need it: `mentora match` and `smart` run without it.
    import django

    from mentora.core import startup  # imports nothing: the collector pauses before Django's imports

    startup.starting()
    try:
        django.setup()
    finally:
        startup.started()


def _print_help() -> None:
    lines = ["usage: mentora COMMAND [ARGS...]", "", "Mentora commands:"]
    for name, (_module, text) in PURE_COMMANDS.items():
        lines.append(f"  {name:<12} {text}")
    for name, text in MENTORA_COMMANDS.items():
        lines.append(f"  {name:<12} {text}")
    try:
        _setup_django()
        from django.core.management import get_commands  # after _setup_django (see there)

        others = sorted(name for name in get_commands() if name not in MENTORA_COMMANDS)
        lines += ["", "Django management commands (mentora COMMAND --help for each):"]
        lines += [f"  {', '.join(others[i:i + 6])}" for i in range(0, len(others), 6)]
    except Exception as error:  # the settings may refuse to load, e.g. production without secrets
        lines += ["", f"(Django commands unavailable: {error})"]
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print(USAGE, file=sys.stderr)
        return 2
    command = args[0]
    if command in {"-h", "--help", "help"}:
        _print_help()
        return 0
    if command in PURE_COMMANDS:
        return import_module(PURE_COMMANDS[command][0]).main(args[1:])
    if command.startswith("-"):
        print(f"mentora: unknown option {command!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        _setup_django()
    except KeyboardInterrupt:  # Ctrl+C while starting: no traceback
        return 130
    except Exception as error:
        print(f"mentora: cannot start: {error}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line, get_commands  # after _setup_django

    if command not in get_commands():
        print(f"mentora: unknown command {command!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["mentora", *args])
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
