import datetime

from django.utils import timezone

from mentora.ilps import services
from mentora.ilps.models import LearningPlan
from mentora.meetings.reminders import run_reminders
from mentora.notifications.models import Notification


def test_review_due_reminder_reaches_mentee_and_mentor_once(plan_a, cast):
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    Notification.objects.all().delete()
    assert run_reminders(only={"ilps"}).created["ilps"] == 0  # just reviewed: nothing due
    cast["program"].review_frequency = "quarterly"
    cast["program"].save()
    LearningPlan.objects.filter(pk=plan_a.pk).update(last_reviewed_on=timezone.localdate() - datetime.timedelta(days=95))
    assert run_reminders(only={"ilps"}).created["ilps"] == 2
    assert run_reminders(only={"ilps"}).created["ilps"] == 0
    notices = Notification.objects.filter(kind="ilp_review_due")
    assert {n.user_id for n in notices} == {cast["mentee_a"].pk, cast["mentor_a"].pk}
    assert all("was due" in n.title and plan_a.get_absolute_url() == n.url for n in notices)
    # other mentees never hear about it
    assert not Notification.objects.filter(user__in=[cast["mentee_b"], cast["other_mentor"]]).exists()
