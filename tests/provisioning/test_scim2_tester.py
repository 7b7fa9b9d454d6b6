"""The SCIM endpoint checked by scim2-tester (the python-scim project's conformance checker, RFC 7643/7644):
discovery, create, read, query, replace, patch and delete of Users and Groups."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_scim2_tester_finds_no_error(scim_wsgi_client):
    from scim2_tester import Status, check_server  # slow to import: only the worker running this pays

    results = check_server(scim_wsgi_client)
    report = "\n".join(f"{r.status.name:8} {r.title}: {r.reason}" for r in results)
    print(report)  # shown with -s and in the CI log on failure
    failures = [r for r in results if r.status in {Status.ERROR, Status.CRITICAL}]
    assert results and not failures, report
