"""The rollover preview at a program's size: pages, search, export, per-person overrides kept across pages,
and the confirmation error next to the form."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentora.core.academic_year import current_academic_year
from mentora.programs.models import Membership
from mentora.rollover.plan import rollover_plan
from mentora.rollover.services import rollover_commit
from tests.factories import MembershipFactory, ProgramFactory, UserFactory


@pytest.fixture
def big_program(db):
    program = ProgramFactory(specialty="internal_medicine")
    coordinator = MembershipFactory(program=program, role="coordinator", training_level="",
                                    user=UserFactory(full_name="Avery Coordinator")).user
    residents = [MembershipFactory(program=program, role="mentee", training_level="pgy1",
                                   user=UserFactory(full_name=f"Resident {i:03d}")) for i in range(60)]
    return {"program": program, "coordinator": coordinator, "residents": residents,
            "url": f"/rollover/programs/{program.slug}/"}


def _rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-membership="(\d+)"', html)]


def test_preview_comes_in_pages_and_searches(client, big_program):
    client.force_login(big_program["coordinator"])
    first = client.get(big_program["url"]).content.decode()
    second = client.get(big_program["url"], {"page": 2}).content.decode()
    assert len(_rows(first)) == 50 and len(_rows(second)) == 11  # 60 residents and the coordinator
    found = client.get(big_program["url"], {"q": "Resident 042"}).content.decode()
    assert _rows(found) == [big_program["residents"][42].pk]
    ordered = client.get(big_program["url"], {"sort": "-person"}).content.decode()
    assert _rows(ordered)[0] == big_program["residents"][59].pk


def test_preview_exports_every_row(client, big_program):
    client.force_login(big_program["coordinator"])
    response = client.get(big_program["url"], {"export": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["Person", "Role", "Now", "Next year", "Action"]
    assert len(table) == 62
    assert ["Resident 007", "Mentee", "PGY-1", "PGY-2", "Advance"] in table


def test_unconfirmed_rollover_says_so_next_to_the_form(client, big_program):
    client.force_login(big_program["coordinator"])
    response = client.post(big_program["url"], {"action": "commit"})
    html = response.content.decode()
    assert response.status_code == 422
    form = html[html.index('id="rollover-confirm"'):]
    assert "Tick the box to confirm the rollover" in form[:form.index("</form>")]
    assert 'aria-invalid="true"' in form[:form.index("</form>")]
    assert not Membership.objects.filter(academic_year=current_academic_year() + 1).exists()


def test_per_person_overrides_chosen_across_pages_change_the_plan_and_the_commit(client, big_program):
    client.force_login(big_program["coordinator"])
    url = big_program["url"]
    residents = big_program["residents"]
    first = _rows(client.get(url).content.decode())
    # tick two on page 1, move to page 2 (ticks kept), tick one there, then say they repeat the year
    moved = client.post(url, {"shown": first, "picked": [residents[0].pk, residents[1].pk], "goto": "?page=2"})
    assert moved.status_code == 302 and moved["Location"].endswith("?page=2")
    second_html = client.get(url, {"page": 2}).content.decode()
    assert "2 selected" in second_html
    second = _rows(second_html)
    client.post(url + "?page=2", {"shown": second, "picked": [residents[55].pk], "action": "override",
                                  "override": "repeat"})
    client.post(url, {"shown": first, "picked": [residents[2].pk], "action": "override", "override": "leave"})
    plan = rollover_plan(program=big_program["program"], from_year=current_academic_year())
    steps = {step.membership_id: step for step in plan.steps}
    for person in (residents[0], residents[1], residents[55]):
        assert (steps[person.pk].action, steps[person.pk].next_level) == ("carry", "pgy1")
        assert steps[person.pk].override == "repeat"
    assert steps[residents[2].pk].action == "leave"
    assert steps[residents[3].pk].action == "advance"
    html = client.get(url, {"q": "Resident 000"}).content.decode()
    assert "Repeats the year" in html
    rollover_commit(program=big_program["program"], from_year=current_academic_year())
    nxt = dict(Membership.objects.filter(program=big_program["program"], academic_year=current_academic_year() + 1)
               .values_list("user_id", "training_level"))
    assert nxt[residents[0].user_id] == "pgy1" and nxt[residents[3].user_id] == "pgy2"
    assert residents[2].user_id not in nxt
    # an override is undone the same way
    client.post(url, {"shown": first, "picked": [residents[1].pk], "action": "override", "override": "none"})
    steps = {s.membership_id: s for s in rollover_plan(program=big_program["program"],
                                                      from_year=current_academic_year()).steps}
    assert steps[residents[1].pk].override == ""


def test_an_override_of_another_program_is_refused(client, big_program):
    other = MembershipFactory(program=ProgramFactory(), role="mentee", training_level="pgy1")
    client.force_login(big_program["coordinator"])
    client.post(big_program["url"], {"shown": [other.pk], "picked": [other.pk], "action": "override",
                                     "override": "leave"})
    from mentora.rollover.models import RolloverOverride

    assert not RolloverOverride.objects.exists()


def test_preview_query_count_does_not_grow(client, big_program):
    client.force_login(big_program["coordinator"])
    client.get(big_program["url"])
    with CaptureQueriesContext(connection) as small:
        client.get(big_program["url"])
    with CaptureQueriesContext(connection) as small_export:
        client.get(big_program["url"], {"export": "csv"})
    for _ in range(40):
        MembershipFactory(program=big_program["program"], role="mentee", training_level="pgy2")
    with CaptureQueriesContext(connection) as large:
        client.get(big_program["url"], {"page": 2})
    with CaptureQueriesContext(connection) as large_export:
        client.get(big_program["url"], {"export": "csv"})
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large_export.captured_queries) == len(small_export.captured_queries)
