"""The ILP panels of the program insights dashboard (mentora.insights reads them when ILPs are on)."""

from mentora.core.academic_year import current_academic_year
from mentora.ilps import services
from mentora.insights.providers import BY_KEY
from mentora.insights.scope import Scope


def test_ilp_panels_count_plans_goals_and_drill_down_to_people(plan_a, cast):
    services.plan_submit(plan=plan_a, by=cast["mentee_a"])
    services.plan_sign_off(plan=plan_a, mentor=cast["mentor_a"])
    services.plan_create(mentee=cast["mentee_b"])
    scope = Scope(program_ids=(cast["program"].pk,), academic_year=current_academic_year())
    panel = BY_KEY["ilps"].panel(scope)
    compliance = {row[0].value: row[1] for row in panel.tables[0].rows}
    assert compliance["ILP signed off in the last 12 months"].value == 1
    assert compliance["No ILP signed off in the last 12 months"].value == 1
    status = {row[0].value: row[1].value for row in panel.tables[1].rows}
    assert status == {"No plan this year": 0, "Draft": 1, "Waiting for sign-off": 0, "Signed off": 1}
    people = BY_KEY["ilps"].people(scope, compliance["No ILP signed off in the last 12 months"].drill)
    assert list(people) == [cast["mentee_b"]]
    goals = BY_KEY["goals"].panel(scope)
    assert {row[0].value: row[1].value for row in goals.tables[0].rows}["Not started"] == 1
    assert list(BY_KEY["goals"].people(scope, "goals:domain:research")) == [cast["mentee_a"]]
    other = Scope(program_ids=(cast["other_program"].pk,), academic_year=current_academic_year())
    assert BY_KEY["ilps"].panel(other).empty and BY_KEY["goals"].panel(other).empty
