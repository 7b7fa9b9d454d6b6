"""Property-based fuzzing of every API operation (schemathesis) as five kinds of caller.

The operations come from the live /api/openapi.json, so routes added later are fuzzed too.
For each operation: Hypothesis generates valid requests from the schema (path parameters are
also tried with 1 and the caller's own id, which exist), and every response must be no server
error and match the documented schema (problem details may come as application/problem+json
where a route documents application/json). Bounded for CI by MENTORA_FUZZ_EXAMPLES.
"""

import functools
import os
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

ROLES = ["anonymous", "mentee", "mentor", "coordinator", "network_coordinator"]
EXAMPLES = int(os.environ.get("MENTORA_FUZZ_EXAMPLES", "4"))


@contextmanager
def sharing_the_test_transaction():
    """Let WSGI requests share the test's database transaction (as Django's test client does).

    Django closes "old" connections when a request starts and finishes; inside the test's
    transaction that would close the connection itself (on PostgreSQL; SQLite's in-memory test
    database ignores it). Django's test client reconnects that handler after each of its own
    requests, so no test client request may come in between: every request here goes through the app.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def caller(role: str, cast) -> tuple[dict, object | None]:
    if role == "anonymous":
        return {}, None
    from mentora.api.tokens import token_create

    user = {"mentee": cast["mentee_a"], "mentor": cast["mentor_a"], "coordinator": cast["coordinator"],
            "network_coordinator": cast["network_coordinator"]}[role]
    token, secret = token_create(by=user, name="fuzz", scopes=["read", "write", "export"])
    return {"Authorization": f"Bearer {secret}"}, (user, token)


@functools.cache
def served_schema():
    """The served document, loaded once per process: it is the same for every caller, and so is what schemathesis
    derives from it once (the constants it scans the app's modules for: about 0.6 s of CPU for each later role).
    Only the schema is shared: strategies shared across roles would make a role's examples depend on which roles
    ran before it in the same process."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    with sharing_the_test_transaction():  # the document is fetched through the app too
        return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_survives_fuzzing(role, cast):
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    from mentora.api.models import ApiToken

    schema = served_schema()
    document = schema.raw_schema
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item
                  if method in {"get", "put", "post", "delete", "patch", "head", "options"}}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(op.method.upper(), op.path) for op in operations} == documented

    headers, identity = caller(role, cast)
    checks = [not_a_server_error, response_schema_conformance]
    failures: list[str] = []
    settings_ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])

    # A request that writes (DELETE /api/tokens/{id}, say) may have revoked the caller's own token: before the
    # next request it is made valid again, to keep fuzzing as them. A GET, HEAD or OPTIONS writes nothing.
    wrote = [True]

    def run(strategy, label):
        @given(case=strategy)
        @settings_
        def check(case):
            if identity is not None and wrote[0]:
                ApiToken.objects.filter(pk=identity[1].pk).update(revoked_at=None)
            wrote[0] = case.method.upper() not in {"GET", "HEAD", "OPTIONS"}
            response = case.call(headers=headers)
            case.validate_response(response, checks=checks)

        try:
            check()
        except Exception as error:  # collect them all, then fail once with every operation named
            failures.append(f"{label}: {type(error).__name__}: {str(error)[:1500]}")

    with sharing_the_test_transaction():
        for operation in operations:
            run(operation.as_strategy(), operation.label)
            names = [p["name"] for p in document["paths"][operation.path].get(operation.method.lower(), {}).get(
                "parameters", []) if p.get("in") == "path"]
            if names and identity is not None:
                for value in sorted({1, identity[0].pk}):
                    run(operation.as_strategy(path_parameters={name: value for name in names}),
                        f"{operation.label} with ids={value}")
    assert not failures, f"{len(failures)} operations failed as {role}:\n\n" + "\n\n".join(failures)


STATEFUL_STEPS = int(os.environ.get("MENTORA_FUZZ_STATEFUL_STEPS", "6"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["mentee", "coordinator"])
def test_linked_operations_survive_stateful_fuzzing(role, cast):
    """Sequences along the document's OpenAPI links (create, then read, change or delete what was created), as a
    mentee (plans, goals, requests, referrals) and a coordinator (pairing, subscriptions, imports, jobs): no
    server error and every answer as documented."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, settings
    from hypothesis.stateful import run_state_machine_as_test
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    with sharing_the_test_transaction():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    headers, _identity = caller(role, cast)
    base = schema.as_state_machine()

    class Journey(base):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    assert Journey.schema.statistic.transitions.total >= 30  # the links are in the served document
    with sharing_the_test_transaction():
        run_state_machine_as_test(Journey, settings=settings(
            max_examples=EXAMPLES, stateful_step_count=STATEFUL_STEPS, deadline=None, database=None,
            derandomize=True, suppress_health_check=list(HealthCheck)))
