"""Reminders with a frozen clock: each kind once, at the right time; reruns, races and crashes send nothing twice."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection

from mentora.meetings import reminders, services
from mentora.meetings.models import ActionItem, Agreement
from mentora.notifications.models import Notification
from mentora.notifications.services import preference_set
from mentora.relationships.models import Relationship
from tests.factories import MembershipFactory, RelationshipFactory

T0 = datetime.datetime(2026, 3, 2, 14, 0, tzinfo=datetime.UTC)  # a Monday afternoon


def at(**delta) -> datetime.datetime:
    return T0 + datetime.timedelta(**delta)


def scan(when: datetime.datetime) -> reminders.ScanResult:
    with time_machine.travel(when, tick=False):
        return reminders.run_reminders()


def notices(kind: str) -> list[tuple[int, str]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", "key"))


@pytest.fixture
def frozen_rel(cast):
    """An active monthly relationship that started at T0, with its agreement."""
    with time_machine.travel(T0, tick=False):
        rel = Relationship.objects.get(mentee=cast["mentee_a"], mentor=cast["mentor_a"])
        Relationship.objects.filter(pk=rel.pk).update(started_on=T0.date())
        rel.refresh_from_db()
        services.agreement_save(relationship=rel, by=cast["mentor_a"], kind="career", goals="Match", cadence_days=30,
                                modes=["video"])
        Notification.objects.all().delete()
        mail.outbox.clear()
    return rel


def test_upcoming_meeting_once_in_the_24_hours_before(frozen_rel, cast):
    with time_machine.travel(T0, tick=False):
        meeting = services.meeting_schedule(relationship=frozen_rel, by=cast["mentor_a"], starts_at=at(days=3),
                                            time_zone="America/New_York", notify_other=False)
    assert scan(at(days=1)).created["meeting_upcoming"] == 0
    assert scan(at(days=1, hours=23, minutes=59)).created["meeting_upcoming"] == 0
    result = scan(at(days=2, hours=1))
    assert result.created["meeting_upcoming"] == 2
    expected_key = f"meeting_upcoming:{meeting.pk}:20260305T1400"
    assert notices("meeting_upcoming") == sorted([(cast["mentee_a"].pk, expected_key),
                                                  (cast["mentor_a"].pk, expected_key)])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast["mentee_a"].email, cast["mentor_a"].email])
    assert "09:00 (America/New_York)" in mail.outbox[0].subject
    # a second run, and a run an hour later, send nothing new
    assert scan(at(days=2, hours=1)).total == 0
    assert scan(at(days=2, hours=2)).total == 0
    assert len(mail.outbox) == 2
    # after the meeting started, nothing
    assert scan(at(days=3, minutes=1)).total == 0


def test_a_moved_meeting_is_reminded_again_at_its_new_time(frozen_rel, cast):
    with time_machine.travel(T0, tick=False):
        meeting = services.meeting_schedule(relationship=frozen_rel, by=cast["mentor_a"], starts_at=at(hours=20),
                                            time_zone="UTC", notify_other=False)
    assert scan(at(hours=1)).created["meeting_upcoming"] == 2
    with time_machine.travel(at(hours=2), tick=False):
        services.meeting_reschedule(meeting=meeting, by=cast["mentee_a"], starts_at=at(days=2), time_zone="UTC")
    assert scan(at(hours=3)).created["meeting_upcoming"] == 0
    assert scan(at(days=1, hours=1)).created["meeting_upcoming"] == 2
    assert Notification.objects.filter(kind="meeting_upcoming").count() == 4


def test_cadence_slipping_after_45_days_on_a_monthly_cadence_once_per_slip(frozen_rel, cast):
    assert scan(at(days=45)).created["cadence_slipping"] == 0
    result = scan(at(days=46))
    assert result.created["cadence_slipping"] == 2
    assert {k for _, k in notices("cadence_slipping")} == {f"cadence_slipping:{frozen_rel.pk}:2026-03-02"}
    assert "46 days" in Notification.objects.filter(kind="cadence_slipping").first().title
    assert scan(at(days=47)).total == 0 and scan(at(days=80)).total == 0
    # they meet: the clock restarts from that meeting, and a new slip is reported once more
    with time_machine.travel(at(days=80), tick=False):
        meeting = services.meeting_schedule(relationship=frozen_rel, by=cast["mentee_a"], starts_at=at(days=81),
                                            time_zone="UTC", notify_other=False)
    with time_machine.travel(at(days=82), tick=False):
        services.meeting_set_status(meeting=meeting, by=cast["mentee_a"], status="held")
    assert scan(at(days=81 + 45)).created["cadence_slipping"] == 0
    assert scan(at(days=81 + 46)).created["cadence_slipping"] == 2
    assert scan(at(days=81 + 47)).total == 0


def test_cadence_depends_on_the_agreement_and_paused_relationships_are_left_alone(frozen_rel, cast):
    Agreement.objects.filter(relationship=frozen_rel).update(cadence_days=14)
    assert scan(at(days=21)).created["cadence_slipping"] == 0
    assert scan(at(days=22)).created["cadence_slipping"] == 2
    other = RelationshipFactory(mentee=cast["mentee_b"], mentor=cast["mentor_a"], status="paused",
                                started_on=T0.date())
    scan(at(days=200))
    assert not Notification.objects.filter(user=cast["mentee_b"]).exists()
    assert other.status == "paused"


def test_overdue_action_items_once_the_day_after_they_are_due(frozen_rel, cast):
    with time_machine.travel(T0, tick=False):
        item = services.action_item_add(relationship=frozen_rel, by=cast["mentor_a"], text="Send CV",
                                        owner_id=cast["mentee_a"].pk, due_on=at(days=5).date())
        done = services.action_item_add(relationship=frozen_rel, by=cast["mentor_a"], text="Done already",
                                        owner_id=cast["mentor_a"].pk, due_on=at(days=5).date())
        services.action_item_set_done(item=done, by=cast["mentor_a"], done=True)
    assert scan(at(days=5, hours=9)).created["action_item_overdue"] == 0
    assert scan(at(days=6)).created["action_item_overdue"] == 1
    assert notices("action_item_overdue") == [(cast["mentee_a"].pk, f"action_item_overdue:{item.pk}:2026-03-07")]
    assert scan(at(days=7)).total == 0
    # a new due date is a new reminder
    ActionItem.objects.filter(pk=item.pk).update(due_on=at(days=10).date())
    assert scan(at(days=9)).total == 0
    assert scan(at(days=11)).created["action_item_overdue"] == 1


def test_each_person_chooses_what_they_receive(frozen_rel, cast):
    preference_set(by=cast["mentor_a"], kind="cadence_slipping", in_app=True, email=False)
    preference_set(by=cast["mentee_a"], kind="cadence_slipping", in_app=False, email=False)
    scan(at(days=46))
    assert [u for u, _ in notices("cadence_slipping")] == [cast["mentor_a"].pk]
    assert mail.outbox == []


def test_plugin_scans_are_found_in_other_apps_reminders_modules():
    import importlib

    from django.apps import apps

    found = reminders.plugin_scans()
    for label, scan_function in found.items():
        module = importlib.import_module(f"{apps.get_app_config(label).name}.reminders")
        assert scan_function is module.scan
    assert "meetings" not in found


def test_other_apps_plug_in_their_reminders(frozen_rel, monkeypatch):
    seen = []

    def fake_scan(now):
        seen.append(now)
        return 3

    monkeypatch.setattr(reminders, "plugin_scans", lambda: {"requests": fake_scan})
    result = scan(at(days=1))
    assert result.created["requests"] == 3 and seen == [at(days=1)]


@pytest.mark.django_db(transaction=True)
def test_a_scan_killed_midway_loses_nothing(frozen_rel, cast, monkeypatch):
    """Killed between two notices, and killed after recording a notice but before its email."""
    others = [MembershipFactory(program=cast["program"], role="mentee").user for _ in range(3)]
    with time_machine.travel(T0, tick=False):
        for mentee in others:
            rel = RelationshipFactory(mentee=mentee, mentor=cast["mentor_a"], program=cast["program"],
                                      started_on=T0.date())
            services.meeting_schedule(relationship=rel, by=mentee, starts_at=at(days=1), time_zone="UTC",
                                      notify_other=False)
        Notification.objects.all().delete()
        mail.outbox.clear()
    expected = 2 * len(others)

    from mentora.notifications import services as notification_services

    real_notify, real_send = reminders.notify, notification_services.notification_send_email
    calls = {"n": 0}

    def dying_notify(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("worker killed")
        return real_notify(**kwargs)

    monkeypatch.setattr(reminders, "notify", dying_notify)
    with pytest.raises(KeyboardInterrupt):
        scan(at(hours=12))
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2
    monkeypatch.setattr(reminders, "notify", real_notify)

    # now the process dies after recording a notice but before emailing it
    def dying_send(*, notification_id):
        raise KeyboardInterrupt("worker killed before the email")

    monkeypatch.setattr(notification_services, "notification_send_email", dying_send)
    with pytest.raises(KeyboardInterrupt):
        scan(at(hours=12, minutes=5))
    assert Notification.objects.count() == 3 and len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    monkeypatch.setattr(notification_services, "notification_send_email", real_send)

    result = scan(at(hours=12, minutes=10))
    assert Notification.objects.filter(kind="meeting_upcoming").count() == expected
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(recipients) == expected and len({(m.to[0], m.subject) for m in mail.outbox}) == expected
    assert result.created["meeting_upcoming"] == expected - 3
    assert scan(at(hours=13)).total == 0 and len(mail.outbox) == expected


def test_command_and_task(frozen_rel, cast, capsys):
    with time_machine.travel(T0, tick=False):
        services.meeting_schedule(relationship=frozen_rel, by=cast["mentor_a"], starts_at=at(hours=5),
                                  time_zone="UTC", notify_other=False)
    with time_machine.travel(at(hours=1), tick=False):
        call_command("reminders")
        assert "Reminders created: 2" in capsys.readouterr().out
        call_command("reminders")
        assert "Reminders created: 0" in capsys.readouterr().out
        from mentora.meetings.tasks import send_reminders

        result = send_reminders.enqueue()  # the immediate backend runs it now
        created = result.return_value["created"]
        assert {k: created[k] for k in reminders.BUILT_IN} == {"meeting_upcoming": 0, "cadence_slipping": 0,
                                                                "action_item_overdue": 0}
        assert result.return_value["emailed"] == 0
    assert Notification.objects.filter(kind="meeting_upcoming").count() == 2


def test_command_rejects_a_bad_time():
    from mentora.cli import main

    assert main(["reminders", "--now", "yesterday"]) == 2


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_on_postgresql_send_each_reminder_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so two scans cannot overlap; this race is tested on PostgreSQL")
    mentees = [MembershipFactory(program=cast["program"], role="mentee").user for _ in range(15)]
    with time_machine.travel(T0, tick=False):
        for mentee in mentees:
            rel = RelationshipFactory(mentee=mentee, mentor=cast["mentor_a"], program=cast["program"],
                                      started_on=T0.date())
            services.meeting_schedule(relationship=rel, by=mentee, starts_at=at(hours=6), time_zone="UTC",
                                      notify_other=False)
            item = services.action_item_add(relationship=rel, by=mentee, text="x", owner_id=mentee.pk,
                                            due_on=T0.date())
            # Overdue: the due date passed (a new item cannot be given a date in the past).
            ActionItem.objects.filter(pk=item.pk).update(due_on=T0.date() - datetime.timedelta(days=1))
    Notification.objects.all().delete()
    mail.outbox.clear()
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            with time_machine.travel(at(hours=1), tick=False):
                reminders.run_reminders()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    upcoming = 2 * len(mentees)
    assert Notification.objects.filter(kind="meeting_upcoming").count() == upcoming
    assert Notification.objects.filter(kind="action_item_overdue").count() == len(mentees)
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(sent) == len(set(sent)) == Notification.objects.count()
