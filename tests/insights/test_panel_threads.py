"""A dashboard's panels computed two at a time (outside a transaction, each thread on its own database
connection) are the very panels computed one by one, in the requester's time zone."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from mentora.core.academic_year import current_academic_year
from mentora.insights import providers, selectors
from mentora.insights.scope import Scope


@pytest.mark.django_db(transaction=True)
def test_panels_computed_in_threads_are_the_panels_computed_one_by_one(settings, grow, monkeypatch):
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    grow(program, 6)
    grow(program, 3, level="pgy2", gender="man", source="batch")
    scope = Scope(program_ids=(program.pk,), academic_year=current_academic_year(), program=program.pk)
    seen = []
    for provider in providers.PROVIDERS:
        def panel(scope, _real=provider.panel):
            seen.append((threading.current_thread().name, timezone.get_current_timezone_name()))
            return _real(scope)
        monkeypatch.setattr(provider, "panel", panel)

    assert not connection.in_atomic_block
    with timezone.override("Pacific/Auckland"):
        settings.MENTORA_PANEL_THREADS = 1
        one_by_one = selectors.dashboard_panels(scope=scope, use_cache=False)
        assert {name for name, _zone in seen} == {threading.current_thread().name}
        seen.clear()
        settings.MENTORA_PANEL_THREADS = 2
        in_threads = selectors.dashboard_panels(scope=scope, use_cache=False)
    assert len(seen) == len(providers.PROVIDERS)
    assert {name.rsplit("_", 1)[0] for name, _zone in seen} == {"insights-panel"}
    assert {zone for _name, zone in seen} == {"Pacific/Auckland"}
    assert [p.key for p in in_threads] == [p.key for p in providers.PROVIDERS]
    assert in_threads == one_by_one
    assert not all(panel.is_empty for panel in in_threads)


@pytest.mark.django_db(transaction=True)
def test_a_panel_that_fails_in_a_thread_fails_the_request(settings, monkeypatch):
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    scope = Scope(program_ids=(program.pk,), academic_year=current_academic_year(), program=program.pk)
    settings.MENTORA_PANEL_THREADS = 2

    def broken(scope):
        raise ZeroDivisionError("a panel's query failed")

    monkeypatch.setattr(providers.BY_KEY["goals"], "panel", broken)
    with pytest.raises(ZeroDivisionError, match="a panel's query failed"):
        selectors.dashboard_panels(scope=scope, use_cache=False)


@pytest.mark.django_db
def test_inside_a_transaction_panels_are_computed_on_its_connection(settings, monkeypatch):
    """Only the transaction's own connection sees its uncommitted rows: no thread is started."""
    from tests.factories import ProgramFactory

    settings.MENTORA_PANEL_THREADS = 4
    seen = []
    for provider in providers.PROVIDERS:
        def panel(scope, _real=provider.panel):
            seen.append(threading.current_thread().name)
            return _real(scope)
        monkeypatch.setattr(provider, "panel", panel)
    program = ProgramFactory()
    scope = Scope(program_ids=(program.pk,), academic_year=current_academic_year(), program=program.pk)
    assert len(selectors.dashboard_panels(scope=scope, use_cache=False)) == len(providers.PROVIDERS)
    assert set(seen) == {threading.current_thread().name}
