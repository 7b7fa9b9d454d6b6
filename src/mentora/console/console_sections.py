"""The console's own sections; other apps add theirs the same way (see sections.py)."""

from .sections import Section, register

register(Section("people", "People", "console:people",
                 "Find anyone, see their roles, invite, deactivate, reset multi-factor authentication.", order=10))
register(Section("institutions", "Institutions", "console:records",
                 "The institutions whose programs use Mentora.", order=20,
                 url_args=("institutions",)))
register(Section("networks", "Networks", "console:records",
                 "Societies and sections spanning institutions.", order=21,
                 url_args=("networks",)))
register(Section("programs", "Programs", "console:records", "Training programs: create and edit.", order=22,
                 url_args=("programs",)))
register(Section("background", "Background work", "background:background_work",
                 "What the worker has to do, is doing and could not do; retry failed tasks.", order=80))
register(Section("backups", "Backups", "console:backups",
                 "Start an encrypted backup, download it, and the restore procedure.", order=85))
register(Section("audit", "Audit log", "console:audit_log",
                 "Every action taken in the console: who, what, when and why.", order=90))
