"""Every page of the demo, as each of its five logins, shows labels, never the codes they are stored as.

The pages are found from the URL configuration, not from a list: each named route that answers GET is
visited with demo objects that person can reach (their relationship, meeting, plan, goal, program...).
Text a person sees (the page's text and its tab title) must hold none of the stored codes that could only
be a code (`academic_medicine`, `in_person`, `pgy1`), no list of language codes (`en, ta, hi`), no country
named twice, no numbers run together with underscores, and the title keeps its separator."""

import re
from html.parser import HTMLParser

from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from mentora.core import vocabulary
from mentora.core.demo import DEMO_LOGINS
from mentora.core.labels import country_name

User = get_user_model()

CODE_SHAPE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^[a-z]+[0-9]+$")
_LANGUAGE = "(?:" + "|".join(vocabulary.LANGUAGE_CODES) + ")"
LANGUAGE_CODE_LIST = re.compile(rf"\b{_LANGUAGE}(?:, {_LANGUAGE})+\b")
UNDERSCORED_NUMBERS = re.compile(r"\b\d+_\d+")
SKIPPED_PREFIXES = ("admin/", "accounts/", "api/", "static/", "__")
NOT_HTML = re.compile(r"\.(ics|csv|json|pdf|svg|xlsx)|download|document|progress|export|invitation_counts")


def known_codes() -> set[str]:
    """Codes of every vocabulary and every model field with choices that cannot be mistaken for prose."""
    codes = set()
    for value in vars(vocabulary).values():
        if isinstance(value, dict):
            codes |= {key for key in value if isinstance(key, str)}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for choice in getattr(field, "choices", None) or []:
                if isinstance(choice[0], str):
                    codes.add(choice[0])
    return {code for code in codes if CODE_SHAPE.match(code)}


class VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "template", "textarea"}

    def __init__(self):
        super().__init__()
        self.parts, self.title, self._hidden, self._in_title = [], "", 0, False

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._hidden:
            self.parts.append(data)


def visible(html: str) -> tuple[str, str]:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()), " ".join(parser.title.split())


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), pattern


def _objects_for(user) -> dict:
    """Demo objects this person can reach, by the name the URL patterns give their argument."""
    from mentora.directory.models import MentorshipRequest
    from mentora.ilps.models import Goal, LearningPlan
    from mentora.meetings.models import Meeting
    from mentora.programs.selectors import user_roles
    from mentora.relationships.models import Relationship

    roles = user_roles(user=user)
    relationships = Relationship.objects.order_by("pk")
    mine = relationships.filter(mentee=user) | relationships.filter(mentor=user)
    if roles.coordinated_program_ids:
        mine = mine or relationships.filter(program_id__in=roles.coordinated_program_ids)
    relationship = (mine or relationships).filter(meetings__isnull=False).first() or (mine or relationships).first()
    plans = LearningPlan.objects.order_by("pk")
    plan = (plans.filter(mentee=user).first() or plans.filter(mentee=relationship.mentee).first() or plans.first())
    other = relationship.mentor if user.pk == relationship.mentee_id else relationship.mentee
    program = relationship.program
    found = {
        "relationship_id": relationship.pk,
        "meeting_id": getattr(Meeting.objects.filter(relationship=relationship).first(), "pk", None),
        "plan_id": plan.pk if plan else None,
        "goal_id": getattr(Goal.objects.filter(plan=plan).first(), "pk", None),
        "user_id": other.pk, "mentee_id": relationship.mentee_id,
        "mentor_id": relationship.mentor_id,
        "program_id": program.pk if program else None, "slug": program.slug if program else None,
        "request_id": getattr(MentorshipRequest.objects.filter(mentor=user).first()
                              or MentorshipRequest.objects.filter(mentee=user).first(), "pk", None),
    }
    return {key: value for key, value in found.items() if value is not None}


def _problems_as(client, user, codes: set[str], doubled: list[str]) -> tuple[list[str], list[str]]:
    client.force_login(user)
    objects = _objects_for(user)
    visited, problems = [], []
    for route, pattern in _routes():
        if route.startswith(SKIPPED_PREFIXES) or NOT_HTML.search(route) or "(?P<" in route:
            continue
        names = list(pattern.pattern.regex.groupindex)
        if any(name not in objects for name in names):
            continue
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(objects[m.group(1)]), route)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited.append(pattern.name)
        text, title = visible(response.content.decode())
        words = set(re.findall(r"[a-z][a-z0-9_]+", text))
        found = sorted(words & codes)
        found += LANGUAGE_CODE_LIST.findall(text) and [LANGUAGE_CODE_LIST.search(text).group(0)]
        found += UNDERSCORED_NUMBERS.findall(text)
        found += [phrase for phrase in doubled if re.search(rf"\b{re.escape(phrase)}\b", text)]
        if re.search(r"[^\s·]Mentora$", title):
            found.append(f"title {title!r}")
        if found:
            problems.append(f"{pattern.name} ({url}): {found}")
    return visited, problems


def test_no_page_of_the_demo_shows_a_stored_code(client, demo_network):
    """One demo for the five logins (generating it is most of the test's time)."""
    codes = known_codes()
    assert {"academic_medicine", "in_person", "pgy1", "non_us_img"} <= codes
    doubled = [f"{country_name(code)} {country_name(code)}" for code in vocabulary.COUNTRIES]
    problems = []
    for role, email in DEMO_LOGINS.items():
        visited, found = _problems_as(client, User.objects.get(email=email), codes, doubled)
        assert len(visited) >= 20, (role, visited)
        problems += [f"as {role}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)


def test_program_health_counts_say_what_they_count():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    html = render_to_string("meetings/_program_health_cell.html", {
        "health": {"on_track": 35, "at_risk": 6, "lapsed": 4}, "program": SimpleNamespace(pk=1)})
    text, _title = visible(html)
    assert "35 on track 6 at risk 4 lapsed" in text
