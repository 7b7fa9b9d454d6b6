"""The batch-match preview page: its work is a page's whatever the run's size, and what staff read on it
(reasons with points, people told apart, a swap list without repeats, manual assignment, undo, a warning
for weights that make every score equal)."""

import re

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.batchmatch import services
from mentora.relationships.models import Relationship
from tests.directory.helpers import make_mentor, make_person
from tests.factories import MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db

WEIGHTS = {f"weight_{name}": 1 for name in ("specialty", "research_interests", "career_tracks", "img_background",
                                             "country", "languages", "time_zone", "training_gap", "institution")}


def program_with(mentees: int, mentors: int, *, capacity: int = 5, mentee_names=None):
    program = ProgramFactory()
    coordinator = make_person(name="Coordinator")
    MembershipFactory(user=coordinator, program=program, role="coordinator", training_level="")
    people = []
    for i in range(mentees):
        name = mentee_names[i] if mentee_names else f"Mentee {i:03d}"
        level = ("pgy1", "pgy2", "pgy3")[i % 3]
        mentee = make_person(name=name, research=("sepsis", "stroke", "heart failure")[i % 3], level=level)
        MembershipFactory(user=mentee, program=program, role="mentee", training_level=level)
        people.append(mentee)
    pool = []
    for i in range(mentors):
        mentor = make_mentor(name=f"Mentor {i:03d}", research=("sepsis care", "stroke care", "heart failure")[i % 3],
                             capacity=capacity, years=13)
        MembershipFactory(user=mentor, program=program, role="mentor", training_level="faculty")
        pool.append(mentor)
    return {"program": program, "coordinator": coordinator, "mentees": people, "mentors": pool}


def finished_run(setting, **options):
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.match_run_create(program=setting["program"], by=setting["coordinator"], **options)
    run.refresh_from_db()
    assert run.status == "ready"
    return run


def measure(client, setting, run) -> dict:
    client.force_login(setting["coordinator"])
    url = reverse("batchmatch:match_run_detail", args=[run.pk])
    client.get(url)  # warm: sessions, roles
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    return {"queries": len(queries), "rows": page.count("<tr data-mentee="), "options": page.count("<option"),
            "forms": page.count("<form"), "unmatched_rows": page.count("<tr data-unmatched=")}


def test_preview_work_and_queries_do_not_grow_with_the_number_of_pairs(client):
    """60 pairs and 120 pairs: the same queries, the same rows, forms and options rendered (a page's worth)."""
    small = program_with(60, 12)
    small_run = finished_run(small)
    large = program_with(120, 24)
    large_run = finished_run(large)
    assert small_run.result["summary"]["matched"] == 60 and large_run.result["summary"]["matched"] == 120
    a, b = measure(client, small, small_run), measure(client, large, large_run)
    assert a == b
    assert a["rows"] == 50  # one page of pairs
    assert a["options"] == 0  # no list of every other pair in each row
    assert a["queries"] <= 16
    client.force_login(large["coordinator"])
    second = client.get(reverse("batchmatch:match_run_detail", args=[large_run.pk]) + "?page=3").content.decode()
    assert second.count("<tr data-mentee=") == 20 and "Page 3 of 3" in second


def test_reasons_carry_points_and_are_worded_for_staff(client):
    setting = program_with(3, 2)
    run = finished_run(setting)
    client.force_login(setting["coordinator"])
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    rows = re.findall(r'<tr data-mentee="\d+">.*?</tr>', page, re.S)
    assert len(rows) == 3
    for row in rows:
        reasons = re.findall(r"<li>(.*?)</li>", row, re.S)
        assert reasons and all(re.match(r'<span class="points">\+\d+(\.\d)?</span> \S', r) for r in reasons)
    assert "ahead of you" not in page and "training levels ahead" not in page and "your interest" not in page
    assert "Career stages: mentee PGY-1, mentor Faculty, 13 years in practice" in page
    assert "Shared interest in sepsis" in page


def test_namesakes_are_told_apart_by_level_and_program(client):
    setting = program_with(3, 2, mentee_names=["Dr. Sarah Thomas"] * 3)
    run = finished_run(setting)
    client.force_login(setting["coordinator"])
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    cells = [re.sub(r"<[^>]+>", " ", cell) for cell in
             re.findall(r'<tr data-mentee="\d+">\s*<td>(.*?)</td>', page, re.S)]
    cells = [" ".join(cell.split()) for cell in cells]
    assert len(cells) == 3 and all("Dr. Sarah Thomas" in cell for cell in cells)
    assert len(set(cells)) == 3  # PGY-1, PGY-2, PGY-3
    assert all(setting["program"].name in cell for cell in cells)


def test_the_swap_list_names_each_other_pair_once_and_leaves_out_the_same_mentor(client):
    setting = program_with(8, 4, capacity=2)
    run = finished_run(setting)
    pairs = {p.mentee_id: p.mentor_id for p in run.pairs.filter(mentor__isnull=False)}
    mentee, mentor = next(iter(pairs.items()))
    client.force_login(setting["coordinator"])
    response = client.get(reverse("batchmatch:match_run_swap", args=[run.pk, mentee]))
    assert response.status_code == 200
    page = response.content.decode()
    offered = [int(x) for x in re.findall(r'<tr data-other="(\d+)">', page)]
    assert len(offered) == len(set(offered))
    assert mentee not in offered
    assert set(offered) == {other for other, their_mentor in pairs.items() if their_mentor != mentor}
    other = offered[0]
    client.post(reverse("batchmatch:match_run_action", args=[run.pk, "swap"]), {"mentee": mentee, "other": other})
    assert run.pairs.get(mentee_id=mentee).mentor_id == pairs[other]
    assert run.pairs.get(mentee_id=other).mentor_id == mentor


def test_an_unmatched_mentee_can_be_given_a_mentor_with_free_places(client):
    from mentora.conflicts.services import evaluating_role_declare

    setting = program_with(4, 2, capacity=1)  # two places for four mentees
    full, spare = setting["mentors"]
    run = finished_run(setting)
    waiting = list(run.pairs.filter(mentor__isnull=True).values_list("mentee_id", flat=True))
    assert len(waiting) == 2
    client.force_login(setting["coordinator"])
    page = client.get(reverse("batchmatch:match_run_assign", args=[run.pk, waiting[0]])).content.decode()
    assert "No mentor of the pool has a free place" in page  # both places are taken by the preview
    spare.mentor_offer.capacity = 3
    spare.mentor_offer.save()
    page = client.get(reverse("batchmatch:match_run_assign", args=[run.pk, waiting[0]])).content.decode()
    assert re.findall(r'<tr data-mentor="(\d+)">', page) == [str(spare.pk)]
    # A full mentor is refused, with the reason.
    response = client.post(reverse("batchmatch:match_run_action", args=[run.pk, "assign"]),
                           {"mentee": waiting[0], "mentor": full.pk}, follow=True)
    assert "no free place" in response.content.decode()
    # So is a conflict of interest.
    mentee = type(full).objects.get(pk=waiting[1])
    evaluating_role_declare(by=spare, role="ccc_member", mentee=mentee)
    response = client.post(reverse("batchmatch:match_run_action", args=[run.pk, "assign"]),
                           {"mentee": waiting[1], "mentor": spare.pk}, follow=True)
    assert "conflict of interest" in response.content.decode()
    assert run.pairs.get(mentee_id=waiting[1]).mentor_id is None
    client.post(reverse("batchmatch:match_run_action", args=[run.pk, "assign"]), {"mentee": waiting[0], "mentor": spare.pk})
    assigned = run.pairs.get(mentee_id=waiting[0])
    assert assigned.mentor_id == spare.pk and assigned.locked and assigned.reasons and assigned.score > 0
    run.refresh_from_db()
    assert [waiting[0], spare.pk] in run.locks and run.result["summary"]["matched"] == 3
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.match_run_publish(run_id=run.pk, by=setting["coordinator"])
    assert Relationship.objects.filter(mentee_id=waiting[0], mentor=spare, source="batch_match").exists()


def test_a_removed_pair_can_be_undone(client):
    setting = program_with(3, 2)
    run = finished_run(setting)
    pair = run.pairs.filter(mentor__isnull=False).first()
    mentee, mentor, score = pair.mentee_id, pair.mentor_id, pair.score
    client.force_login(setting["coordinator"])
    response = client.post(reverse("batchmatch:match_run_action", args=[run.pk, "remove"]), {"mentee": mentee}, follow=True)
    page = response.content.decode()
    assert 'data-testid="undo-remove"' in page and ">Undo<" in page
    run.refresh_from_db()
    assert [mentee, mentor] in run.exclusions and run.result["summary"]["matched"] == 2
    client.post(reverse("batchmatch:match_run_action", args=[run.pk, "undo"]), {"mentee": mentee})
    pair.refresh_from_db()
    run.refresh_from_db()
    assert (pair.mentor_id, pair.score, pair.removed) == (mentor, score, None)
    assert [mentee, mentor] not in run.exclusions and run.result["summary"]["matched"] == 3


def test_weights_that_make_every_score_equal_are_warned_about(client):
    setting = program_with(2, 1)
    client.force_login(setting["coordinator"])
    data = {"program": setting["program"].pk, "kind": "career", "cohort": "all", "pool": "program",
            "algorithm": "optimal", "exclude_previous": "on", "institution_rule": "any",
            **{name: 0 for name in WEIGHTS}}
    response = client.post(reverse("batchmatch:match_run_new"), data)
    assert response.status_code == 200 and "Every weight is zero" in response.content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("batchmatch:match_run_new"), {**data, "equal_scores_ok": "on"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="equal-weights"' in page
    run_id = int(response["Location"].rstrip("/").split("/")[-1])
    assert client.get(f"/api/match-runs/{run_id}").json()["warnings"]


def test_the_sparse_profile_rule_holds_in_the_batch_preview_as_on_the_recommendation_page():
    """A just-imported mentor known only by a specialty is no evidence of fit on the rest: the batch pairs
    the mentee with the mentor who matches on the specialty and more, and scores each pair as the
    mentee's recommendations do."""
    from mentora.directory import matching
    from mentora.profiles.models import Profile

    program = ProgramFactory()
    coordinator = make_person(name="Coordinator Sparse")
    MembershipFactory(user=coordinator, program=program, role="coordinator", training_level="")
    mentee = make_person(name="Mentee Sparse", country="IN", languages=["en", "ta"], tracks=["research"],
                         img_status="non_us_img")
    MembershipFactory(user=mentee, program=program, role="mentee")
    sparse = make_mentor(name="Dr Only Specialty", languages=(), modes=(), time_zone="", years=None, capacity=1)
    Profile.objects.filter(user=sparse).update(training_level="")
    fuller = make_mentor(name="Dr Fuller Profile", country="PK", img_status="us_grad", time_zone="America/Chicago",
                         capacity=1)
    for mentor in (sparse, fuller):
        MembershipFactory(user=mentor, program=program, role="mentor", training_level="faculty")
    with TestCase.captureOnCommitCallbacks(execute=True):
        run = services.match_run_create(program=program, by=coordinator)
    run.refresh_from_db()
    row = run.pairs.get(mentee=mentee)
    assert row.mentor_id == fuller.pk
    recommended = {r["mentor"]: r["score"] for r in matching.recommendations_for(mentee)}
    assert recommended[fuller.pk] > recommended[sparse.pk]
    assert row.score == pytest.approx(recommended[fuller.pk], abs=0.01)
    staff_sparse = matching.pair_score(mentee, sparse, audience=matching.PROGRAM_STAFF)["score"]
    assert staff_sparse == pytest.approx(recommended[sparse.pk], abs=0.01) and staff_sparse < 50


def test_the_conflicts_of_a_page_are_read_alone_and_the_run_document_stays_small(client):
    """Two mentors evaluate every mentee of the program: 120 conflict pairs, three pages. The run's stored
    document holds figures only (its size does not grow with the conflicts), a page of the preview reads
    one page of conflict pairs, and the pages together list every pair once, in the same order."""
    import json

    from mentora.batchmatch.selectors import CONFLICTS_PAGE_SIZE, run_conflicts
    from mentora.conflicts.services import evaluating_role_declare
    from mentora.directory.matching import person_key

    setting = program_with(60, 12)
    for mentor in setting["mentors"][:2]:
        evaluating_role_declare(by=mentor, role="ccc_member", program=setting["program"])
    run = finished_run(setting)
    expected = sorted((mentee.pk, mentor.pk) for mentee in setting["mentees"] for mentor in setting["mentors"][:2])
    assert len(expected) > 2 * CONFLICTS_PAGE_SIZE
    assert len(json.dumps(run.result)) < 3000, "the run's document grows with its conflict pairs"
    stored = list(run_conflicts(run)[0:len(expected)])
    assert [(c["mentee"], c["mentor"]) for c in stored] == [(person_key(a), person_key(b)) for a, b in expected]
    client.force_login(setting["coordinator"])
    url = reverse("batchmatch:match_run_detail", args=[run.pk])
    shown = []
    for number in (1, 2, 3):
        client.get(f"{url}?conflicts_page={number}")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"{url}?conflicts_page={number}").content.decode()
        assert "Conflicts of interest kept apart (120)" in page
        shown += re.findall(r'data-conflict-mentee="u(\d+)" data-conflict-mentor="u(\d+)"', page)
        # The conflict pairs are read as one stored page: one query, whichever page.
        read = [q["sql"] for q in queries.captured_queries if "batchmatch_matchconflictpage" in q["sql"]]
        assert len(read) == 1
    assert [(int(a), int(b)) for a, b in shown] == expected


def test_a_run_stored_with_its_conflicts_in_its_document_moves_them_to_pages(client):
    """Runs stored before the pages had every conflict pair in their document: the data migration moves
    them out, and the preview lists the same pairs, in the same order, with the same count."""
    import importlib

    from django.apps import apps

    from mentora.batchmatch.models import MatchRun
    from mentora.batchmatch.selectors import run_conflicts
    from mentora.conflicts.services import evaluating_role_declare

    migration = importlib.import_module("mentora.batchmatch.migrations.0005_conflict_pages")
    setting = program_with(30, 6)
    for mentor in setting["mentors"][:2]:
        evaluating_role_declare(by=mentor, role="ccc_member", program=setting["program"])
    run = finished_run(setting)
    listed = run_conflicts(run)[:]
    assert len(listed) == 60
    old_style = {key: value for key, value in run.result.items() if key != "conflicts_total"}
    MatchRun.objects.filter(pk=run.pk).update(result={**old_style, "conflicts": listed})
    run.conflict_pages.all().delete()
    migration.conflicts_out_of_results(apps, None)
    run.refresh_from_db()
    assert "conflicts" not in run.result and run.result["conflicts_total"] == 60
    assert run_conflicts(run)[:] == listed
    client.force_login(setting["coordinator"])
    url = reverse("batchmatch:match_run_detail", args=[run.pk])
    shown = []
    for number in (1, 2):
        page = client.get(f"{url}?conflicts_page={number}").content.decode()
        assert "Conflicts of interest kept apart (60)" in page
        shown += re.findall(r'data-conflict-mentee="(u\d+)" data-conflict-mentor="(u\d+)"', page)
    assert shown == [(c["mentee"], c["mentor"]) for c in listed]
