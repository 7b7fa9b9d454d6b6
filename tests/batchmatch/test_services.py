import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse

from mentora.accounts.models import User
from mentora.batchmatch import services
from mentora.batchmatch.models import MatchRun
from mentora.batchmatch.selectors import assignments, run_conflicts, unmatched
from mentora.directory.matching import person_key, user_id_of
from mentora.notifications.models import Notification
from mentora.profiles.models import MentorOffer
from mentora.relationships.models import Relationship
from tests.directory.helpers import consent, make_mentor, make_person
from tests.factories import MembershipFactory, ProgramFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    program = ProgramFactory()
    coordinator = make_person(name="Coordinator")
    MembershipFactory(user=coordinator, program=program, role="coordinator", training_level="")
    mentees = []
    for i, (country, research) in enumerate([("IN", "heart failure"), ("NG", "sepsis"), ("MX", "diabetes"),
                                             ("IN", "stroke")]):
        mentee = make_person(name=f"Mentee {i}", country=country, research=research, img_status="non_us_img")
        MembershipFactory(user=mentee, program=program, role="mentee")
        mentees.append(mentee)
    mentors = []
    for i, (country, research, capacity) in enumerate([("IN", "heart failure outcomes", 2), ("NG", "sepsis care", 1),
                                                       ("MX", "diabetes care", 1)]):
        mentor = make_mentor(name=f"Mentor {i}", country=country, research=research, capacity=capacity,
                             img_status="non_us_img")
        MembershipFactory(user=mentor, program=program, role="mentor", training_level="faculty")
        mentors.append(mentor)
    return {"program": program, "coordinator": coordinator, "mentees": mentees, "mentors": mentors}


def run_for(setting, **options):
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task is enqueued at commit
        return services.match_run_create(program=setting["program"], by=setting["coordinator"], **options)


def pairs(run):
    return {(a["mentee"], a["mentor"]) for a in assignments(run)}


def test_run_previews_pairs_with_reasons_and_creates_nothing(setting):
    run = run_for(setting)  # the immediate task backend runs it at commit
    run.refresh_from_db()
    assert run.status == "ready" and run.progress == 100
    assert len(assignments(run)) == 4  # capacities 2 + 1 + 1
    key = person_key
    assert (key(setting["mentees"][0].pk), key(setting["mentors"][0].pk)) in pairs(run)
    assert all(a["reasons"] for a in assignments(run))
    summary = run.result["summary"]
    assert summary["matched"] == 4 and summary["min_score"] <= summary["mean_score"]
    assert not Relationship.objects.exists() and not Notification.objects.exists()


def test_constraints_previous_pairs_and_capacity_taken(setting):
    mentee0, mentor0 = setting["mentees"][0], setting["mentors"][0]
    RelationshipFactory(mentee=mentee0, mentor=mentor0, kind="research", status="closed")
    RelationshipFactory(mentee=make_person(name="Outside"), mentor=mentor0)  # one of mentor 0's places is taken
    run = run_for(setting)
    run.refresh_from_db()
    assert (person_key(mentee0.pk), person_key(mentor0.pk)) not in pairs(run)
    load = [a["mentor"] for a in assignments(run)].count(person_key(mentor0.pk))
    assert load <= 1
    assert unmatched(run)  # four mentees, three free places
    allowed = run_for(setting, exclude_previous=False)
    allowed.refresh_from_db()
    assert (person_key(mentee0.pk), person_key(mentor0.pk)) in pairs(allowed)


def test_lock_remove_swap_and_rerun(setting):
    run = run_for(setting)
    run.refresh_from_db()
    coordinator = setting["coordinator"]
    first, second = [a for a in assignments(run)][:2]
    m1, m2 = int(first["mentee"][1:]), int(second["mentee"][1:])
    if first["mentor"] == second["mentor"]:
        second = next(a for a in assignments(run) if a["mentor"] != first["mentor"])
        m2 = int(second["mentee"][1:])
    run = services.match_run_edit(run_id=run.pk, by=coordinator, action="swap", mentee_id=m1, other_mentee_id=m2)
    swapped = {a["mentee"]: a for a in assignments(run)}
    assert swapped[first["mentee"]]["mentor"] == second["mentor"] and swapped[first["mentee"]]["locked"]
    assert sorted(run.locks) == sorted([[m1, int(second["mentor"][1:])], [m2, int(first["mentor"][1:])]])
    third = next(a for a in assignments(run) if a["mentee"] not in (first["mentee"], second["mentee"]))
    m3, removed_mentor = int(third["mentee"][1:]), third["mentor"]
    run = services.match_run_edit(run_id=run.pk, by=coordinator, action="remove", mentee_id=m3)
    assert [m3, int(removed_mentor[1:])] in run.exclusions
    assert run.result["summary"]["matched"] == 3
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.match_run_rerun(run_id=run.pk, by=coordinator)
    run.refresh_from_db()
    assert run.status == "ready"
    result = {a["mentee"]: a["mentor"] for a in assignments(run)}
    assert result[first["mentee"]] == second["mentor"] and result[second["mentee"]] == first["mentor"]  # kept
    assert result.get(third["mentee"]) != removed_mentor  # removed pair stays out
    assert not Relationship.objects.exists()


def test_publish_creates_relationships_and_notifies_both_sides(setting):
    run = run_for(setting)
    run.refresh_from_db()
    created = services.match_run_publish(run_id=run.pk, by=setting["coordinator"])
    assert len(created) == len(assignments(run))
    assert all(r.source == "batch_match" and r.status == "active" for r in created)
    for relationship in created:
        assert Notification.objects.filter(user=relationship.mentee, kind="match_published").exists()
        assert Notification.objects.filter(user=relationship.mentor, kind="match_published").exists()
    with pytest.raises(ValidationError):
        services.match_run_publish(run_id=run.pk, by=setting["coordinator"])  # published already


def test_publish_refuses_when_capacity_went_meanwhile(setting):
    run = run_for(setting)
    run.refresh_from_db()
    mentor1 = setting["mentors"][1]  # capacity 1, used by the preview
    RelationshipFactory(mentee=make_person(name="Late"), mentor=mentor1)
    with pytest.raises(ValidationError, match="no longer have enough free places"):
        services.match_run_publish(run_id=run.pk, by=setting["coordinator"])
    assert Relationship.objects.filter(source="batch_match").count() == 0  # all or nothing


def test_only_the_programs_coordinators(setting, client):
    outsider_program = ProgramFactory()
    outsider = make_person(name="Other coordinator")
    MembershipFactory(user=outsider, program=outsider_program, role="coordinator", training_level="")
    with pytest.raises(ValidationError):
        services.match_run_create(program=setting["program"], by=outsider)
    run = run_for(setting)
    client.force_login(outsider)
    assert client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).status_code == 404
    assert f"#{run.pk}<" not in client.get(reverse("batchmatch:match_run_list")).content.decode()
    assert client.post(reverse("batchmatch:match_run_action", args=[run.pk, "publish"])).status_code == 404
    client.force_login(setting["mentees"][0])
    assert client.get(reverse("batchmatch:match_run_list")).status_code == 403
    assert client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).status_code == 404
    client.force_login(setting["coordinator"])
    assert client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).status_code == 200


def test_preview_shows_concordance_only_as_counts(setting, client):
    mentee, mentor = setting["mentees"][0], setting["mentors"][0]
    consent(mentee, gender="non_binary", concordance_wanted=["gender"])
    consent(mentor, gender="non_binary", concordance_consent=["gender"])
    run = run_for(setting)
    run.refresh_from_db()
    assert run.result["summary"]["concordance"]["gender"] == {"asked": 1, "met": 1}
    client.force_login(setting["coordinator"])
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert "Meets a concordance the mentee asked for" in page and "non_binary" not in page and "Non-binary" not in page
    assert "Matches a concordance you asked for" not in page  # the mentee's wording is not the coordinator's


def test_withdrawn_consent_leaves_stored_previews(setting, django_capture_on_commit_callbacks):
    """A 'concordance met' reason is derived from both people's answers: it goes when either withdraws."""
    from mentora.privacy.services import sensitive_consent_withdraw

    mentee, mentor = setting["mentees"][0], setting["mentors"][0]
    consent(mentee, race_ethnicity="black", concordance_wanted=["race_ethnicity"])
    consent(mentor, race_ethnicity="black", concordance_consent=["race_ethnicity"])  # private: staff may use it
    run = run_for(setting)
    run.refresh_from_db()
    pair = next(a for a in assignments(run) if a["mentee"] == person_key(mentee.pk))
    assert pair["mentor"] == person_key(mentor.pk) and "race_ethnicity" in [r["criterion"] for r in pair["reasons"]]
    assert run.result["summary"]["concordance"]["race_ethnicity"]["met"] == 1
    others = [a for a in assignments(run) if a["mentee"] != person_key(mentee.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        sensitive_consent_withdraw(by=mentor)

    run.refresh_from_db()
    after = next(a for a in assignments(run) if a["mentee"] == person_key(mentee.pk))
    assert after["mentor"] == person_key(mentor.pk)  # the pair stays
    assert "race_ethnicity" not in [r["criterion"] for r in after["reasons"]]
    assert after["score"] == pytest.approx(sum(r["points"] for r in after["reasons"]), abs=0.02)
    assert run.result["summary"]["concordance"]["race_ethnicity"]["met"] == 0
    assert [a for a in assignments(run) if a["mentee"] != person_key(mentee.pk)] == others


def test_new_run_form(setting, client):
    client.force_login(setting["coordinator"])
    data = {"program": setting["program"].pk, "kind": "career", "cohort": "all", "pool": "program",
            "algorithm": "fair", "exclude_previous": "on", "institution_rule": "any",
            **{f"weight_{name}": 1 for name in ("specialty", "research_interests", "career_tracks", "img_background",
                                                 "country", "languages", "time_zone", "training_gap", "institution")}}
    assert client.post(reverse("batchmatch:match_run_new"), {**data, "weight_country": -1}).status_code == 200
    assert not MatchRun.objects.exists()
    response = client.post(reverse("batchmatch:match_run_new"), data)
    run = MatchRun.objects.get()
    assert response["Location"] == reverse("batchmatch:match_run_detail", args=[run.pk])
    assert run.algorithm == "fair" and run.weights["country"] == 1


def test_conflicts_of_interest_are_never_paired(setting):
    from mentora.conflicts.services import conflict_policy_set, evaluating_role_declare

    mentee0, mentor0 = setting["mentees"][0], setting["mentors"][0]
    conflict_policy_set(program=setting["program"], forbid_evaluator_pairs=True,
                        by=MembershipFactory(program=setting["program"], role="coordinator").user)
    evaluating_role_declare(by=mentor0, role="ccc_member", mentee=mentee0)
    run = run_for(setting)
    run.refresh_from_db()
    assert (person_key(mentee0.pk), person_key(mentor0.pk)) not in pairs(run)


def test_conflicts_of_interest_are_excluded_by_default_flagged_in_the_preview_and_never_published(setting, client):
    """No policy row (the default, "warn only" for requests): batch matching still keeps every pair where
    the mentor also evaluates the mentee apart, lists each one flagged in the preview, and publishes none."""
    from mentora.conflicts.services import evaluating_role_declare

    mentees, mentors = setting["mentees"], setting["mentors"]
    conflicts = [(mentees[0], mentors[0]), (mentees[1], mentors[1])]  # each mentee's best-fitting mentor
    for mentee, mentor in conflicts:
        evaluating_role_declare(by=mentor, role="ccc_member", mentee=mentee)
    run = run_for(setting)
    run.refresh_from_db()
    keys = {(person_key(a.pk), person_key(b.pk)) for a, b in conflicts}
    assert run.status == "ready" and not keys & pairs(run)
    assert {(c["mentee"], c["mentor"]) for c in run_conflicts(run)[:]} == keys
    client.force_login(setting["coordinator"])
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert "Conflicts of interest kept apart (2)" in page
    for mentee, mentor in conflicts:
        assert f'data-conflict-mentee="{person_key(mentee.pk)}" data-conflict-mentor="{person_key(mentor.pk)}"' in page
    assert page.count("Clinical competency committee member for this mentee") == 2
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.match_run_publish(run_id=run.pk, by=setting["coordinator"])
    published = set(Relationship.objects.values_list("mentee_id", "mentor_id"))
    assert published and not published & {(a.pk, b.pk) for a, b in conflicts}


def test_a_conflict_declared_after_the_run_blocks_publish_and_swap(setting):
    from mentora.conflicts.services import evaluating_role_declare

    run = run_for(setting)
    run.refresh_from_db()
    first = assignments(run)[0]
    mentee_id, mentor_id = user_id_of(first["mentee"]), user_id_of(first["mentor"])
    evaluating_role_declare(by=User.objects.get(pk=mentor_id), role="rotation_evaluator",
                            mentee=User.objects.get(pk=mentee_id))
    with pytest.raises(ValidationError, match="conflicts of interest"):
        services.match_run_publish(run_id=run.pk, by=setting["coordinator"])
    assert not Relationship.objects.exists()
    other = next(a for a in assignments(run) if user_id_of(a["mentor"]) != mentor_id)
    # Swapping would give the other mentee a mentor who evaluates them.
    evaluating_role_declare(by=User.objects.get(pk=mentor_id), role="rotation_evaluator",
                            mentee=User.objects.get(pk=user_id_of(other["mentee"])))
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.match_run_edit(run_id=run.pk, by=setting["coordinator"], action="swap",
                                mentee_id=user_id_of(other["mentee"]), other_mentee_id=mentee_id)


def test_a_coordinator_keeps_a_conflict_pair_only_where_the_policy_lets_them_and_says_why(setting, client):
    """Batch matching keeps a mentor who evaluates the mentee apart; where the program's policy lets a
    coordinator keep such a pair, they may, with a reason: the preview shows it, a re-run keeps it, and the
    publish records the reason in the relationship's history and tells both of them."""
    from mentora.conflicts.services import conflict_policy_set, evaluating_role_declare
    from mentora.relationships.models import RelationshipEvent

    program, coordinator = setting["program"], setting["coordinator"]
    mentee, mentor = setting["mentees"][2], setting["mentors"][2]
    evaluating_role_declare(by=mentor, role="ccc_member", mentee=mentee)
    run = run_for(setting)
    run.refresh_from_db()
    MentorOffer.objects.filter(user=mentor).update(capacity=3)  # a place for the pair to keep
    key = (person_key(mentee.pk), person_key(mentor.pk))
    assert key not in pairs(run) and key in {(c["mentee"], c["mentor"]) for c in run_conflicts(run)[:]}
    keep = {"run_id": run.pk, "by": coordinator, "action": "keep", "mentee_id": mentee.pk, "mentor_id": mentor.pk}
    client.force_login(coordinator)
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert "Kept apart" in page and "Keep this pair" not in page  # the policy has no override: no button
    with pytest.raises(ValidationError, match="does not let a coordinator keep"):
        services.match_run_edit(**keep, reason="Only cardiologist in the program")
    # A program that forbids such pairs cannot let a coordinator keep one.
    with pytest.raises(ValidationError, match="cannot let a coordinator keep"):
        conflict_policy_set(program=program, forbid_evaluator_pairs=True, coordinator_may_override=True,
                            by=coordinator)
    conflict_policy_set(program=program, forbid_evaluator_pairs=False, coordinator_may_override=True,
                        by=coordinator)
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert "Keep this pair" in page
    with pytest.raises(ValidationError, match="Say why"):
        services.match_run_edit(**keep, reason="  ")
    response = client.post(reverse("batchmatch:match_run_action", args=[run.pk, "keep"]),
                           {"mentee": mentee.pk, "mentor": mentor.pk, "reason": "Only diabetes mentor on site"})
    assert response.status_code == 302
    row = run.pairs.get(mentee=mentee)
    assert row.mentor_id == mentor.pk and row.locked and row.conflict_kept["reason"] == "Only diabetes mentor on site"
    page = client.get(reverse("batchmatch:match_run_detail", args=[run.pk])).content.decode()
    assert 'data-testid="conflict-kept"' in page and "Conflict of interest, kept: Only diabetes mentor on site" in page
    # A re-run keeps the pair and its reason (it is a locked pair).
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.match_run_rerun(run_id=run.pk, by=coordinator)
    run.refresh_from_db()
    assert run.status == "ready" and run.pairs.get(mentee=mentee).conflict_kept["reason"] == "Only diabetes mentor on site"
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.match_run_publish(run_id=run.pk, by=coordinator)
    relationship = Relationship.objects.get(mentee=mentee, mentor=mentor)
    event = RelationshipEvent.objects.get(relationship=relationship, action="started")
    assert "Only diabetes mentor on site" in event.reason and "Clinical competency committee member" in event.reason
    for person in (mentee, mentor):
        note = Notification.objects.get(user=person, kind="match_published")
        assert "Only diabetes mentor on site" in note.body and "also evaluates" in note.body


def test_a_kept_conflict_pair_is_refused_at_publish_once_the_policy_no_longer_allows_it(setting):
    from mentora.conflicts.services import conflict_policy_set, evaluating_role_declare

    program, coordinator = setting["program"], setting["coordinator"]
    mentee, mentor = setting["mentees"][2], setting["mentors"][2]
    evaluating_role_declare(by=mentor, role="ccc_member", mentee=mentee)
    conflict_policy_set(program=program, forbid_evaluator_pairs=False, coordinator_may_override=True, by=coordinator)
    run = run_for(setting)
    run.refresh_from_db()
    MentorOffer.objects.filter(user=mentor).update(capacity=3)
    services.match_run_edit(run_id=run.pk, by=coordinator, action="keep", mentee_id=mentee.pk,
                            mentor_id=mentor.pk, reason="Agreed with the program director")
    conflict_policy_set(program=program, forbid_evaluator_pairs=False, coordinator_may_override=False, by=coordinator)
    with pytest.raises(ValidationError, match="conflicts of interest"):
        services.match_run_publish(run_id=run.pk, by=coordinator)
    assert not Relationship.objects.exists()
    # Removing the kept pair and undoing the removal keeps it again only where the policy allows.
    services.match_run_edit(run_id=run.pk, by=coordinator, action="remove", mentee_id=mentee.pk)
    with pytest.raises(ValidationError, match="does not let a coordinator keep"):
        services.match_run_edit(run_id=run.pk, by=coordinator, action="undo", mentee_id=mentee.pk)
