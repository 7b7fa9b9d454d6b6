"""Unit tests of the SMART analyzer, one group per criterion (no Django needed)."""

import dataclasses
import datetime
import subprocess
import sys

import pytest

from mentora.smart import CRITERIA, CriterionResult, GoalAssessment, analyze

TODAY = datetime.date(2026, 11, 1)


def judge(statement, **kwargs):
    kwargs.setdefault("today", TODAY)
    return analyze(statement, **kwargs)


# --- specific -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "goal",
    [
        "Perform 10 supervised paracenteses by March 2027",
        "Submit a case report on my patient with Takotsubo cardiomyopathy to the ACP chapter meeting",
        "Study for Step 3",
        "Improve hand hygiene compliance on 5 West from 70% to 90% by June 2027",
        "Become chief resident",
        "Read and interpret 100 ECGs with my cardiology mentor",
        "By Q3 2027, complete the first 3 modules of the IHI Open School QI curriculum",
    ],
)
def test_specific_goals_pass(goal):
    assert judge(goal).specific.ok


@pytest.mark.parametrize(
    ("goal", "quoted"),
    [
        ("Understand acid-base disorders", "'Understand'"),
        ("Learn about research methods", "'Learn about'"),
        ("I want to know the antibiotics", "'Know'"),
        ("Get better at cardiology", "'Get better'"),
        ("Be a better teacher", "'Be a better"),
        ("Improve my ECG interpretation", "'Improve'"),
        ("Work on my physical exam skills", "'Work on'"),
        ("Become more confident in managing DKA", "'Become more"),
        ("Figure out my career", "'Figure out'"),
        ("Read more papers", "'Read more'"),
        ("Ace my boards", "'Ace'"),
    ],
)
def test_vague_actions_fail_specific_and_the_hint_quotes_them(goal, quoted):
    result = judge(goal).specific
    assert not result.ok
    assert quoted in result.hint


def test_understand_hint_asks_what_the_mentee_will_be_able_to_do():
    assert judge("Understand the H-1B process").specific.hint.startswith(
        "'Understand' cannot be observed: what will you be able to do?"
    )


@pytest.mark.parametrize("goal", ["Publish a research paper", "Do a QI project", "Teach the interns", "Do research"])
def test_generic_objects_are_not_specific(goal):
    result = judge(goal).specific
    assert not result.ok
    assert "too general" in result.hint


def test_a_directional_verb_with_a_target_is_specific():
    assert judge("Reduce CAUTI rates on our ward by 20% within 12 months").specific.ok
    assert not judge("Reduce CAUTI rates on our ward").specific.ok


# --- measurable -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "goal",
    [
        "Complete 500 UWorld questions",
        "Score above 75% on the NBME practice exam",
        "Reach the 70th percentile on in-training exams",
        "Meet my career mentor monthly to discuss fellowship plans",
        "Pass USMLE Step 3",
        "Submit the IRB application for the readmission study",
        "Use a professional interpreter for every patient with limited English proficiency",
        "Exercise for 30 minutes three times a week",
        "Do an observership",
        "Run for chief resident",
        "Get published in a peer-reviewed journal",
    ],
)
def test_measurable_goals_pass(goal):
    assert judge(goal).measurable.ok


@pytest.mark.parametrize(
    ("goal", "quoted"),
    [
        ("Attend noon conference regularly", "'Regularly'"),
        ("Get into a top fellowship", "'Get into a top'"),
        ("Learn more about heart failure this year", "'Learn more'"),
    ],
)
def test_vague_amounts_fail_measurable(goal, quoted):
    result = judge(goal).measurable
    assert not result.ok
    assert quoted in result.hint


@pytest.mark.parametrize("goal", ["Study for Step 3", "Finish my research project", "Do a QI project"])
def test_open_ended_work_is_not_measurable(goal):
    result = judge(goal).measurable
    assert not result.ok
    assert "Add a number" in result.hint


def test_step_numbers_and_training_years_are_not_quantities():
    assert not judge("Learn about Step 3 during PGY-2").measurable.ok
    assert not judge("Understand type 2 diabetes").measurable.ok


# --- achievable -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("goal", "fragment"),
    [
        ("Publish 20 first-author papers by next month", "20 papers"),
        ("Perform 200 intubations by the end of this month", "200 intubations"),
        ("Finish 3,000 questions by tomorrow", "3000 questions"),
        ("Submit my ERAS application by September 2025", "has already passed"),
        ("Know all the antibiotics", "'Know all the antibiotics'"),
        ("Never feel tired again", "absolute"),
        ("Become program director next year", "'Program director'"),
        ("Get my green card next month", "green card"),
        ("Win the lottery", "'Lottery'"),
        ("Master point-of-care ultrasound by next week", "'Master'"),
        ("Pass Step 3 next week even though I have not started studying", "'Have not started'"),
        ("Publish in the New England Journal of Medicine as first author by the end of PGY-1", "New England Journal"),
        ("Pass Step 3, publish 5 papers, become chief resident, learn Spanish and run a marathon", "5 goals at once"),
    ],
)
def test_unrealistic_goals_fail_achievable_with_the_reason(goal, fragment):
    result = judge(goal).achievable
    assert not result.ok
    assert fragment in result.hint


@pytest.mark.parametrize(
    "goal",
    [
        "Complete 40 UWorld questions every weekday until my exam date",
        "Do 5 lumbar punctures under supervision within the next 6 months",
        "Write 3 case reports by the end of the academic year",
        "Pass Step 3, finish my QI project and apply for fellowship this year",
        "Get better at cardiology",
    ],
)
def test_realistic_or_merely_vague_goals_are_achievable(goal):
    assert judge(goal).achievable.ok


def test_past_dates_depend_on_today():
    goal = "Pass USMLE Step 3 by June 2027"
    assert judge(goal, today=datetime.date(2027, 1, 15)).achievable.ok
    assert not judge(goal, today=datetime.date(2027, 7, 1)).achievable.ok


# --- relevant -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "goal",
    [
        "Exercise for 30 minutes three times a week",
        "Submit my J-1 waiver documents by 1 February 2027",
        "Give a teaching session on hyponatremia to the medical students",
        "Improve my English",
        "Network more",
    ],
)
def test_training_career_and_wellbeing_goals_are_relevant(goal):
    assert judge(goal).relevant.ok


@pytest.mark.parametrize(
    ("goal", "quoted"),
    [("Learn to play the guitar", "'Guitar'"), ("Buy a new car by December", "'Car'"), ("Get 10,000 followers on Instagram", "'Followers'")],
)
def test_hobbies_are_not_relevant_and_the_hint_names_them(goal, quoted):
    result = judge(goal).relevant
    assert not result.ok
    assert quoted in result.hint


def test_time_words_do_not_make_a_goal_relevant():
    assert not judge("Paint my living room blue by the end of PGY-2").relevant.ok


# --- time-bound -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "goal",
    [
        "Pass Step 3 by June 2027",
        "Finish the online POCUS modules by 30 June",
        "Complete CITI training within 6 months",
        "Perform 30 procedures by the end of PGY-2",
        "Review 200 questions before my ITE",
        "Review 2 admission notes with my mentor each month",
        "Submit the IRB application by Q3",
        "File my H-1B paperwork by March 1, 2027",
        "Send my CV by 2027-03-15",
        "Present a poster in the spring of 2027",
        "Practice the cardiac exam on 3 patients per week",
        "Finish the draft by Christmas",
        "Lead 3 family meetings during my MICU rotation",
        "Meditate for 10 minutes daily",
    ],
)
def test_dates_durations_and_cadences_are_time_bound(goal):
    assert judge(goal).time_bound.ok


def test_missing_date_hint():
    assert judge("Pass USMLE Step 3").time_bound.hint.startswith("Add a date: by when?")


def test_vague_time_is_quoted():
    result = judge("Finish my research project soon").time_bound
    assert not result.ok
    assert "'Soon' is not a date" in result.hint


# --- form fields ----------------------------------------------------------------------------


def test_a_target_date_field_makes_the_goal_time_bound():
    goal = "Pass USMLE Step 3"
    assert not judge(goal).time_bound.ok
    assert judge(goal, target_date=datetime.date(2027, 6, 30)).time_bound.ok


def test_a_past_target_date_field_is_not_achievable():
    result = judge("Pass USMLE Step 3", target_date=datetime.date(2026, 1, 1))
    assert result.time_bound.ok
    assert not result.achievable.ok
    assert "2026-01-01 has already passed" in result.achievable.hint


def test_a_target_date_field_sets_the_time_frame_for_volume_checks():
    goal = "Perform 200 intubations"
    assert judge(goal).achievable.ok
    assert not judge(goal, target_date=TODAY + datetime.timedelta(days=14)).achievable.ok


def test_a_measure_field_makes_the_goal_measurable():
    goal = "Get better at cardiology"
    assert not judge(goal).measurable.ok
    assert judge(goal, measure="Score 70 % on the cardiology MKSAP section").measurable.ok
    assert not judge(goal, measure="   ").measurable.ok


def test_the_command_judges_the_statement_alone():
    # Without the form fields, the same statement is neither time-bound nor measurable.
    result = judge("Get better at cardiology")
    assert (result.measurable.ok, result.time_bound.ok) == (False, False)


# --- shape and properties -------------------------------------------------------------------


def test_as_dict_has_exactly_the_documented_shape():
    data = judge("Get better at cardiology").as_dict()
    assert list(data) == ["specific", "measurable", "achievable", "relevant", "time_bound", "smart"]
    for name in CRITERIA:
        assert set(data[name]) == {"ok", "hint"}
        assert isinstance(data[name]["ok"], bool)
        assert (data[name]["hint"] == "") == data[name]["ok"]
    assert data["smart"] is False


def test_a_smart_goal_has_no_hints():
    result = judge("Perform 10 supervised ultrasound-guided central lines and get sign-off from my ICU attending by March 2027")
    assert result.smart
    assert result.failed == ()
    assert all(not getattr(result, name).hint for name in CRITERIA)


def test_results_are_frozen():
    result = judge("Pass Step 3 by June 2027")
    assert isinstance(result, GoalAssessment)
    assert isinstance(result.specific, CriterionResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.specific = CriterionResult(False, "x")


def test_blank_statement_fails_everything():
    result = judge("   ")
    assert not result.smart
    assert result.failed == CRITERIA


def test_default_today_is_the_current_date():
    assert analyze(f"Pass Step 3 by June {datetime.date.today().year + 1}").achievable.ok


def test_analyzer_imports_nothing_from_django():
    code = "import sys, mentora.smart, mentora.smart.cli; sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
