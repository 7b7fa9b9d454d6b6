"""The resource library in a browser: the network coordinator adds a document for their network, a
mentee of one of its programs downloads it, and nobody is offered site-wide curation but the admin."""

from pathlib import Path

import pytest

from mentora.core.demo import DEMO_LOGINS

from .conftest import log_in, log_out, screenshot, visit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_network_document_reaches_its_mentees_as_a_download(checked_page, live_server, demo_network, tmp_path,
                                                             settings):
    from mentora.meetings.models import Resource
    from mentora.programs.models import Network

    settings.MEDIA_ROOT = tmp_path / "uploads"
    page, checker = checked_page
    page.set_default_timeout(60000)  # uploads and downloads on a busy machine
    base = live_server.url
    log_in(checked_page, base, DEMO_LOGINS["network"])
    visit(checked_page, f"{base}/mentoring/resources/")
    scope = page.get_by_label("For whom")
    options = scope.locator("option").all_inner_texts()
    assert options and all(text.startswith("Network: ") for text in options)
    page.get_by_label("Topic").select_option("visas_licensing")
    page.get_by_label("Title").fill("J-1 waiver checklist")
    page.get_by_label("Description").fill("What to gather before the Conrad 30 application.")
    pdf = tmp_path / "waiver checklist.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Document").set_input_files(str(pdf))
    page.get_by_role("button", name="Add to the library").click()
    page.wait_for_load_state("load")
    checker.check()
    resource = Resource.objects.get(title="J-1 waiver checklist")
    network = Network.objects.get(coordinators__email=DEMO_LOGINS["network"])
    assert resource.network == network and resource.document_kind == "pdf"
    screenshot(page, "resources-network-coordinator")
    log_out(checked_page)

    log_in(checked_page, base, DEMO_LOGINS["mentee"])
    visit(checked_page, f"{base}/mentoring/resources/")
    assert page.get_by_label("For whom").count() == 0
    with page.expect_download() as download_info:
        page.get_by_role("link", name="J-1 waiver checklist").click()
    download = download_info.value
    assert download.suggested_filename == "waiver checklist.pdf"
    assert Path(download.path()).read_bytes() == PDF
    screenshot(page, "resources-mentee")
