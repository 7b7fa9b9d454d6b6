"""In-app notifications and preferences."""

from django.urls import reverse

from mentora.notifications.models import Notification
from tests.trust.matrix import Row

PROBE = "Probe notice for mentee A"


def _a_notice(c):
    return Notification.objects.create(user=c.mentee_a, kind="relationship", key="trust-probe", title=PROBE)


# Columns:   anon  menA  menB  mtrA  mtrX  coA   coX   netC  admin
ROWS = [
    Row("notifications:notification_list", lambda c: (_a_notice(c), reverse("notifications:notification_list"))[1], probe=lambda c: PROBE,
        note="only A sees A's notice",
        expect="login 200+  200-  200-  200-  200-  200-  200-  200-"),
    Row("notifications:notification_read_all", lambda c: reverse("notifications:notification_read_all"), method="POST",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("notifications:notification_read_all", lambda c: reverse("notifications:notification_read_all"), note="POST only",
        expect="login 405   405   405   405   405   405   405   405"),
    Row("notifications:notification_read", lambda c: reverse("notifications:notification_read", args=[_a_notice(c).pk]), method="POST",
        note="marks only one's own notices; others' ids are ignored",
        expect="login 302   302   302   302   302   302   302   302"),
    Row("notifications:notification_preferences", lambda c: reverse("notifications:notification_preferences"),
        "login 200   200   200   200   200   200   200   200"),
    Row("notifications:notification_preferences", lambda c: reverse("notifications:notification_preferences"), method="POST",
        expect="login 302   302   302   302   302   302   302   302"),
    # A program's email templates: its coordinators and site admins.
    Row("notifications:email_template_list", lambda c: reverse("notifications:email_template_list", args=[c.program.pk]),
        "login 403   403   403   403   200   403   403   200"),
    Row("notifications:email_template_edit", lambda c: reverse("notifications:email_template_edit", args=[c.program.pk, "nudge"]),
        "login 403   403   403   403   200   403   403   200"),
    Row("notifications:email_template_edit", lambda c: reverse("notifications:email_template_edit", args=[c.program.pk, "nudge"]),
        method="POST", data={"action": "save", "subject": "Hi {{ person_name }}", "body": "Please {{ what }}."},
        expect="login 403   403   403   403   302   403   403   302"),
]
