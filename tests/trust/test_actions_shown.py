"""Actions a person may not take are not shown: for every role, the key pages are rendered, and every
form that posts and every link styled as an action button on them is sent as that same person. None may
answer 403 (a button that leads to a refusal) or 404 (a button for something the person may not see).

The pages and the people are the authorization matrix's (tests/trust/rows/): each page a role may open
(its row expects 200) is checked as that role. Each request runs in a savepoint rolled back afterwards.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from tests.trust import matrix
from tests.trust.matrix import ROLES, Cast

KEY_PAGES = (
    "home:home", "meetings:relationship_detail", "meetings:my_mentees", "meetings:my_mentoring",
    "directory:mentoring_team", "profiles:profile_detail", "profiles:profile_me", "directory:directory",
    "directory:recommended", "directory:request_list", "directory:request_detail", "directory:referral_list",
    "meetings:rematch_queue", "meetings:program_health", "meetings:program_feedback", "programs:program_people",
    "batchmatch:match_run_list", "batchmatch:match_run_detail", "ilps:ilp_list", "ilps:ilp_detail",
    "ilps:ilp_compliance", "meetings:meeting_detail", "conflicts:conflicts_policy", "conflicts:conflicts_roles",
    "meetings:resource_list", "notifications:notification_list", "scholarly:scholarly_my_board",
    "scholarly:scholarly_program_board", "webhooks:webhook_list", "notifications:email_template_list",
    "dataio:import_history", "rollover:rollover_program", "privacy:privacy_home", "milestones:milestone_list",
    "insights:insights_dashboard", "console:home",
)
# Forms that change the session rather than act on anything (signing out, switching role), and pages of
# other libraries.
SKIPPED_PREFIXES = ("/accounts/", "/switch-role", "/admin/", "/static/", "/media/")
REFUSALS = {403, 404}


class _Actions(HTMLParser):
    """The page's POST forms (action, hidden fields, each submit button) and its links styled as buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "id": attrs.get("id"), "fields": {},
                              "buttons": []}
                self.forms.append(self._form)
            return
        if tag == "a" and "button" in (attrs.get("class") or "").split() and attrs.get("href"):
            self.links.append(attrs["href"])
            return
        if self._form is None:
            return
        if tag == "input" and (attrs.get("type") or "").lower() == "hidden" and attrs.get("name"):
            self._form["fields"].setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "input" and (attrs.get("type") or "").lower() in ("checkbox", "radio") and attrs.get("name") \
                and "checked" in attrs:
            self._form["fields"].setdefault(attrs["name"], []).append(attrs.get("value") or "on")
        elif tag in ("button", "input") and (attrs.get("type") or ("submit" if tag == "button" else "")) == "submit":
            if attrs.get("formaction"):
                return  # a button posting elsewhere (rare): checked through its own page
            self._form["buttons"].append((attrs.get("name"), attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _local(page_url: str, target: str) -> str | None:
    url = urljoin(page_url, target)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return path


class _Rollback(Exception):
    pass


def _refused(cast: Cast, role: str, page_url: str) -> list[str]:
    """Open the page as the role, then send each action on it; the refusals found."""
    person = cast[role]
    client = Client()
    client.force_login(person)
    page = client.get(page_url)
    if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
        return []
    parser = _Actions()
    parser.feed(page.content.decode("utf-8", "replace"))
    problems = []
    for form in parser.forms:
        target = _local(page_url, form["action"])
        if target is None:
            continue
        for name, value in form["buttons"] or [(None, "")]:
            data = {key: values for key, values in form["fields"].items()}
            if name:
                data[name] = value
            try:
                with transaction.atomic():
                    client.force_login(person)
                    response = client.post(target, data)
                    raise _Rollback(response.status_code)
            except _Rollback as outcome:
                status = outcome.args[0]
            if status in REFUSALS:
                problems.append(f"{role} on {page_url}: the form posting to {target} ({name}={value!r}) "
                                f"answers {status}")
    for href in sorted(set(parser.links)):
        target = _local(page_url, href)
        if target is None:
            continue
        client.force_login(person)
        status = client.get(target).status_code
        if status in REFUSALS:
            problems.append(f"{role} on {page_url}: the button linking to {target} answers {status}")
    return problems


PAGE_ROWS = [row for row in matrix.all_rows()
             if row.route in KEY_PAGES and row.method == "GET" and not row.is_api]


@pytest.mark.django_db
@pytest.mark.parametrize("row", PAGE_ROWS, ids=[row.id for row in PAGE_ROWS])
def test_no_page_shows_an_action_its_reader_would_be_refused(row, cast):
    people = Cast(cast)
    problems = []
    for role, token in zip(ROLES, row.tokens, strict=True):
        if role == "anonymous" or not token.startswith("200"):
            continue
        try:
            with transaction.atomic():
                problems += _refused(people, role, row.url(people))
                raise _Rollback
        except _Rollback:
            pass
        for person in people.values():  # cached roles would outlive the rolled-back writes
            if hasattr(person, "_mentora_roles"):
                del person._mentora_roles
    assert not problems, "\n".join(problems)


def test_every_key_page_is_checked():
    assert {row.route for row in PAGE_ROWS} == set(KEY_PAGES)
