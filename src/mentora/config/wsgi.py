import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentora.config.settings")
application = get_wsgi_application()

# Build the API's OpenAPI document now, so the first request for it after a start is served from memory.
from mentora.api.document import warm  # noqa: E402
from mentora.config.api import api  # noqa: E402

warm(api)
