from mentora.dataio.exporters import person_section

from .models import AccountInvitation, ExternalId


@person_section("external_ids", models=["dataio.ExternalId"])
def external_ids(user):
    return [{"program": e.program.name, "external_id": e.value}
            for e in ExternalId.objects.filter(user=user).select_related("program").order_by("pk")]


@person_section("account_invitations", models=["dataio.AccountInvitation"])
def account_invitations(user):
    return [{"program": i.program.name, "status": i.status, "times_sent": i.round, "sent_at": i.sent_at,
             "accepted_at": i.accepted_at}
            for i in AccountInvitation.objects.filter(user=user).select_related("program").order_by("pk")]
