"""The network coordinator's referral history says what happened after the mentee chose a mentor: the
request to that mentor was accepted, declined (the fact only, never the mentor's note) or is still waiting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.directory import services
from tests.factories import NetworkFactory

from .helpers import make_mentor, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory()
    coordinator = make_person(name="Coordinator Rivera")
    network.coordinators.add(coordinator)
    mentor = make_mentor(name="Dr Proposed Mentor", capacity=50)
    return {"network": network, "coordinator": coordinator, "mentor": mentor}


def _picked(network, mentee_name: str):
    """A referral answered by the coordinator whose mentee chose the proposed mentor; returns the request."""
    mentee = make_person(name=mentee_name)
    referral = services.referral_create(by=mentee, network=network["network"], kind="career",
                                        looking_for="A cardiologist")
    services.referral_propose(referral_id=referral.pk, by=network["coordinator"], mentor_ids=[network["mentor"].pk])
    return services.referral_pick(referral_id=referral.pk, by=mentee, mentor_id=network["mentor"].pk,
                                  why="Proposed to me", hopes="A career plan")


def _row_for(page: str, name: str) -> str:
    table = page.split('data-testid="referral-history"', 1)[1].split("</table>", 1)[0]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S) if name in row]
    assert len(rows) == 1, rows
    return rows[0]


def test_the_history_says_whether_the_chosen_mentor_accepted_declined_or_has_not_answered(client, network):
    accepted = _picked(network, "Mentee Asha")
    services.request_accept(request_id=accepted.pk, by=network["mentor"])
    declined = _picked(network, "Mentee Bilal")
    services.request_decline(request_id=declined.pk, by=network["mentor"], note="Private reason about my year")
    _picked(network, "Mentee Chen")
    client.force_login(network["coordinator"])
    page = client.get(reverse("directory:referral_list")).content.decode()
    assert "Accepted" in _row_for(page, "Mentee Asha")
    assert "Declined" in _row_for(page, "Mentee Bilal")
    assert "Waiting for the mentor" in _row_for(page, "Mentee Chen")
    assert "Waiting for the mentor" not in _row_for(page, "Mentee Asha")
    assert "Private reason" not in page  # the fact of the answer, never the mentor's note


def test_the_history_can_be_filtered_by_what_happened_next(client, network):
    accepted = _picked(network, "Mentee Asha")
    services.request_accept(request_id=accepted.pk, by=network["mentor"])
    declined = _picked(network, "Mentee Bilal")
    services.request_decline(request_id=declined.pk, by=network["mentor"])
    _picked(network, "Mentee Chen")
    client.force_login(network["coordinator"])
    url = reverse("directory:referral_list")
    for outcome, shown in (("accepted", "Mentee Asha"), ("declined", "Mentee Bilal"),
                           ("waiting", "Mentee Chen")):
        page = client.get(url, {"outcome": outcome}).content.decode()
        history = page.split('id="history-heading"', 1)[1]
        assert shown in history
        assert {"Mentee Asha", "Mentee Bilal", "Mentee Chen"} - {shown} == {
            name for name in ("Mentee Asha", "Mentee Bilal", "Mentee Chen") if name not in history}
    response = client.get(url, {"outcome": "nonsense"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Mentee Asha" in page and "Mentee Chen" in page  # the unfiltered history, with the error


def test_the_referral_page_query_count_does_not_grow_with_the_history(client, network):
    def count() -> int:
        client.force_login(network["coordinator"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("directory:referral_list")).status_code == 200
        return len(queries)

    for i in range(2):
        request = _picked(network, f"Mentee Small {i}")
        services.request_decline(request_id=request.pk, by=network["mentor"])
    small = count()
    for i in range(6):
        request = _picked(network, f"Mentee Large {i}")
        if i % 2:
            services.request_accept(request_id=request.pk, by=network["mentor"])
    large = count()
    assert small == large
