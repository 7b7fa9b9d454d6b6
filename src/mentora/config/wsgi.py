import os

from mentora.core import startup

startup.starting()  # no cyclic garbage collection while the application starts (mentora.core.startup)
try:
    from django.core.wsgi import get_wsgi_application

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
    application = get_wsgi_application()

    # Build the API's OpenAPI document now, so the first request for it after a start is served from memory.
    from mentora.api.document import warm
    from mentora.config.api import api

    warm(api)

    # The matching engine (numpy, SciPy, OR-Tools), which commands load only when they match: a web process
    # recommends mentors, so it loads it here, before gunicorn forks its workers, which then share it, and a
    # page's first recommendation does not wait for the import.
    import mentora.matching.engine  # noqa: F401
finally:
    # Everything made so far lives as long as the process (and is shared by gunicorn's forked workers).
    startup.started()
