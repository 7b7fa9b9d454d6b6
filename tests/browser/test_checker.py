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
