import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, screenshot, visit

ROSTER = ("\ufeffEmployee ID,First name,Last name,E-mail,PGY,Notes\r\n"
          "E-1,José,Núñez,jose.n@example.org,PGY-1,\"two\r\nlines\"\r\n"
          "E-2,芳,王,wang.f@example.org,PGY-2,\r\n"
          "E-3,Bad,Row,not-an-email,PGY-12,\r\n").encode("utf-8")


@pytest.mark.django_db(transaction=True)
def test_coordinator_imports_a_roster_after_fixing_it(checked_page, live_server, demo_network, tmp_path):
    page, checker = checked_page
    page.set_default_navigation_timeout(60000)  # the demo network and a cold browser on a busy machine
    log_in(checked_page, live_server.url, DEMO_LOGINS["coordinator"])
    visit(checked_page, f"{live_server.url}/data/import/")
    bad = tmp_path / "roster.csv"
    bad.write_bytes(ROSTER)
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview the import").click()
    checker.check()
    assert page.get_by_role("cell", name="“PGY-12” is not a training level (PGY-1 … PGY-7, Fellow, Faculty)").is_visible()
    assert page.get_by_text("Nothing can be imported yet").is_visible()
    screenshot(page, "import-preview-errors")
    good = tmp_path / "roster-fixed.csv"
    good.write_bytes(ROSTER.replace(b"E-3,Bad,Row,not-an-email,PGY-12,\r\n", b""))
    visit(checked_page, f"{live_server.url}/data/import/")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Preview the import").click()
    checker.check()
    assert page.get_by_role("cell", name="José Núñez").is_visible()
    screenshot(page, "import-preview-ok")
    page.get_by_role("button", name="Import 2 rows").click()
    checker.check()
    page.get_by_test_id("job-status").filter(has_text="Done").wait_for()  # the worker imported it
    assert page.get_by_text("2 new (invited by email)").is_visible()
    screenshot(page, "import-job-done")
    page.get_by_role("link", name="See the import and its invitations").click()
    checker.check()
    assert page.get_by_test_id("invitation-summary").inner_text().startswith("2 invited")
    screenshot(page, "import-done")
    page.get_by_role("link", name="Each person's invitation").click()
    checker.check()
    assert page.get_by_role("cell", name="wang.f@example.org").is_visible()
    screenshot(page, "import-invitations")
    visit(checked_page, f"{live_server.url}/data/export/")
    screenshot(page, "export-page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    assert download.value.suggested_filename == "mentora-my-data.json"
