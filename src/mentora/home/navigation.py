"""The site's navigation, defined once: for each role, the few places that role goes every week.

A person with several roles (a mentor who also coordinates a program) acts as one of them at a time: the
navigation shows that role's destinations, and the account menu offers the others (the choice is kept in the
session). Personal pages (profile, notifications, password, privacy, data) live in the account menu, never in
the primary navigation; pages a role uses rarely are its "tools", listed in the account menu too.
"""

from dataclasses import dataclass

from django.urls import reverse

from mentora.programs.selectors import Roles

MAX_PRIMARY = 6
SESSION_KEY = "acting_role"


@dataclass(frozen=True)
class Destination:
    label: str
    url_name: str
    # URL names of the pages that belong to this destination (it is marked as the current page there).
    covers: tuple[str, ...] = ()
    staff_only: bool = False

    def is_current(self, url_name: str | None) -> bool:
        """`url_name` is the page's namespaced view name; a cover ending in ":*" takes a whole namespace."""
        if not url_name:
            return False
        return url_name == self.url_name or url_name in self.covers or any(
            cover.endswith(":*") and url_name.startswith(cover[:-1]) for cover in self.covers)


@dataclass(frozen=True)
class RoleNavigation:
    key: str
    label: str
    primary: tuple[Destination, ...]
    tools: tuple[Destination, ...] = ()


HOME = Destination("Home", "home")
MEETINGS = Destination("Meetings", "my_mentoring", covers=(
    "relationship_detail", "relationship_agreement", "meeting_create", "meeting_detail", "proposal_create",
    "relationship_survey", "calendar_settings",
))
PROJECTS = Destination("Projects", "scholarly_my_board", covers=(
    "scholarly_project_detail", "scholarly_project_new", "scholarly_mentee_board", "scholarly_program_board",
))
REQUESTS = Destination("Requests", "request_list", covers=("request_detail",))
PROGRAM_DASHBOARD = Destination("Program dashboard", "insights_dashboard", covers=("insights_report",))
BATCH_MATCH = Destination("Batch match", "match_run_list", covers=(
    "match_run_new", "match_run_detail", "match_run_swap", "match_run_assign",
))
IMPORT = Destination("Import", "import_start", covers=("import_history", "import_preview"))
WEBHOOKS = Destination("Webhooks", "webhook_list", covers=("webhook_detail",))
RESOURCES = Destination("Resources", "resource_list")
LEARNING_PLAN_COVERS = (
    "ilp_detail", "ilp_create", "ilp_edit", "ilp_goal_create", "ilp_goal_edit", "ilp_review", "ilp_sign_off",
    "ilp_timeline_me", "ilp_timeline", "ilp_compliance", "ilp_milestone_create",
)

MENTEE = RoleNavigation("mentee", "Mentee", primary=(
    HOME,
    Destination("Find a mentor", "directory", covers=("recommended", "match_preferences", "request_new")),
    Destination("Learning plan", "ilp_list", covers=LEARNING_PLAN_COVERS),
    MEETINGS,
    PROJECTS,
    Destination("Milestones", "milestone_list", covers=("milestone_edit",)),
), tools=(
    Destination("My mentoring team", "mentoring_team"),
    Destination("My requests", "request_list", covers=("request_detail",)),
    RESOURCES,
))
MENTOR = RoleNavigation("mentor", "Mentor", primary=(
    HOME,
    Destination("My mentees", "my_mentees"),
    REQUESTS,
    MEETINGS,
    Destination("Learning plans", "ilp_list", covers=LEARNING_PLAN_COVERS),
    PROJECTS,
), tools=(RESOURCES, Destination("Evaluating roles", "portfolio")))
COORDINATOR = RoleNavigation("coordinator", "Program coordinator", primary=(
    HOME,
    PROGRAM_DASHBOARD,
    BATCH_MATCH,
    Destination("Learning plans", "ilp_list", covers=LEARNING_PLAN_COVERS),
    PROJECTS,
    REQUESTS,
), tools=(IMPORT, WEBHOOKS, RESOURCES, Destination("Meetings", "my_mentoring")))
NETWORK_COORDINATOR = RoleNavigation("network_coordinator", "Network coordinator", primary=(
    HOME,
    Destination("Referrals", "referral_list", covers=("referral_new", "referral_detail")),
    Destination("Mentor directory", "directory", covers=("recommended",)),
    REQUESTS,
    PROJECTS,
), tools=(RESOURCES,))
SITE_ADMIN = RoleNavigation("admin", "Site admin", primary=(
    HOME,
    Destination("Console", "console:home", covers=("console:*",)),
    PROGRAM_DASHBOARD,
    IMPORT,
    Destination("Background work", "background_work", covers=("job_detail",)),
    Destination("Admin", "admin:index", staff_only=True),
), tools=(BATCH_MATCH, WEBHOOKS, PROJECTS, RESOURCES))

ROLE_NAVIGATIONS: tuple[RoleNavigation, ...] = (SITE_ADMIN, NETWORK_COORDINATOR, COORDINATOR, MENTOR, MENTEE)
BY_KEY = {navigation.key: navigation for navigation in ROLE_NAVIGATIONS}


def roles_held(roles: Roles) -> list[RoleNavigation]:
    """The roles a person may act as, the most responsible first (that one is the default). A person with no
    role yet (just signed up) is treated as a mentee: finding a mentor is what they came for."""
    held = {
        "admin": roles.is_admin, "network_coordinator": roles.is_network_coordinator,
        "coordinator": roles.is_coordinator, "mentor": roles.is_mentor, "mentee": roles.is_mentee,
    }
    found = [navigation for navigation in ROLE_NAVIGATIONS if held[navigation.key]]
    return found or [MENTEE]


def acting_role(roles: Roles, chosen: str | None) -> RoleNavigation:
    held = roles_held(roles)
    for navigation in held:
        if navigation.key == chosen:
            return navigation
    return held[0]


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


def _links(destinations, *, url_name: str | None, is_staff: bool) -> list[Link]:
    return [
        Link(destination.label, reverse(destination.url_name), destination.is_current(url_name))
        for destination in destinations
        if is_staff or not destination.staff_only
    ]


def navigation_for(*, roles: Roles, chosen: str | None, url_name: str | None, is_staff: bool) -> dict:
    """What the header shows: the acting role's primary links, its tools, and the roles one may switch to."""
    acting = acting_role(roles, chosen)
    return {
        "acting_role": acting,
        "primary_links": _links(acting.primary, url_name=url_name, is_staff=is_staff),
        "tool_links": _links(acting.tools, url_name=url_name, is_staff=is_staff),
        "other_roles": [navigation for navigation in roles_held(roles) if navigation is not acting],
    }
