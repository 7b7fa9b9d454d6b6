import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mentora.notifications.models import Notification
from mentora.programs.models import Membership
from mentora.programs.selectors import current_academic_year
from mentora.relationships.models import Relationship
from mentora.rollover.models import RelationshipRenewal, RolloverRun
from mentora.rollover.plan import rollover_plan
from mentora.rollover.services import renewal_answer, rollover_commit
from tests.factories import MembershipFactory, ProgramFactory, RelationshipFactory


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
                "user_id", "academic_year", "role", "training_level")))


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
    renewal_answer(renewal=renewal, user=program_year["pgy1"], answer="continue")
    renewal = renewal_answer(renewal=renewal, user=program_year["mentor"], answer="change", note="Meet monthly")
    assert renewal.outcome == "change"
    assert Relationship.objects.get(pk=program_year["relationship"].pk).status == "active"
    renewal = renewal_answer(renewal=renewal, user=program_year["mentor"], answer="close")
    assert renewal.outcome == "close"
    assert Relationship.objects.get(pk=program_year["relationship"].pk).status == "closed"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        renewal_answer(renewal=renewal, user=program_year["pgy2"], answer="close")
    with pytest.raises(ValidationError):
        renewal_answer(renewal=renewal, user=program_year["pgy1"], answer="maybe")


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
    assert client.post(url, {}).status_code == 302 and snapshot() == before  # not confirmed: nothing
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    renewal = RelationshipRenewal.objects.get()
    client.force_login(program_year["pgy2"])
    assert client.get(f"/rollover/renewals/{renewal.pk}/").status_code == 403
    client.force_login(program_year["pgy1"])
    assert client.get(f"/rollover/renewals/{renewal.pk}/").status_code == 200
    assert client.post(f"/rollover/renewals/{renewal.pk}/", {"answer": "close"}).status_code == 302
    assert Relationship.objects.get(pk=program_year["relationship"].pk).status == "closed"
