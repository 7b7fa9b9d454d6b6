import subprocess
import sys

import pytest
from django.contrib.auth import authenticate, get_user_model

from mentora.core.demo import DEMO_LOGINS
from mentora.demo.network import generate_demo
from mentora.profiles.models import MentorOffer, SensitiveAttributes
from mentora.programs.models import Membership
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

User = get_user_model()


def test_demo_logins_exist_and_work_with_the_demo_password(demo_network):
    for email in DEMO_LOGINS.values():
        assert authenticate(email=email, password="mentora-demo") is not None, email


def test_each_demo_login_holds_its_role(demo_network):
    roles = {role: user_roles(user=User.objects.get(email=email)) for role, email in DEMO_LOGINS.items()}
    assert roles["mentee"].is_mentee and not roles["mentee"].is_coordinator
    assert roles["mentor"].is_mentor and not roles["mentor"].is_mentee
    assert roles["coordinator"].is_coordinator
    assert roles["network"].is_network_coordinator
    assert roles["admin"].is_admin


def test_demo_counts_and_capacities(demo_network):
    assert Membership.objects.filter(role="mentee").count() == 60 + 1
    assert MentorOffer.objects.count() == 15 + 1
    loads = {}
    for relationship in Relationship.objects.filter(status__in=Relationship.OPEN_STATUSES):
        loads[relationship.mentor_id] = loads.get(relationship.mentor_id, 0) + 1
    for offer in MentorOffer.objects.all():
        assert loads.get(offer.user_id, 0) <= offer.capacity


def test_demo_sensitive_attributes_all_have_consent(demo_network):
    assert SensitiveAttributes.objects.exists()
    assert not SensitiveAttributes.objects.filter(consented_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_is_deterministic_for_a_seed():
    def snapshot():
        return list(User.objects.filter(is_demo=True).order_by("email").values_list("email", "full_name"))

    generate_demo(mentees=30, mentors=8, seed=11)
    first = snapshot()
    for model in (Relationship, User):
        model.objects.all().delete()
    from mentora.programs.models import Institution, Network, Program
    from mentora.webhooks.models import Event

    Event.objects.all().delete()  # a program's events outlive it (SET_NULL), as an outbox does
    Program.objects.all().delete()
    Institution.objects.all().delete()
    Network.objects.all().delete()
    generate_demo(mentees=30, mentors=8, seed=11)
    assert snapshot() == first
    Relationship.objects.all().delete()
    User.objects.all().delete()
    Event.objects.all().delete()
    Program.objects.all().delete()
    Institution.objects.all().delete()
    Network.objects.all().delete()
    generate_demo(mentees=30, mentors=8, seed=12)
    assert snapshot() != first


def test_demo_command_twice_refuses_then_if_empty_is_quiet(tmp_path, migrated_sqlite):
    env_db = {"MENTORA_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}
    import os
    import shutil

    env = {**os.environ, **env_db}
    command = [sys.executable, "-m", "mentora.cli"]
    shutil.copy(migrated_sqlite, tmp_path / "mentora.sqlite3")  # as `mentora migrate` leaves a new file
    first = subprocess.run([*command, "demo", "--mentees", "20", "--mentors", "5"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "mentee@example.org" in first.stdout
    second = subprocess.run([*command, "demo"], env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 2
    assert "already loaded" in second.stderr
    third = subprocess.run([*command, "demo", "--if-empty"], env=env, capture_output=True, text=True, timeout=300)
    assert third.returncode == 0
    assert "coordinator@example.org" in third.stdout


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every Mentora table, in primary-key order."""
    from django.apps import apps

    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if not model.__module__.startswith("mentora.") and model._meta.auto_created is False:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        tables[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return tables


@pytest.mark.django_db
def test_the_fast_inserts_write_exactly_what_bulk_create_writes(monkeypatch):
    """The demo's fast path (executemany on SQLite, COPY on PostgreSQL) against Django's own bulk_create:
    same rows, same keys."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    from mentora.core import demo
    from mentora.demo import network

    monkeypatch.setattr(network, "make_password", lambda raw: "the-one-shared-hash")  # salts are random
    runs = []
    for insert in (demo._fast_insert, demo._orm_insert):
        monkeypatch.setattr(demo, "_fast_insert", insert)
        if connection.vendor == "postgresql":  # a rolled-back run still moved the sequences: put them back
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(
                        include_auto_created=True)):
                    cursor.execute(statement)
        runs.append(_rolled_back_demo())
    fast, orm = runs
    assert sum(len(rows) for rows in fast.values()) > 500
    assert fast.keys() == orm.keys()
    assert [label for label in fast if fast[label] != orm[label]] == []


def _rolled_back_demo() -> dict[str, list[tuple]]:
    """A small demo network generated (seed 11, on one fixed day) and rolled back: every Mentora table's rows,
    without the seconds the batch-match engine took (they vary from run to run)."""
    import time_machine
    from django.db import transaction

    with time_machine.travel("2026-10-01 09:00 +00:00", tick=False), transaction.atomic():
        generate_demo(mentees=40, mentors=10, seed=11)
        tables = _snapshot()
        transaction.set_rollback(True)
    tables["batchmatch.MatchRun"] = [tuple(_without_seconds(value) for value in row)
                                     for row in tables["batchmatch.MatchRun"]]
    return tables


def _without_seconds(value):
    if isinstance(value, dict):
        return {key: _without_seconds(item) for key, item in value.items() if key != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(item) for item in value]
    return value


@pytest.mark.django_db
def test_the_demo_does_not_depend_on_the_order_the_database_returns_rows_in(monkeypatch):
    """A seed makes one network whatever order a query without ORDER BY returns its rows in: PostgreSQL returns
    them in the order they lie on disk, which differs once rows were deleted or rolled back (the demo read
    relationships unordered and drew its random numbers in that order, so the same seed made other meetings).
    SQLite's reverse_unordered_selects returns such rows the other way round."""
    from django.db import connection

    from mentora.demo import network

    if connection.vendor != "sqlite":
        pytest.skip("reverse_unordered_selects is SQLite's")
    monkeypatch.setattr(network, "make_password", lambda raw: "the-one-shared-hash")  # salts are random
    runs = []
    for reverse in ("OFF", "ON"):
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA reverse_unordered_selects = {reverse}")
        try:
            runs.append(_rolled_back_demo())
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA reverse_unordered_selects = OFF")
    in_order, reversed_ = runs
    assert sum(len(rows) for rows in in_order.values()) > 500
    assert [label for label in in_order if in_order[label] != reversed_[label]] == []


@pytest.mark.django_db
def test_the_design_scale_is_denser_history_and_fuller_plans():
    """--design-scale doubles how far back relationships go (so their meetings) and fills learning plans."""
    from django.db.models import Count

    from mentora.core.demo import DESIGN_SCALE
    from mentora.ilps.models import Goal, LearningPlan

    context = generate_demo(mentees=30, mentors=8, seed=11, history_days=DESIGN_SCALE["history_days"],
                            goals_per_plan=DESIGN_SCALE["goals_per_plan"])
    assert context.history_days == DESIGN_SCALE["history_days"]
    oldest = min(Relationship.objects.exclude(started_on=None).exclude(status="closed").values_list(
        "started_on", flat=True))
    assert (context.today - oldest).days > 400
    goals = LearningPlan.objects.exclude(mentee=context.logins["mentee"]).annotate(n=Count("goals"))
    assert goals.exists() and min(plan.n for plan in goals) >= 6
    assert Goal.objects.count() > 30 * 0.5 * 6


def test_demo_shows_corrections_of_shared_items(demo_network):
    from mentora.meetings.models import AgendaItem, SharedNote

    assert AgendaItem.history.filter(history_type="~").exists()
    assert SharedNote.history.filter(history_type="-").exists()
