"""Working out what a rollover would do, without changing anything (the preview)."""

from collections import Counter
from dataclasses import dataclass, field

from mentora.core.vocabulary import TRAINING_LEVELS
from mentora.ilps.selectors import plans_to_roll_over_counts
from mentora.programs.models import Membership, Program
from mentora.relationships.models import Relationship

from .models import RelationshipRenewal, RolloverOverride, RolloverRun

# The last PGY level of a residency by specialty (ACGME standard lengths, including the first year).
FINAL_LEVEL_BY_SPECIALTY = {
    "internal_medicine": 3, "family_medicine": 3, "pediatrics": 3, "emergency_medicine": 3,
    "psychiatry": 4, "neurology": 4, "anesthesiology": 4, "obstetrics_gynecology": 4, "pathology": 4,
    "physical_medicine": 4, "general_surgery": 5, "radiology": 5,
}


def final_level(program: Program) -> int:
    return FINAL_LEVEL_BY_SPECIALTY.get(program.specialty, 3)


@dataclass(frozen=True)
class MembershipStep:
    membership_id: int
    user_id: int
    person: str
    role: str
    level: str
    action: str  # advance, graduate, carry, leave, already
    next_level: str  # the level in the next year ("" for graduates and leavers)
    override: str = ""  # the coordinator's exception for this person (RolloverOverride.Action), if any

    @property
    def id(self) -> int:  # the row id of the preview's list
        return self.membership_id

    @property
    def override_label(self) -> str:
        return RolloverOverride.Action(self.override).label if self.override else ""

    @property
    def level_label(self) -> str:
        return TRAINING_LEVELS.get(self.level, self.level)

    @property
    def next_level_label(self) -> str:
        return TRAINING_LEVELS.get(self.next_level, self.next_level)


@dataclass
class RolloverPlan:
    program: Program
    from_year: int
    steps: list[MembershipStep] = field(default_factory=list)
    relationships_to_ask: list[int] = field(default_factory=list)
    relationships_already_asked: int = 0
    already_committed: bool = False
    # Started and not finished: under way, or stopped mid-way (its worker killed) until it runs again.
    partly_committed: bool = False
    ilps_to_open: int = 0
    goals_to_carry: int = 0

    @property
    def to_year(self) -> int:
        return self.from_year + 1

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(step.action for step in self.steps)
        counted["relationships_to_ask"] = len(self.relationships_to_ask)
        counted["relationships_already_asked"] = self.relationships_already_asked
        counted["ilps_to_open"] = self.ilps_to_open
        counted["goals_to_carry"] = self.goals_to_carry
        return dict(counted)

    @property
    def continuing_mentee_ids(self) -> list[int]:
        """Mentees who go on in the program next year: their learning plans roll over."""
        return [s.user_id for s in self.steps
                if s.role == Membership.Role.MENTEE and s.action not in {"graduate", "leave"}]

    @property
    def changes_anything(self) -> bool:
        return (any(s.action in {"advance", "carry"} for s in self.steps) or bool(self.relationships_to_ask)
                or bool(self.ilps_to_open) or bool(self.goals_to_carry))


def _next(level: str, last: int) -> tuple[str, str]:
    if level.startswith("pgy") and level[3:].isdecimal():
        number = int(level[3:])
        if number >= last:
            return "graduate", ""
        return "advance", f"pgy{number + 1}"
    return "carry", level


def _overridden(action: str, next_level: str, level: str, override: str) -> tuple[str, str]:
    if override == "repeat":
        return "carry", level
    if override == "leave":
        return "leave", ""
    if override == "graduate":
        return "graduate", ""
    return action, next_level


def rollover_plan(*, program: Program, from_year: int) -> RolloverPlan:
    plan = RolloverPlan(program=program, from_year=from_year)
    run = RolloverRun.objects.filter(program=program, from_year=from_year).values_list("finished_at").first()
    plan.already_committed = run is not None and run[0] is not None
    plan.partly_committed = run is not None and run[0] is None
    last = final_level(program)
    existing = set(
        Membership.objects.filter(program=program, academic_year=from_year + 1).values_list("user_id", "role")
    )
    members = (Membership.objects.filter(program=program, academic_year=from_year, is_active=True)
               .order_by("role", "user__full_name")
               .values_list("pk", "user_id", "user__full_name", "user__email", "role", "training_level"))
    overrides = dict(RolloverOverride.objects.filter(membership__program=program, membership__academic_year=from_year)
                     .values_list("membership_id", "action"))
    # Plain rows, not model instances: the preview reads thousands of members on every page.
    for pk, user_id, full_name, email, role, level in members:
        if role == Membership.Role.MENTEE:
            action, next_level = _next(level, last)
        else:
            action, next_level = "carry", level
        override = overrides.get(pk, "")
        action, next_level = _overridden(action, next_level, level, override)
        if action not in {"graduate", "leave"} and (user_id, role) in existing:
            action = "already"
        plan.steps.append(MembershipStep(pk, user_id, full_name or email, role, level, action, next_level,
                                         override))
    open_ids = list(Relationship.objects.filter(program=program, status__in=Relationship.OPEN_STATUSES)
                    .values_list("id", flat=True))
    asked = set(RelationshipRenewal.objects.filter(relationship_id__in=open_ids, academic_year=from_year + 1)
                .values_list("relationship_id", flat=True))
    plan.relationships_to_ask = [rid for rid in open_ids if rid not in asked]
    plan.relationships_already_asked = len(asked)
    plan.ilps_to_open, plan.goals_to_carry = plans_to_roll_over_counts(mentee_ids=plan.continuing_mentee_ids,
                                                                       from_year=from_year)
    return plan
