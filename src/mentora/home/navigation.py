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


HOME = Destination("Home", "home:home")
MEETINGS = Destination("Meetings", "meetings:my_mentoring", covers=(
    "meetings:relationship_detail", "meetings:relationship_agreement", "meetings:meeting_create", "meetings:meeting_detail", "meetings:proposal_create",
    "meetings:relationship_survey", "meetings:calendar_settings",
))
PROJECTS = Destination("Projects", "scholarly:scholarly_my_board", covers=(
    "scholarly:scholarly_project_detail", "scholarly:scholarly_project_new", "scholarly:scholarly_mentee_board", "scholarly:scholarly_program_board",
))
REQUESTS = Destination("Requests", "directory:request_list", covers=("directory:request_detail",))
PROGRAM_DASHBOARD = Destination("Program dashboard", "insights:insights_dashboard", covers=("insights:insights_report",))
BATCH_MATCH = Destination("Batch match", "batchmatch:match_run_list", covers=(
    "batchmatch:match_run_new", "batchmatch:match_run_detail", "batchmatch:match_run_swap", "batchmatch:match_run_assign",
))
IMPORT = Destination("Import", "dataio:import_start", covers=("dataio:import_history", "dataio:import_preview"))
WEBHOOKS = Destination("Webhooks", "webhooks:webhook_list", covers=("webhooks:webhook_detail",))
RESOURCES = Destination("Resources", "meetings:resource_list")
LEARNING_PLAN_COVERS = (
    "ilps:ilp_detail", "ilps:ilp_create", "ilps:ilp_edit", "ilps:ilp_goal_create", "ilps:ilp_goal_edit", "ilps:ilp_review", "ilps:ilp_sign_off",
    "ilps:ilp_timeline_me", "ilps:ilp_timeline", "ilps:ilp_compliance", "ilps:ilp_milestone_create",
)

MENTEE = RoleNavigation("mentee", "Mentee", primary=(
    HOME,
    Destination("Find a mentor", "directory:directory", covers=("directory:recommended", "directory:match_preferences", "directory:request_new")),
    Destination("Learning plan", "ilps:ilp_list", covers=LEARNING_PLAN_COVERS),
    MEETINGS,
    PROJECTS,
    Destination("Milestones", "milestones:milestone_list", covers=("milestones:milestone_edit",)),
), tools=(
    Destination("My mentoring team", "directory:mentoring_team"),
    Destination("My requests", "directory:request_list", covers=("directory:request_detail",)),
    RESOURCES,
))
MENTOR = RoleNavigation("mentor", "Mentor", primary=(
    HOME,
    Destination("My mentees", "meetings:my_mentees"),
    REQUESTS,
    MEETINGS,
    Destination("Learning plans", "ilps:ilp_list", covers=LEARNING_PLAN_COVERS),
    PROJECTS,
), tools=(RESOURCES, Destination("Evaluating roles", "portfolio:portfolio")))
COORDINATOR = RoleNavigation("coordinator", "Program coordinator", primary=(
    HOME,
    PROGRAM_DASHBOARD,
    BATCH_MATCH,
    Destination("Learning plans", "ilps:ilp_list", covers=LEARNING_PLAN_COVERS),
    PROJECTS,
    REQUESTS,
), tools=(IMPORT, WEBHOOKS, RESOURCES, Destination("Meetings", "meetings:my_mentoring")))
NETWORK_COORDINATOR = RoleNavigation("network_coordinator", "Network coordinator", primary=(
    HOME,
    Destination("Network dashboard", "insights:network_dashboard"),
    Destination("Referrals", "directory:referral_list", covers=("directory:referral_new", "directory:referral_detail")),
    Destination("Mentor directory", "directory:directory", covers=("directory:recommended",)),
    REQUESTS,
    PROJECTS,
), tools=(RESOURCES,))
SITE_ADMIN = RoleNavigation("admin", "Site admin", primary=(
    HOME,
    Destination("Console", "console:home", covers=("console:*",)),
    PROGRAM_DASHBOARD,
    IMPORT,
    Destination("Background work", "background:background_work", covers=("background:job_detail",)),
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
