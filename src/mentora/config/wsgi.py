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
finally:
    # Everything made so far lives as long as the process (and is shared by gunicorn's forked workers).
    startup.started()
