"""The network roll-up: a network coordinator compares its programs' figures side by side, drills into
one program's figures, and never reaches the people behind them; small groups stay suppressed."""

from django.urls import reverse

from tests.factories import (
    MembershipFactory,
    MentorOfferFactory,
    ProgramFactory,
    RelationshipFactory,
    SensitiveAttributesFactory,
)


def _rollup(client, network) -> dict[str, dict[str, str]]:
    import re

    body = client.get(reverse("insights:network_dashboard"), {"network": network.pk}).content.decode()
    rows = {}
    for slug, row in re.findall(r'<tr data-program="([^"]+)">(.*?)</tr>', body, re.S):
        rows[slug] = {key: re.sub(r"<[^>]+>", "", value).strip()
                      for key, value in re.findall(r'<td data-figure="([a-z_]+)">(.*?)</td>', row, re.S)}
    return rows


def test_network_coordinator_compares_programs_side_by_side(client, cast):
    network, program = cast["network"], cast["program"]
    second = ProgramFactory(network=network, name="Second Program of the network")
    for _ in range(6):
        mentee = MembershipFactory(program=second, role="mentee").user
        mentor = MembershipFactory(program=second, role="mentor", training_level="faculty").user
        MentorOfferFactory(user=mentor, capacity=2)
        RelationshipFactory(mentee=mentee, mentor=mentor, program=second)
    MembershipFactory(program=second, role="mentee")  # one without a mentor
    ProgramFactory(name="Program of no network")

    client.force_login(cast["network_coordinator"])
    rows = _rollup(client, network)
    assert set(rows) == {program.slug, second.slug}
    assert rows[second.slug]["mentees"] == "7" and rows[second.slug]["mentors"] == "6"
    assert rows[second.slug]["unmatched"] == "1" and rows[second.slug]["load"] == "6 of 12"
    assert rows[program.slug]["mentees"] == "2" and rows[program.slug]["unmatched"] == "1"
    body = client.get(reverse("insights:network_dashboard")).content.decode()
    assert f'{reverse("insights:insights_dashboard")}?program={second.pk}' in body  # the drill-down link


def test_concordance_of_fewer_than_five_is_suppressed(client, cast):
    network = cast["network"]
    program = ProgramFactory(network=network)
    for _index in range(3):  # three mentees asked for a shared gender: too few to show
        mentee = MembershipFactory(program=program, role="mentee").user
        SensitiveAttributesFactory(user=mentee, concordance_wanted=["gender"])
        mentor = MembershipFactory(program=program, role="mentor", training_level="faculty").user
        SensitiveAttributesFactory(user=mentor)
        RelationshipFactory(mentee=mentee, mentor=mentor, program=program, status="active")
    client.force_login(cast["network_coordinator"])
    assert _rollup(client, network)[program.slug]["concordance"] == "&lt;5"


def test_drill_down_shows_one_programs_figures_without_the_people(client, cast):
    client.force_login(cast["network_coordinator"])
    program = cast["program"]
    answer = client.get(reverse("insights:insights_dashboard"), {"program": program.pk})
    body = answer.content.decode()
    assert answer.status_code == 200 and program.name in body
    assert 'data-testid="aggregate-only"' in body and "/insights/people/" not in body
    assert client.get(f"/insights/people/people/mentees/?program={program.pk}").status_code == 403


def test_a_program_coordinator_still_reaches_the_people(client, cast):
    client.force_login(cast["coordinator"])
    body = client.get(reverse("insights:insights_dashboard")).content.decode()
    assert "/insights/people/" in body and 'data-testid="aggregate-only"' not in body
    assert client.get(reverse("insights:network_dashboard")).status_code == 403


def test_home_links_the_networks_programs(client, cast):
    client.force_login(cast["network_coordinator"])
    body = client.get(reverse("home:home")).content.decode()
    assert f'{reverse("insights:network_dashboard")}?network={cast["network"].pk}' in body


def test_referral_queue_keeps_its_history(client, cast):
    from django.utils import timezone

    from mentora.directory.models import ReferralRequest

    answered = ReferralRequest.objects.create(
        mentee=cast["mentee_b"], network=cast["network"], kind="career", looking_for="A sponsor",
        status="picked", answered_by=cast["network_coordinator"], answered_at=timezone.now())
    ReferralRequest.objects.create(mentee=cast["mentee_a"], network=cast["network"], kind="research",
                                   looking_for="Research help")
    client.force_login(cast["network_coordinator"])
    body = client.get(reverse("directory:referral_list")).content.decode()
    history = body.split('data-testid="referral-history"')[1]
    assert reverse("directory:referral_detail", args=[answered.pk]) in history
    assert answered.get_status_display() in history and cast["mentee_a"].display_name not in history


def test_referral_mentor_search_goes_beyond_the_engines_ten(client, cast):
    from mentora.directory.models import ReferralRequest
    from tests.factories import UserFactory

    referral = ReferralRequest.objects.create(
        mentee=cast["mentee_a"], network=cast["network"], kind="career",
        looking_for="Someone who did a J-1 waiver and stayed in academic medicine")
    findable = UserFactory(full_name="Dr. Zanele Okonkwo-Searchable")
    # Offers sponsorship only, so the engine's ranking for a career referral leaves them out.
    MentorOfferFactory(user=findable, accepting_new_mentees=True, kinds_offered=["sponsor"])
    client.force_login(cast["network_coordinator"])
    url = reverse("directory:referral_detail", args=[referral.pk])
    assert findable.display_name not in client.get(url).content.decode()
    body = client.get(url, {"q": "Okonkwo-Search"}).content.decode()
    assert "J-1 waiver and stayed in academic medicine" in body  # the mentee's own words
    results = body.split('data-testid="mentor-search-results"')[1].split("</ul>")[0]
    assert findable.display_name in results and f'value="{findable.pk}"' in results
    answer = client.post(url, {"mentors": [findable.pk], "note": "She knows the waiver process."})
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "proposed" and list(referral.proposals.values_list("mentor_id", flat=True)) == [
        findable.pk]


def test_the_api_gives_a_network_coordinator_figures_not_people(client, cast):
    client.force_login(cast["network_coordinator"])
    program = cast["program"]
    dashboard = client.get("/api/insights/dashboard", {"program": program.pk})
    assert dashboard.status_code == 200 and dashboard.json()["program_ids"] == [program.pk]
    people = client.get("/api/insights/people/people/mentees", {"program": program.pk})
    assert people.status_code == 403 and cast["mentee_a"].email not in people.content.decode()
