"""The lifecycle's controlled vocabularies: plain data."""

# The cadences are the domain's (a program sets its default one): they live in core's vocabulary.
from mentora.core.vocabulary import CADENCES as CADENCES
from mentora.core.vocabulary import DEFAULT_CADENCE_DAYS as DEFAULT_CADENCE_DAYS

SLIPPING_FACTOR = 1.5  # "no meeting in 45 days on a monthly cadence"
LAPSED_FACTOR = 3.0

# The seed's advice for the first encounter, in its order.
FIRST_MEETING_CHECKLIST: list[tuple[str, str]] = [
    ("Begin with the end in mind", "Write down where you want to be in five years, and what you want from this mentor."),
    ("Do your homework", "Work on the background before the meeting: read your mentor's profile and recent work, "
                         "bring your CV and your questions."),
    ("Meet regularly", "Agree how often you will meet, and put the next meeting in your calendar before you part."),
    ("Create a timeline", "Sketch the milestones of the coming year: exams, applications, deadlines."),
    ("Be consistent", "Keep the meetings you agree; if one must move, reschedule it rather than drop it."),
    ("Be collegial and professional", "Be on time, prepared and courteous; follow up on what you promised."),
]
# The same preparation, said to the mentor.
FIRST_MEETING_CHECKLIST_MENTOR: list[tuple[str, str]] = [
    ("Begin with the end in mind", "Ask where your mentee wants to be in five years, and what they want from you."),
    ("Do your homework", "Read your mentee's profile and learning plan before the meeting, and think of who in "
                         "your network could help them."),
    ("Meet regularly", "Agree how often you will meet, and put the next meeting in your calendar before you part."),
    ("Create a timeline", "Sketch with your mentee the milestones of their coming year: exams, applications, "
                          "deadlines."),
    ("Be consistent", "Keep the meetings you agree; if one must move, reschedule it rather than drop it."),
    ("Be collegial and professional", "Be on time, prepared and courteous; follow up on what you promised."),
]
FIRST_MEETING_AGENDA: list[str] = [
    "Introductions: our backgrounds and how we came to medicine",
    "Where I want to be in five years (begin with the end in mind)",
    "Expectations of each other, cadence and how we keep in touch",
    "My first S.M.A.R.T. goals and a timeline for the year",
    "Homework and action items before our next meeting",
]

RESOURCE_TOPICS: dict[str, str] = {
    "first_meeting": "First meeting",
    "smart_goals": "S.M.A.R.T. goals",
    "visas_licensing": "Visas and licensing",
    "residency": "Finding a residency",
    "research": "Research and publishing",
    "wellbeing": "Wellbeing",
}

# The Mentoring Competency Assessment's six competencies: the default feedback form.
MCA_COMPETENCIES: list[tuple[str, str]] = [
    ("communication", "Maintaining effective communication"),
    ("aligning_expectations", "Aligning expectations"),
    ("assessing_understanding", "Assessing understanding"),
    ("addressing_diversity", "Addressing diversity"),
    ("fostering_independence", "Fostering independence"),
    ("professional_development", "Promoting professional development"),
]
RATING_SCALE = range(1, 8)  # the MCA rates each item from 1 (not at all skilled) to 7 (extremely skilled)
MIN_AGGREGATE = 5  # results reach the program only as aggregates of at least this many responses
