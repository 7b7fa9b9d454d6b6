"""The console's own sections; other apps add theirs the same way (see sections.py)."""

from .sections import Section, register

register(Section("background", "Background work", "background:background_work",
                 "What the worker has to do, is doing and could not do; retry failed tasks.", order=80))
