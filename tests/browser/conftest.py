"""Browser journeys: pytest-playwright driving Debian's Chromium against the live test server.

Every page a test visits is checked: a console error or a Content-Security-Policy violation
fails the test, and axe-core must find no serious or critical accessibility violation (unless
MENTORA_AXE=0, as in CI's PostgreSQL pass).
Without Chromium the tests are skipped with a clear message, unless MENTORA_REQUIRE_BROWSER=1
(set by .ci/run), where a missing browser is an error.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# Debian's Chromium: its headless shell where installed (package chromium-headless-shell; .ci/run installs
# it), the whole browser otherwise. Both are the same build of Chromium's engine; the shell is the headless
# browser Playwright itself runs by default, without the desktop browser's own layer: the browser journeys
# took 243 s of CPU with it against 358 s with /usr/bin/chromium (140 against 206 without axe-core).
# MENTORA_CHROMIUM names another executable.
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM = os.environ.get("MENTORA_CHROMIUM") or (
    HEADLESS_SHELL if os.path.exists(HEADLESS_SHELL) else "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("MENTORA_ARTIFACTS", "test-artifacts")) / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-quic", "--disable-sync",
]
SERIOUS = {"serious", "critical"}
# axe-core's run, answering only what a failure message names: its whole result (every rule that passed or did
# not apply, with an example node each) is about 50 kB to serialize and send per page, a fifth of a check.
# Only the rules that can find a serious or critical problem run: where a rule states its impact, axe-core
# gives every violation of it that impact (finalizeRuleResult), so a rule stated minor or moderate could only
# report what the check ignores. Leaving out its 30 such rules (landmarks, regions, heading order, ...) took
# the browser journeys from 269 to 247 s of CPU (tests/browser/test_checker.py compares both ways).
AXE_VIOLATIONS = """(everyRule) => axe.run(document, {
    resultTypes: ["violations"],
    rules: everyRule ? {} : Object.fromEntries(axe._audit.rules
        .filter(rule => rule.impact === "minor" || rule.impact === "moderate")
        .map(rule => [rule.id, {enabled: false}])),
}).then(results => results.violations.map(
    v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(node => node.target)})))"""
# MENTORA_AXE=0: no accessibility check (console errors and CSP violations are still checked), as in CI's
# PostgreSQL pass: the SQLite pass checks the same pages, and what axe checks is the HTML and CSS the templates
# render, not which database engine held the rows.
AXE = os.environ.get("MENTORA_AXE", "1") != "0"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_items = [item for item in items if Path(str(item.fspath)).is_relative_to(here)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and not os.path.exists(CHROMIUM):
        if os.environ.get("MENTORA_REQUIRE_BROWSER") == "1":
            return  # the browser_type_launch_args fixture fails loudly instead
        reason = (f"Chromium not found at {CHROMIUM}: browser tests skipped "
                  "(install Debian's chromium-headless-shell or chromium package, or run bash .ci/run)")
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is required here but missing at {CHROMIUM}")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


class PageChecker:
    """Collects console errors and CSP violations, and runs axe on each page loaded."""

    def __init__(self, page, axe, *, accessibility: bool = AXE):
        self.page = page
        self.axe = axe
        self.accessibility = accessibility
        self.problems: list[str] = []
        self.checked: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _on_console(self, message):
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def check(self) -> None:
        """Run axe on the current page (called after each navigation by the journeys' helpers)."""
        self.page.wait_for_load_state("load")
        if self.accessibility:
            self.page.evaluate(self.axe.axe_script)
            for violation in self.page.evaluate(AXE_VIOLATIONS, False):
                if violation["impact"] in SERIOUS:
                    self.problems.append(f"axe {violation['impact']} on {self.page.url}: {violation['id']} — "
                                         f"{violation['help']} {violation['targets']}")
        self.checked.append(self.page.url)

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def checked_page(page, axe, live_server, request):
    """A Playwright page whose every load is checked for console/CSP errors and by axe-core."""
    checker = PageChecker(page, axe)
    page.set_default_timeout(15000)
    yield page, checker
    checker.assert_clean()


def visit(page_and_checker, url: str):
    page, checker = page_and_checker
    page.goto(url)
    checker.check()
    return page


# Images the page loads lazily (the dashboard's charts), asked for at once and awaited, so a full-page picture
# shows them.
LOAD_LAZY_IMAGES = """() => Promise.all([...document.querySelectorAll('img[loading="lazy"]')].map(img => {
    img.loading = "eager";
    return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
}))"""


def screenshot(page, name: str, *, full_page: bool = True) -> Path | None:
    """A picture of the page under test-artifacts/, for people to look at (no test reads it). Off with
    MENTORA_SCREENSHOTS=0, as in CI, which keeps no pictures (a full-page picture costs Chromium a new
    layout, raster and PNG of the whole page: about a tenth of the browser journeys' time)."""
    if os.environ.get("MENTORA_SCREENSHOTS", "1") == "0":
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if full_page:
        page.evaluate(LOAD_LAZY_IMAGES)
    page.screenshot(path=str(path), full_page=full_page)
    return path


def log_in(page_and_checker, base_url: str, email: str, password: str = "mentora-demo", *,
           through_form: bool = False):
    """Signs the person in and opens their home page (checked). Through the sign-in form where the journey is
    about signing in (`through_form`, as test_account does); otherwise the browser is given a session of theirs,
    as Django's test client's force_login makes one: the same page after it, without loading and checking the
    sign-in page once more for every journey (it was an eighth of every accessibility check)."""
    page, checker = page_and_checker
    if through_form:
        visit(page_and_checker, f"{base_url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{base_url}/")
        checker.check()
        return page
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(email__iexact=email))
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": base_url, "httpOnly": True,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    visit(page_and_checker, f"{base_url}/")
    return page


def log_out(page_and_checker):
    """Sign out through the account menu."""
    page, _checker = page_and_checker
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
