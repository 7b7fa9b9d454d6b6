"""A pytest plugin for tests/core/test_suite_passes.py: prints each deselected test's id as "deselected <id>", so
one collection shows both what a pass keeps and what it leaves out."""


def pytest_deselected(items):
    for item in items:
        print(f"deselected {item.nodeid}")
