"""The demo shows a coordinator's tools: an import history, the program's own nudge email, its survey."""

from django.urls import reverse

from mentora.core.demo import DEMO_LOGINS
from mentora.dataio.models import ImportBatch
from mentora.meetings import selectors
from mentora.notifications.models import EmailTemplate


def test_demo_program_has_import_history_its_own_email_and_survey(client, demo_network):
    program = demo_network.demo_program
    assert ImportBatch.objects.filter(program=program, committed_at__isnull=False).count() == 2
    waiting = ImportBatch.objects.get(program=program, committed_at__isnull=True)
    assert EmailTemplate.objects.filter(program=program, kind="nudge").exists()
    assert selectors.survey_questions(program_id=program.pk)[-1]["key"] == "would_recommend"
    client.login(email=DEMO_LOGINS["coordinator"], password="mentora-demo")
    history = client.get(reverse("dataio:import_history")).content.decode()
    assert "faculty-and-late-starters.csv" in history and "3 skipped" in history
    preview = client.get(reverse("dataio:import_preview", args=[waiting.pk])).content.decode()
    assert "Cardiac Surgery" in preview and "Import 2 rows and skip the 1 row with problems" in preview
    emails = client.get(reverse("notifications:email_template_list", args=[program.pk])).content.decode()
    assert "The program's own" in emails
