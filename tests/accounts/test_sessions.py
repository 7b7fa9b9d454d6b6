"""Sessions are Django's database sessions, each read with a query compiled once: a live one signs its person
in, an expired or unknown one does not, as with Django's own store."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from mentora.accounts import sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_session_is_read_as_django_s_store_reads_it(client, monkeypatch):
    built = []
    monkeypatch.setattr(sessions._SESSION, "_compiled", {})
    monkeypatch.setattr(sessions._SESSION, "build", lambda **key: built.append(key) or sessions._session(**key))
    person = UserFactory()
    client.force_login(person)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    for _ in range(3):
        assert client.get("/").wsgi_request.user == person
    assert len(built) == 2  # the settings' store: compiled once (two marker builds), for every request
    assert sessions.SessionStore(key).load() == DjangoSessionStore(key).load() != {}

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = sessions.SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    assert client.get("/").wsgi_request.user.is_authenticated is False
    for unknown in ("x" * 32, "", None):
        store = sessions.SessionStore(unknown)
        assert store.load() == {} and store.session_key is None
