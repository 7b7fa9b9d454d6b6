import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command

from mentora.milestones.catalog import DISCLAIMER, TEMPLATES
from mentora.milestones.models import PlanMilestone
from mentora.milestones.selectors import milestone_timeline, milestones_upcoming
from mentora.milestones.services import milestone_add, milestone_reminders_send, milestone_update
from mentora.notifications.models import Notification
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 25)
OFFICIAL = ("ecfmg.org", "usmle.org", "fsmb.org", "state.gov", "uscis.gov", "abim.org")


def test_catalog_covers_the_img_steps_with_official_sources():
    keys = {t.key for t in TEMPLATES}
    assert {"ecfmg_certification", "usmle_step3", "state_licence_application", "j1_annual_renewal",
            "j1_end_of_program", "j1_waiver_conrad30", "h1b_petition", "board_eligibility"} <= keys
    for template in TEMPLATES:
        assert template.source_url.startswith("https://")
        assert any(domain in template.source_url for domain in OFFICIAL), template.source_url
        assert template.remind_days_before == tuple(sorted(template.remind_days_before, reverse=True))
        # Factual wording, never advice addressed to the reader.
        assert "you should" not in template.summary.lower() and "we recommend" not in template.summary.lower()
    assert "not legal" in DISCLAIMER.lower()


@pytest.mark.django_db
def test_reminders_once_per_lead_time_and_again_after_a_date_change(django_capture_on_commit_callbacks):
    user = UserFactory()
    step3 = milestone_add(by=user, template_key="usmle_step3", due_on=TODAY + datetime.timedelta(days=100))
    milestone_add(by=user, template_key="ecfmg_certification", due_on=TODAY + datetime.timedelta(days=200))
    done = milestone_add(by=user, template_key="board_eligibility", due_on=TODAY + datetime.timedelta(days=5))
    milestone_update(milestone=done, due_on=done.due_on, status="done", by=user)

    with django_capture_on_commit_callbacks(execute=True):
        assert milestone_reminders_send(today=TODAY) == 1  # Step 3 inside its 120-day lead; ECFMG not yet
        assert milestone_reminders_send(today=TODAY) == 0  # idempotent
        assert milestone_reminders_send(today=TODAY + datetime.timedelta(days=5)) == 0  # still the 120-day one
        assert milestone_reminders_send(today=TODAY + datetime.timedelta(days=70)) == 1  # the 30-day notice
    notices = Notification.objects.filter(user=user, kind="milestone_due")
    assert notices.count() == 2
    assert all("usmle.org" in n.body and "Not legal advice" in n.body for n in notices)
    assert all(m.to == [user.email] for m in mail.outbox) and len(mail.outbox) == 2

    milestone_update(milestone=step3, due_on=TODAY + datetime.timedelta(days=90), by=user)
    assert milestone_reminders_send(today=TODAY + datetime.timedelta(days=70)) == 1  # new date, new notice


@pytest.mark.django_db
def test_no_late_burst_of_earlier_reminders():
    user = UserFactory()
    milestone_add(by=user, template_key="j1_end_of_program", due_on=TODAY + datetime.timedelta(days=20))
    assert milestone_reminders_send(today=TODAY) == 1  # only the closest lead (30 days), not 365/180/90 too
    assert "in 20 days" in Notification.objects.get(user=user).title


@pytest.mark.django_db
def test_mentora_reminders_runs_the_milestone_scan():
    from django.utils import timezone

    user = UserFactory()
    milestone_add(by=user, template_key="h1b_petition", due_on=TODAY + datetime.timedelta(days=100))
    now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(9)))
    call_command("reminders", "--now", now.isoformat())
    assert Notification.objects.filter(user=user, kind="milestone_due").count() == 1
    call_command("reminders", "--now", now.isoformat())
    assert Notification.objects.filter(user=user, kind="milestone_due").count() == 1


@pytest.mark.django_db
def test_timeline_and_upcoming():
    user = UserFactory()
    milestone_add(by=user, template_key="j1_waiver_conrad30", due_on=TODAY + datetime.timedelta(days=10),
                  window_closes_on=TODAY + datetime.timedelta(days=40))
    milestone_add(by=user, template_key="usmle_step3", due_on=TODAY + datetime.timedelta(days=20))
    entries = milestone_timeline(user=user)
    assert [e.title for e in entries] == [
        "J-1 waiver application window (e.g. Conrad 30)", "USMLE Step 3",
        "J-1 waiver application window (e.g. Conrad 30) (window closes)",
    ]
    assert all(e.kind == "milestone" for e in entries)


@pytest.mark.django_db
def test_window_must_close_after_it_opens():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        milestone_add(by=UserFactory(), template_key="j1_waiver_conrad30", due_on=TODAY,
                      window_closes_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        milestone_add(by=UserFactory(), template_key="astrology", due_on=TODAY)
    assert not PlanMilestone.objects.exists()


@pytest.mark.django_db
def test_pages_are_private_and_show_the_disclaimer(client):
    owner, other = UserFactory(), UserFactory()
    client.force_login(owner)
    page = client.get("/milestones/")
    assert page.status_code == 200 and b"Not legal advice" in page.content and b"https://www.ecfmg.org" in page.content
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    assert client.post("/milestones/", {"template_key": "usmle_step3", "due_on": due}).status_code == 302
    bad = client.post("/milestones/", {"template_key": "usmle_step3", "due_on": due, "window_closes_on": "2000-01-01"})
    assert bad.status_code == 200 and b"cannot close before" in bad.content
    milestone = PlanMilestone.objects.get()
    assert b"USMLE Step 3" in client.get("/").content  # on the dashboard
    client.force_login(other)
    assert client.get(f"/milestones/{milestone.pk}/edit/").status_code == 403
    assert client.post(f"/milestones/{milestone.pk}/delete/").status_code == 403
    assert f"/milestones/{milestone.pk}/edit/".encode() not in client.get("/milestones/").content
    client.force_login(owner)
    assert client.post(f"/milestones/{milestone.pk}/edit/", {"due_on": due, "status": "done"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done" and milestone.completed_on is not None


@pytest.mark.django_db
def test_api(client):
    owner, other = UserFactory(), UserFactory()
    client.force_login(owner)
    catalog = client.get("/api/milestones/templates").json()
    assert len(catalog["templates"]) == len(TEMPLATES) and "not legal" in catalog["disclaimer"].lower()
    created = client.post("/api/milestones", json.dumps({"template_key": "usmle_step3", "due_on": "2027-03-01"}),
                          content_type="application/json")
    assert created.status_code == 201
    bad = client.post("/api/milestones", json.dumps({"template_key": "nope", "due_on": "2027-03-01"}),
                      content_type="application/json")
    assert bad.status_code == 422
    milestone_id = created.json()["id"]
    client.force_login(other)
    assert client.get("/api/milestones").json() == []
    assert client.delete(f"/api/milestones/{milestone_id}").status_code == 404
    client.force_login(owner)
    changed = client.put(f"/api/milestones/{milestone_id}", json.dumps({"due_on": "2027-04-01", "status": "done"}),
                         content_type="application/json")
    assert changed.status_code == 200 and changed.json()["status"] == "done"
    assert client.delete(f"/api/milestones/{milestone_id}").status_code == 204


@pytest.mark.django_db
def test_upcoming_excludes_past_and_done():
    user = UserFactory()
    today = datetime.date.today()
    milestone_add(by=user, template_key="usmle_step3", due_on=today - datetime.timedelta(days=1))
    keep = milestone_add(by=user, template_key="h1b_petition", due_on=today + datetime.timedelta(days=3))
    assert milestones_upcoming(user=user) == [keep]


@pytest.mark.django_db
def test_milestones_appear_on_the_owners_ilp_timeline_only(client):
    from mentora.ilps.timeline import mentee_timeline
    from tests.factories import RelationshipFactory

    relationship = RelationshipFactory()
    mentee, mentor = relationship.mentee, relationship.mentor
    today = datetime.date.today()
    milestone_add(by=mentee, template_key="j1_waiver_conrad30", due_on=today + datetime.timedelta(days=10),
                  window_closes_on=today + datetime.timedelta(days=40), note="Private note")
    done = milestone_add(by=mentee, template_key="ecfmg_certification", due_on=today - datetime.timedelta(days=3))
    milestone_update(milestone=done, due_on=done.due_on, status="done", by=mentee)
    dropped = milestone_add(by=mentee, template_key="h1b_petition", due_on=today + datetime.timedelta(days=5))
    milestone_update(milestone=dropped, due_on=dropped.due_on, status="dropped", by=mentee)

    events = [e for e in mentee_timeline(mentee=mentee, viewer=mentee) if e.kind == "milestone"]
    assert [(e.on, e.title, e.done) for e in events] == [
        (today - datetime.timedelta(days=3), "ECFMG certification", True),
        (today + datetime.timedelta(days=10), "J-1 waiver application window (e.g. Conrad 30)", False),
        (today + datetime.timedelta(days=40), "J-1 waiver application window (e.g. Conrad 30): window closes", False),
    ]
    assert all(e.url.startswith("https://") and any(d in e.url for d in OFFICIAL) for e in events)
    assert all("official source" in e.detail for e in events)
    assert not any("Private note" in e.detail for e in events)
    # Visa steps are private: the mentor's view of the mentee's timeline has none of them.
    assert not [e for e in mentee_timeline(mentee=mentee, viewer=mentor) if e.kind == "milestone"]

    client.force_login(mentee)
    page = client.get("/ilps/timeline/").content.decode()
    assert "J-1 waiver application window (e.g. Conrad 30): window closes" in page
    assert 'href="https://www.uscis.gov/' in page
    client.force_login(mentor)
    mentors_view = client.get(f"/ilps/timeline/{mentee.pk}/")
    assert mentors_view.status_code == 200 and "Conrad 30" not in mentors_view.content.decode()


@pytest.mark.django_db
def test_one_reminder_as_an_open_window_closes():
    user = UserFactory()
    opens, closes = TODAY, TODAY + datetime.timedelta(days=60)
    milestone_add(by=user, template_key="j1_waiver_conrad30", due_on=opens, window_closes_on=closes)
    assert milestone_reminders_send(today=TODAY) == 1  # the window opens today
    assert milestone_reminders_send(today=closes - datetime.timedelta(days=20)) == 0  # not yet within 14 days
    assert milestone_reminders_send(today=closes - datetime.timedelta(days=14)) == 1
    assert milestone_reminders_send(today=closes - datetime.timedelta(days=14)) == 0  # once
    assert milestone_reminders_send(today=closes - datetime.timedelta(days=2)) == 0  # still once per window
    closing = Notification.objects.get(user=user, key__contains="-closes-")
    assert closing.title.startswith("J-1 waiver application window (e.g. Conrad 30): the window closes in 14 days")
    assert "uscis.gov" in closing.body and "Not legal advice" in closing.body
    assert milestone_reminders_send(today=closes + datetime.timedelta(days=1)) == 0  # closed: nothing


@pytest.mark.django_db
def test_step_3_has_one_date_on_the_timeline_when_the_plan_and_the_img_milestones_both_list_it(client):
    from mentora.ilps import services as ilp_services
    from mentora.ilps.models import Milestone
    from mentora.ilps.timeline import mentee_timeline

    mentee = UserFactory()
    today = datetime.date.today()
    plan = ilp_services.plan_create(mentee=mentee, career_vision="Cardiology fellowship.")
    Milestone.objects.create(plan=plan, title="USMLE Step 3 taken", due_on=today + datetime.timedelta(days=120))
    milestone_add(by=mentee, template_key="usmle_step3", due_on=today + datetime.timedelta(days=45))
    step3 = [e for e in mentee_timeline(mentee=mentee, viewer=mentee) if "step 3" in e.title.lower()]
    assert [e.on for e in step3] == [today + datetime.timedelta(days=45)]
    later = today + datetime.timedelta(days=120)
    assert f"your learning plan gives {later:%-d %b %Y}" in step3[0].detail
    client.force_login(mentee)
    page = client.get("/ilps/timeline/").content.decode()
    assert page.count("USMLE Step 3") == 1
