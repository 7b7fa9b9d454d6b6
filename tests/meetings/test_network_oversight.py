"""A network coordinator's oversight of its programs: aggregates only."""

from django.urls import reverse

from tests.factories import ProgramFactory


def test_health_and_feedback_show_a_network_coordinator_figures_not_people(client, cast):
    client.force_login(cast["network_coordinator"])
    program = cast["program"]
    health = client.get(reverse("meetings:program_health", args=[program.pk]))
    body = health.content.decode()
    assert health.status_code == 200 and 'data-testid="aggregate-only"' in body
    assert 'id="relationships-heading"' not in body and cast["mentee_a"].display_name not in body
    assert client.get(reverse("meetings:program_feedback", args=[program.pk])).status_code == 200
    outside = ProgramFactory()
    assert client.get(reverse("meetings:program_health", args=[outside.pk])).status_code == 403
    assert client.get(reverse("meetings:program_feedback", args=[outside.pk])).status_code == 403


def test_the_programs_coordinator_still_sees_who_needs_attention(client, cast):
    client.force_login(cast["coordinator"])
    body = client.get(reverse("meetings:program_health", args=[cast["program"].pk])).content.decode()
    assert 'id="relationships-heading"' in body and 'data-testid="aggregate-only"' not in body


def test_compliance_and_scholarly_send_a_network_coordinator_to_the_programs_figures(client, cast):
    client.force_login(cast["network_coordinator"])
    program = cast["program"]
    answer = client.get(reverse("ilps:ilp_compliance"), {"program": program.pk})
    assert answer.status_code == 302 and answer["Location"] == f"{reverse('insights:insights_dashboard')}?program={program.pk}#ilps"
    answer = client.get(reverse("scholarly:scholarly_program_board", args=[program.pk]))
    assert answer["Location"] == f"{reverse('insights:insights_dashboard')}?program={program.pk}#scholarly"
    assert client.get(reverse("ilps:ilp_compliance"))["Location"] == reverse("insights:network_dashboard")
    outside = ProgramFactory()
    assert client.get(reverse("ilps:ilp_compliance"), {"program": outside.pk}).status_code == 403
    assert client.get(reverse("scholarly:scholarly_program_board", args=[outside.pk])).status_code == 403
    nudge = client.post(f"{reverse('ilps:ilp_compliance')}?program={program.pk}", {"action": "nudge"})
    assert nudge.status_code == 403  # reminders stay with the program's coordinators
