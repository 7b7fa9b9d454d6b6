"""The first steps of each role, ticked from what the person has done (nothing is ticked by hand).

Mentee: a profile matching can use, what matters to them, first goals, a mentor (or a request waiting).
Mentor: a profile mentees choose by, capacity and the kinds of mentorship offered, when and how they meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from mentora.directory.models import MatchPreferences, MentorshipRequest
from mentora.ilps.models import Goal
from mentora.ilps.selectors import current_plan_of
from mentora.profiles.models import MentorOffer, Profile
from mentora.programs.selectors import user_roles
from mentora.relationships.models import Relationship

from .models import FirstSteps

MENTEE, MENTOR = "mentee", "mentor"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    url: str
    hint: str


@dataclass(frozen=True)
class Checklist:
    role: str
    title: str
    steps: list[Step]

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self.steps)


def _mentee_steps(user, profile: Profile | None) -> list[Step]:
    plan = current_plan_of(mentee=user)
    has_goals = plan is not None and Goal.objects.filter(plan=plan).exclude(status="dropped").exists()
    has_mentor = (Relationship.objects.open().filter(mentee=user).exists()
                  or MentorshipRequest.objects.filter(mentee=user, status=MentorshipRequest.Status.PENDING).exists())
    return [
        Step("profile", "Complete your profile", bool(
            profile and profile.specialty and profile.training_level
            and (profile.research_interests or profile.interest_tags)),
            reverse("profiles:profile_edit"), "Specialty, training level and interests: recommendations are built on them."),
        Step("what_matters", "Say what matters to you in a mentor",
             MatchPreferences.objects.filter(user=user).exists(), reverse("directory:match_preferences"),
             "How much specialty, research, language or background should weigh."),
        Step("goals", "Write your first goals", has_goals,
             reverse("ilps:ilp_list"), "Your learning plan: two or three SMART goals to start with."),
        Step("mentor", "Find a mentor", has_mentor, reverse("directory:recommended"),
             "Ask one of the mentors recommended for you, or search the directory."),
    ]


def _mentor_steps(user, profile: Profile | None, offer: MentorOffer | None) -> list[Step]:
    return [
        Step("profile", "Complete your profile", bool(
            profile and profile.headline and profile.specialty
            and (profile.research_interests or profile.interest_tags)),
            reverse("profiles:profile_edit"), "A headline, your specialty and research interests: mentees choose by them."),
        Step("offer", "Set your capacity and the kinds of mentorship you offer", bool(offer and offer.kinds_offered),
             reverse("profiles:profile_edit") + "#offer", "How many mentees at once; career, research, wellbeing…"),
        Step("availability", "Say when and how you can meet",
             bool(offer and offer.availability and profile and profile.meeting_modes),
             reverse("profiles:profile_edit") + "#offer", "Shown on your card to mentees in every time zone."),
    ]


def first_steps(*, user) -> list[Checklist]:
    """The checklists to show the person now: one per role they hold, unless put away or all done."""
    if not user.is_authenticated:
        return []
    roles = user_roles(user=user)
    profile = Profile.objects.filter(user=user).first()
    offer = MentorOffer.objects.filter(user=user).first()
    state = FirstSteps.objects.filter(user=user).first()
    shown = []
    if (roles.is_mentor or offer is not None) and not (state and state.mentor_dismissed_at):
        shown.append(Checklist(MENTOR, "Your first steps as a mentor", _mentor_steps(user, profile, offer)))
    if (roles.is_mentee or (not roles.labels and offer is None)) and not (state and state.mentee_dismissed_at):
        shown.append(Checklist(MENTEE, "Your first steps as a mentee", _mentee_steps(user, profile)))
    return [checklist for checklist in shown if not checklist.complete]
