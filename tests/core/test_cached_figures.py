"""Figures cached under the data version (the dashboard's panels, the coordinator's home rows and ILP
compliance counts) stay cached until the data changes: neither a quiet spell nor a busy cache makes the
next look compute them again."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from mentora.core.data_version import cached, cached_many
from mentora.home import selectors as home_selectors
from mentora.ilps import selectors as ilps_selectors
from mentora.insights import providers

pytestmark = pytest.mark.django_db



def _morning() -> datetime.datetime:
    """10:00 today in New York, the people's default time zone: hours later is still the same day for them
    (and the same academic year as the cast's memberships)."""
    zone = zoneinfo.ZoneInfo("America/New_York")
    return datetime.datetime.combine(timezone.localdate(timezone=zone), datetime.time(10), tzinfo=zone)


@pytest.fixture
def computed(monkeypatch):
    """Counts each computation of a panel, of a coordinator's home rows and of ILP compliance counts."""
    calls = {"panels": 0, "home": 0, "ilps": 0}

    for provider in providers.PROVIDERS:
        def panel(scope, _real=provider.panel):
            calls["panels"] += 1
            return _real(scope)
        monkeypatch.setattr(provider, "panel", panel)

    real_home, real_ilps = home_selectors.coordinator_dashboard, ilps_selectors.program_compliance

    def home(**kwargs):
        calls["home"] += 1
        return real_home(**kwargs)

    def ilps(**kwargs):
        calls["ilps"] += 1
        return real_ilps(**kwargs)

    monkeypatch.setattr(home_selectors, "coordinator_dashboard", home)
    monkeypatch.setattr(ilps_selectors, "program_compliance", ilps)
    return calls


def _look(client):
    assert client.get(reverse("insights:insights_dashboard")).status_code == 200
    assert client.get("/").status_code == 200


def test_a_quiet_spell_leaves_the_figures_cached(client, cast, computed):
    cache.clear()
    client.force_login(cast["coordinator"])
    with time_machine.travel(_morning(), tick=False) as clock:
        _look(client)
        first = dict(computed)
        assert first["panels"] and first["home"] and first["ilps"]
        clock.shift(datetime.timedelta(hours=3))  # nothing changes all that time
        _look(client)
    assert computed == first, "figures were computed again although no data changed"


def test_a_change_still_makes_them_computed_again(client, cast, computed):
    from tests.factories import MembershipFactory

    cache.clear()
    client.force_login(cast["coordinator"])
    _look(client)
    first = dict(computed)
    MembershipFactory(program=cast["program"], role="mentee")
    _look(client)
    assert all(computed[name] > first[name] for name in computed)


def test_a_busy_cache_keeps_the_figures(client, cast, computed):
    """Hundreds of other entries (charts, sign-in rate limits, other people's panels) do not push the
    figures out: Django's database cache, as configured by default, kept 300 and then deleted a third of
    them in key order, the coordinator's home rows first."""
    cache.clear()
    client.force_login(cast["coordinator"])
    _look(client)
    first = dict(computed)
    for n in range(600):
        cache.set(f"insights:chart:{n:04}", b"<svg/>", 600)
        cache.set(f"rl:{n:04}", [1], 60)
    _look(client)
    assert computed == first, "figures were computed again although no data changed"


def test_one_entry_per_figure_replaced_when_the_data_changes(cast):
    from tests.factories import MembershipFactory

    cache.clear()
    assert cached("test:figure", lambda: 1) == 1
    assert cached("test:figure", lambda: 2) == 1  # same data version: the kept value
    MembershipFactory(program=cast["program"], role="mentee")
    assert cached("test:figure", lambda: 3) == 3  # a change: computed again, in place of the old one
    assert cached_many({"a": "test:figure", "b": "test:other"}, lambda names: {n: n for n in names}) == {"a": 3, "b": "b"}


def test_a_site_admin_s_dashboard_is_computed_ahead_before_their_first_look(client, cast, computed):
    """Every program's dashboard costs the most to compute (about a second of CPU at 50,000 mentees): the
    worker's warm-up computes each site admin's default one (every program, this year, in their time zone)
    even before they first open it, so their first look finds it ready."""
    from mentora.insights.tasks import dashboards_warm_task
    from mentora.profiles.models import Profile
    from tests.factories import UserFactory

    admin = UserFactory(email="admin@mentora.test", is_superuser=True, is_staff=True)
    Profile.objects.update_or_create(user=admin, defaults={"time_zone": "Pacific/Auckland"})
    cache.clear()
    # 10:00 in New York is already tomorrow in Auckland: the cast's site admin (New York, the default zone)
    # and this one look at two different days, so the warm-up computes two dashboards, one for each.
    with time_machine.travel(_morning(), tick=False), timezone.override(zoneinfo.ZoneInfo("UTC")):
        dashboards_warm_task.call()  # (the worker's own zone is neither admin's)
        assert computed["panels"] == 2 * len(providers.PROVIDERS)
        client.force_login(admin)
        assert client.get(reverse("insights:insights_dashboard")).status_code == 200
    assert computed["panels"] == 2 * len(providers.PROVIDERS)  # nothing computed again


def test_a_coordinator_who_signed_in_lately_finds_their_dashboard_and_home_computed_ahead(client, cast, computed):
    """The worker's warm-ups also compute what each coordinator who signed in within the last two weeks opens
    first (their home rows, their default dashboard, in their time zone) even before they first open the
    dashboard, and even when the cache that remembers what was looked at was emptied: their first look finds
    it ready. Someone who last signed in a month ago costs the worker nothing."""
    from mentora.home.tasks import coordinator_homes_warm_task
    from mentora.insights.tasks import dashboards_warm_task
    from mentora.profiles.models import Profile
    from tests.factories import MembershipFactory, ProgramFactory, UserFactory

    coordinator = cast["coordinator"]
    Profile.objects.update_or_create(user=coordinator, defaults={"time_zone": "Pacific/Auckland"})
    away = UserFactory(email="away@mentora.test")
    MembershipFactory(user=away, program=ProgramFactory(), role="coordinator")
    type(coordinator).objects.filter(pk=coordinator.pk).update(last_login=timezone.now() - datetime.timedelta(days=3))
    type(away).objects.filter(pk=away.pk).update(last_login=timezone.now() - datetime.timedelta(days=30))
    cache.clear()
    with timezone.override(zoneinfo.ZoneInfo("UTC")):  # the worker's own zone is not the coordinator's
        dashboards_warm_task.call()
        coordinator_homes_warm_task.call()
    ahead = dict(computed)
    assert ahead["home"] == 1, "home rows computed for someone other than the coordinator who signed in lately"
    client.force_login(coordinator)
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        _look(client)
    assert computed == ahead, "the coordinator's first look computed figures again"


def test_a_coordinator_s_first_sign_in_has_the_worker_compute_their_dashboard(
        client, cast, computed, settings, django_capture_on_commit_callbacks):
    """Nothing asked for the dashboard of someone who never signed in (or not for weeks): their sign-in has
    the worker compute it at once, so it is ready when they open it. A mentee's sign-in queues nothing."""
    from mentora.core import warmup
    from mentora.insights.tasks import WARMUP

    settings.MENTORA_WARM_AHEAD = True
    coordinator = cast["coordinator"]
    type(coordinator).objects.filter(pk=coordinator.pk).update(last_login=None)
    cache.clear()
    warmup._queued_here.pop(WARMUP, None)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(cast["mentee_a"])
    assert computed["panels"] == 0, "a mentee's sign-in computed dashboards"
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(coordinator)  # the worker runs the queued warm-up (at once, in tests)
    ahead = computed["panels"]
    assert ahead >= len(providers.PROVIDERS)
    assert client.get(reverse("insights:insights_dashboard")).status_code == 200
    assert computed["panels"] == ahead, "the coordinator's first look computed panels again"
