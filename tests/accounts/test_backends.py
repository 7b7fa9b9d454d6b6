"""The authentication backends read the person signed in with a query compiled once, and answer what Django's
own ModelBackend.get_user would."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentora.accounts import backends
from mentora.accounts.backends import AuthenticationBackend, ModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in get_user_model()._meta.concrete_fields}


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_get_user_answers_as_django_s_backend_does(backend):
    signed_in = UserFactory(last_login=timezone.now(), preferred_name="Ama")
    other, inactive = UserFactory(), UserFactory(is_active=False)
    django = DjangoModelBackend()
    for key in (signed_in.pk, str(signed_in.pk), other.pk, str(other.pk)):
        found = backend.get_user(key)
        assert isinstance(found, get_user_model()) and found._state.db == "default" and not found._state.adding
        assert _fields(found) == _fields(django.get_user(key))
    assert backend.get_user(signed_in.pk).last_login == signed_in.last_login  # aware, as Django converts it
    for refused in (inactive.pk, other.pk + 1000, "not a key", None):
        assert backend.get_user(refused) is None


def test_each_request_reads_the_person_in_one_query_and_sees_them_as_they_are(client, monkeypatch):
    person = UserFactory(full_name="Before")
    client.force_login(person)
    built = []
    monkeypatch.setattr(backends._PERSON, "_compiled", {})
    monkeypatch.setattr(backends._PERSON, "build", lambda **key: built.append(key) or backends._person(**key))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200 and response.wsgi_request.user.full_name == "Before"
    reads = [sql for sql in (q["sql"] for q in queries)
             if sql.startswith('SELECT "accounts_user"."id"') and 'FROM "accounts_user" WHERE' in sql]
    assert len(reads) == 1
    get_user_model().objects.filter(pk=person.pk).update(full_name="After")
    assert client.get("/").wsgi_request.user.full_name == "After"
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    assert client.get("/").wsgi_request.user.is_authenticated is False  # deactivated: signed out
    assert len(built) == 2  # the settings' backends: compiled once (two marker builds), for every request
