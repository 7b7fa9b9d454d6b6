import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from mentora.core.academic_year import current_academic_year
from mentora.ilps.models import Goal, LearningPlan
from mentora.notifications.models import Notification
from mentora.programs.models import Membership
from mentora.relationships.models import Relationship
from mentora.rollover.models import RelationshipRenewal, RolloverRun
from mentora.rollover.plan import rollover_plan
from mentora.rollover.services import renewal_answer, rollover_commit
from tests.factories import MembershipFactory, ProgramFactory, RelationshipFactory
from tests.ilps.factories import GoalFactory, PlanFactory


@pytest.fixture
def program_year(db):
    year = current_academic_year()
    program = ProgramFactory(specialty="internal_medicine")  # three years: PGY-3 graduates
    people = {
        level: MembershipFactory(program=program, role="mentee", training_level=level).user
        for level in ("pgy1", "pgy2", "pgy3")
    }
    mentor = MembershipFactory(program=program, role="mentor", training_level="faculty").user
    coordinator = MembershipFactory(program=program, role="coordinator", training_level="").user
    MembershipFactory(program=program, role="mentee", training_level="pgy1", is_active=False)  # left: ignored
    relationship = RelationshipFactory(mentee=people["pgy1"], mentor=mentor, program=program)
    RelationshipFactory(mentee=people["pgy3"], mentor=mentor, program=program, status="closed")
    return {"year": year, "program": program, "mentor": mentor, "coordinator": coordinator,
            "relationship": relationship, **people}


def snapshot():
    return (Membership.objects.count(), RelationshipRenewal.objects.count(), Notification.objects.count(),
            RolloverRun.objects.count(), list(Membership.objects.order_by("pk").values_list(
                "user_id", "academic_year", "role", "training_level")),
            list(LearningPlan.objects.order_by("pk").values_list(
                "mentee_id", "academic_year", "status", "previous_plan_id")),
            list(Goal.objects.order_by("pk").values_list("plan_id", "statement", "status", "carried_from_id")))


def test_preview_changes_nothing(program_year):
    before = snapshot()
    plan = rollover_plan(program=program_year["program"], from_year=program_year["year"])
    assert plan.counts["advance"] == 2 and plan.counts["graduate"] == 1 and plan.counts["carry"] == 2
    assert plan.relationships_to_ask == [program_year["relationship"].pk]
    assert snapshot() == before


def test_commit_advances_graduates_carries_and_asks(program_year):
    year, program = program_year["year"], program_year["program"]
    run, plan = rollover_commit(program=program, from_year=year)
    nxt = {m.user_id: m for m in Membership.objects.filter(program=program, academic_year=year + 1)}
    assert nxt[program_year["pgy1"].pk].training_level == "pgy2"
    assert nxt[program_year["pgy2"].pk].training_level == "pgy3"
    assert program_year["pgy3"].pk not in nxt  # graduated
    assert nxt[program_year["mentor"].pk].role == "mentor" and nxt[program_year["coordinator"].pk].role == "coordinator"
    assert len(nxt) == 4
    # Never a new program; this year's memberships untouched.
    assert Membership.objects.filter(program=program, academic_year=year).count() == 6
    renewal = RelationshipRenewal.objects.get()
    assert renewal.relationship == program_year["relationship"] and renewal.academic_year == year + 1
    asked = Notification.objects.filter(key=f"renewal-{renewal.pk}")
    assert {n.user_id for n in asked} == {program_year["pgy1"].pk, program_year["mentor"].pk}
    assert run.counts["advance"] == 2 and run.counts["graduate"] == 1


def test_running_twice_changes_nothing_more(program_year):
    rollover_commit(program=program_year["program"], from_year=program_year["year"])
    after_first = snapshot()
    run, plan = rollover_commit(program=program_year["program"], from_year=program_year["year"])
    assert not plan.changes_anything
    assert snapshot() == after_first
    assert RolloverRun.objects.get().counts["advance"] == 2


def test_renewal_answers_close_only_when_someone_closes(program_year):
    rollover_commit(program=program_year["program"], from_year=program_year["year"])
    renewal = RelationshipRenewal.objects.get()
    renewal_answer(renewal=renewal, by=program_year["pgy1"], answer="continue")
    renewal = renewal_answer(renewal=renewal, by=program_year["mentor"], answer="change", note="Meet monthly")
    assert renewal.outcome == "change"
    assert Relationship.objects.get(pk=program_year["relationship"].pk).status == "active"
    renewal = renewal_answer(renewal=renewal, by=program_year["mentor"], answer="close")
    assert renewal.outcome == "close"
    assert Relationship.objects.get(pk=program_year["relationship"].pk).status == "closed"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        renewal_answer(renewal=renewal, by=program_year["pgy2"], answer="close")
    with pytest.raises(ValidationError):
        renewal_answer(renewal=renewal, by=program_year["pgy1"], answer="maybe")


def test_command_previews_then_commits_and_refuses_unknown_program(program_year, capsys):
    slug = program_year["program"].slug
    before = snapshot()
    call_command("rollover", "--program", slug)
    assert "Preview only" in capsys.readouterr().out and snapshot() == before
    call_command("rollover", "--program", slug, "--commit")
    assert "Committed" in capsys.readouterr().out
    after = snapshot()
    call_command("rollover", "--program", slug, "--commit")
    assert "Nothing more to do" in capsys.readouterr().out and snapshot() == after
    with pytest.raises(CommandError) as error:
        call_command("rollover", "--program", "no-such-program")
    assert error.value.returncode == 2


def test_pages(client, program_year):
    url = f"/rollover/programs/{program_year['program'].slug}/"
    client.force_login(program_year["mentor"])
    assert client.get(url).status_code == 403
    client.force_login(program_year["coordinator"])
    page = client.get(url)
    assert page.status_code == 200 and b"Confirm rollover" in page.content
    before = snapshot()
    assert client.post(url, {}).status_code == 422 and snapshot() == before  # not confirmed: nothing
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker commits it (immediate backend)
        confirmed = client.post(url, {"confirm": "yes"})
    assert confirmed.status_code == 302 and confirmed["Location"].startswith("/background/jobs/")
    result = client.get(confirmed["Location"]).content.decode()
    assert 'data-testid="job-status">Done<' in result and "1 relationships asked" in result
    renewal = RelationshipRenewal.objects.get()
    client.force_login(program_year["pgy2"])
    assert client.get(f"/rollover/renewals/{renewal.pk}/").status_code == 403
    client.force_login(program_year["pgy1"])
    assert client.get(f"/rollover/renewals/{renewal.pk}/").status_code == 200
    assert client.post(f"/rollover/renewals/{renewal.pk}/", {"answer": "close"}).status_code == 302
    assert Relationship.objects.get(pk=program_year["relationship"].pk).status == "closed"


@pytest.fixture
def plans(program_year):
    """This year's plans: PGY-1 with goals in every state, PGY-3 (graduating) with an open goal; PGY-2 has none."""
    year = program_year["year"]
    plan = PlanFactory(mentee=program_year["pgy1"], academic_year=year, program=program_year["program"],
                       career_vision="Academic hospitalist")
    goals = {
        status: GoalFactory(plan=plan, statement=f"Goal that is {status}", status=status,
                            percent_done={"in_progress": 40, "achieved": 100}.get(status, 0),
                            priority="focus" if status == "in_progress" else "standard")
        for status in ("not_started", "in_progress", "achieved", "dropped")
    }
    graduate_plan = PlanFactory(mentee=program_year["pgy3"], academic_year=year, program=program_year["program"])
    GoalFactory(plan=graduate_plan, statement="Finish the QI project")
    return {"plan": plan, "goals": goals, "graduate_plan": graduate_plan}


def test_preview_counts_plans_to_open_and_goals_to_carry_and_writes_nothing(program_year, plans):
    before = snapshot()
    plan = rollover_plan(program=program_year["program"], from_year=program_year["year"])
    assert plan.ilps_to_open == 2  # PGY-1 and PGY-2 go on; PGY-3 graduates
    assert plan.goals_to_carry == 2  # PGY-1's not started and in progress goals
    assert plan.counts["ilps_to_open"] == 2 and plan.counts["goals_to_carry"] == 2
    assert snapshot() == before


def test_commit_opens_next_years_plans_carrying_unfinished_goals(program_year, plans):
    year, program = program_year["year"], program_year["program"]
    run, _plan = rollover_commit(program=program, from_year=year)
    new = LearningPlan.objects.get(mentee=program_year["pgy1"], academic_year=year + 1)
    assert new.previous_plan == plans["plan"] and new.program == program and new.status == "draft"
    assert new.career_vision == "Academic hospitalist"
    carried = {goal.statement: goal for goal in new.goals.all()}
    assert set(carried) == {"Goal that is not_started", "Goal that is in_progress"}
    in_progress = carried["Goal that is in_progress"]
    assert in_progress.carried_from == plans["goals"]["in_progress"] and in_progress.is_carried
    assert (in_progress.status, in_progress.percent_done, in_progress.priority) == ("in_progress", 40, "focus")
    assert in_progress.carried_from_year_label == plans["plan"].academic_year_label
    # Last year's plan is left as it was.
    assert plans["plan"].goals.count() == 4 and not any(g.is_carried for g in plans["plan"].goals.all())
    # PGY-2 had no plan: an empty one is opened; the graduate gets none.
    assert not LearningPlan.objects.get(mentee=program_year["pgy2"], academic_year=year + 1).goals.exists()
    assert not LearningPlan.objects.filter(mentee=program_year["pgy3"], academic_year=year + 1).exists()
    assert run.counts["ilps_opened"] == 2 and run.counts["goals_carried"] == 2


def test_running_twice_carries_nothing_more_even_after_the_mentee_edits(program_year, plans):
    year, program = program_year["year"], program_year["program"]
    rollover_commit(program=program, from_year=year)
    new = LearningPlan.objects.get(mentee=program_year["pgy1"], academic_year=year + 1)
    new.goals.filter(status="not_started").delete()  # the mentee no longer wants it this year
    after_first = snapshot()
    run, plan = rollover_commit(program=program, from_year=year)
    assert not plan.changes_anything and plan.ilps_to_open == 0 and plan.goals_to_carry == 0
    assert snapshot() == after_first
    assert run.counts["goals_carried"] == 2


def test_a_plan_the_mentee_opened_already_gets_the_goals(program_year, plans):
    year = program_year["year"]
    own = PlanFactory(mentee=program_year["pgy1"], academic_year=year + 1, career_vision="My own words")
    GoalFactory(plan=own, statement="A new goal for next year")
    rollover_commit(program=program_year["program"], from_year=year)
    own.refresh_from_db()
    assert own.previous_plan == plans["plan"] and own.career_vision == "My own words"
    assert sorted(own.goals.values_list("statement", flat=True)) == [
        "A new goal for next year", "Goal that is in_progress", "Goal that is not_started"]
    assert LearningPlan.objects.filter(mentee=program_year["pgy1"]).count() == 2


def test_carried_goals_are_marked_on_the_plan_and_shown_once_on_the_timeline(client, program_year, plans):
    from mentora.ilps.timeline import goal_events

    rollover_commit(program=program_year["program"], from_year=program_year["year"])
    mentee = program_year["pgy1"]
    new = LearningPlan.objects.get(mentee=mentee, academic_year=program_year["year"] + 1)
    client.force_login(mentee)
    page = client.get(f"/ilps/{new.pk}/")
    assert page.status_code == 200
    assert f"Carried from {plans['plan'].academic_year_label}".encode() in page.content
    titles = [event.title for event in goal_events(mentee=mentee, viewer=mentee)]
    assert titles.count("Goal due: Goal that is in_progress") == 1
    assert titles.count("Goal due: Goal that is achieved") == 1


@pytest.fixture
def larger_program(program_year, plans):
    """Eight more residents in their first year, each with a plan holding an open goal: several batches."""
    year, program = program_year["year"], program_year["program"]
    for n in range(8):
        mentee = MembershipFactory(program=program, role="mentee", training_level="pgy1").user
        GoalFactory(plan=PlanFactory(mentee=mentee, academic_year=year, program=program),
                    statement=f"Open goal of resident {n}")
        RelationshipFactory(mentee=mentee, mentor=program_year["mentor"], program=program)
    return program_year


def _stop_at_membership_insert(number: int):
    """A database wrapper that fails the `number`-th insert of memberships, as a killed worker would stop."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "programs_membership" in sql:
            seen.append(sql)
            if len(seen) == number:
                raise RuntimeError("the worker stopped here")
        return execute(sql, params, many, context)

    return wrapper


def test_a_rollover_stopped_mid_way_keeps_its_finished_batches_and_the_next_run_finishes_it(
        larger_program, settings, client):
    """The rollover writes a few people per transaction (a long one blocked every other write on
    SQLite): stopped mid-way, the people done stay done, and running it again does only the rest,
    doubling nothing and counting everyone once."""
    from django.db import connection
    from django.db.models import Count

    settings.ROLLOVER_PEOPLE_PER_TRANSACTION = 2
    year, program = larger_program["year"], larger_program["program"]
    preview = rollover_plan(program=program, from_year=year)
    expected = preview.counts
    assert expected["advance"] == 10 and expected["ilps_to_open"] == 10 and expected["goals_to_carry"] == 10

    with connection.execute_wrapper(_stop_at_membership_insert(3)), pytest.raises(RuntimeError):
        rollover_commit(program=program, from_year=year)

    next_year = Membership.objects.filter(program=program, academic_year=year + 1)
    done = next_year.count()
    assert 0 < done < expected["advance"] + expected["carry"], "the batches before the stop are kept"
    halfway = rollover_plan(program=program, from_year=year)
    assert halfway.changes_anything and not halfway.already_committed and halfway.partly_committed
    client.force_login(larger_program["coordinator"])
    page = client.get(f"/rollover/programs/{program.slug}/").content.decode()
    assert 'data-testid="rollover-partly"' in page and "Committed already" not in page

    run, _plan = rollover_commit(program=program, from_year=year)

    assert next_year.count() == expected["advance"] + expected["carry"]
    assert not next_year.values("user", "role").annotate(n=Count("pk")).filter(n__gt=1).exists()
    opened = LearningPlan.objects.filter(mentee__memberships__program=program, academic_year=year + 1).distinct()
    assert opened.count() == expected["ilps_to_open"]
    carried = Goal.objects.filter(carried_from__isnull=False)
    assert carried.count() == expected["goals_to_carry"]
    assert carried.values("carried_from").distinct().count() == expected["goals_to_carry"]
    assert RelationshipRenewal.objects.count() == expected["relationships_to_ask"] == 9
    after = rollover_plan(program=program, from_year=year)
    assert after.already_committed and not after.partly_committed and not after.changes_anything
    counts = RolloverRun.objects.get().counts
    assert {key: counts.get(key) for key in ("advance", "graduate", "carry", "ilps_opened", "goals_carried")} == {
        "advance": expected["advance"], "graduate": expected["graduate"], "carry": expected["carry"],
        "ilps_opened": expected["ilps_to_open"], "goals_carried": expected["goals_to_carry"]}
    assert counts == run.counts
