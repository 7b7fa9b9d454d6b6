from mentora.dataio.exporters import person_section

from .models import ExternalId


@person_section("external_ids", models=["dataio.ExternalId"])
def external_ids(user):
    return [{"program": e.program.name, "external_id": e.value}
            for e in ExternalId.objects.filter(user=user).select_related("program").order_by("pk")]
