"""Django's database sessions, each request's session read with a query compiled once (SESSION_ENGINE): every
request with a session cookie reads its row, and building the ORM's lookup cost more than running it."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from mentora.core.db import CompiledOnce


def _session(*, session_key: str):
    return Session.objects.filter(session_key=session_key)


_SESSION = CompiledOnce(_session)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        """The live session with this key, or None (and the key forgotten), as Django's own store answers; its
        expiry judged here rather than in the query, which the compiled query cannot take as an argument."""
        found = _SESSION.instances(session_key=self.session_key) if isinstance(self.session_key, str) else []
        if found and found[0].expire_date > timezone.now():
            return found[0]
        self._session_key = None
        return None
