"""Every page route maps to API operations, or is exempt with a reason, or is listed as not yet done."""

from tests.api.coverage import COVERED, EXEMPT, NOT_YET
from tests.trust.matrix import api_operations, page_routes


def test_every_page_route_is_accounted_for():
    routes = {route.key for route in page_routes()}
    lists = {"COVERED": set(COVERED), "EXEMPT": set(EXEMPT), "NOT_YET": set(NOT_YET)}
    unknown = sorted(routes - set().union(*lists.values()))
    assert not unknown, f"page routes with neither an API operation nor a reason (tests/api/coverage.py): {unknown}"
    twice = sorted(name for name in routes if sum(name in names for names in lists.values()) > 1)
    assert not twice, f"listed more than once: {twice}"
    gone = sorted(set().union(*lists.values()) - routes)
    assert not gone, f"no such page route any more: {gone}"


def test_every_mapped_operation_exists():
    operations = set(api_operations())
    missing = sorted({op for ops in COVERED.values() for op in ops} - operations)
    assert not missing, f"operations named in COVERED that the API does not have: {missing}"


def test_every_reason_is_written():
    assert all(reason.strip() for reason in {**EXEMPT, **NOT_YET}.values())
