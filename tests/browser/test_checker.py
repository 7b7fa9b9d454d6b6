"""The page checker must itself be able to fail: a check that cannot fail is a defect."""

import pytest

from .conftest import PageChecker

BAD_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body>
<main><h1>Bad page</h1><img src="/x.png"><script>console.log("inline")</script>
<input type="text"></main></body></html>"""


@pytest.mark.django_db(transaction=True)
def test_checker_reports_csp_violations_and_accessibility_problems(page, axe, live_server):
    checker = PageChecker(page, axe, accessibility=True)  # also where MENTORA_AXE=0 leaves journeys unchecked by axe

    def fulfil(route):
        route.fulfill(status=200, body=BAD_PAGE, content_type="text/html",
                      headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"})

    page.route(f"{live_server.url}/bad", fulfil)
    page.goto(f"{live_server.url}/bad")
    checker.check()
    text = "\n".join(checker.problems)
    assert "Content Security Policy" in text  # the inline script was refused and reported
    assert "axe critical" in text  # the unlabelled input and the image without alt text


MIXED_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Mixed</title></head><body>
<p>Outside every landmark</p>
<main><h1>Mixed page</h1><h4>Skipped two levels</h4><img src="/x.png"><button></button>
<p style="color:#bbb;background:#fff">Hard to read</p><input type="text"><div role="banner">Nested banner</div></main>
</body></html>"""


@pytest.mark.django_db(transaction=True)
def test_the_rules_left_out_of_each_check_could_only_find_minor_or_moderate_problems(page, axe, live_server):
    """Each page's check leaves out the rules axe-core states minor or moderate: on a page with problems of every
    impact, the serious and critical ones it finds are exactly those a run of every rule finds."""
    from .conftest import AXE_VIOLATIONS, SERIOUS

    page.route(f"{live_server.url}/mixed", lambda route: route.fulfill(status=200, body=MIXED_PAGE,
                                                                        content_type="text/html"))
    page.goto(f"{live_server.url}/mixed")
    page.evaluate(axe.axe_script)
    every_rule = page.evaluate(AXE_VIOLATIONS, True)
    checked = page.evaluate(AXE_VIOLATIONS, False)

    def found(violations, impacts):
        return {(v["id"], v["impact"]) for v in violations if v["impact"] in impacts}

    assert found(every_rule, {"minor", "moderate"})  # the page has such problems (landmarks, heading order)
    assert found(checked, {"minor", "moderate"}) == set()  # and the check's run leaves their rules out
    serious = found(every_rule, SERIOUS)
    assert {rule for rule, _impact in serious} >= {"image-alt", "button-name", "color-contrast", "label"}
    assert found(checked, SERIOUS) == serious
