"""Sensitive data never leaves through exports, the API or pages that are not allowed to show it."""

import io

import pytest
from django.urls import reverse

from tests.factories import ImgDetailsFactory, SensitiveAttributesFactory

WAIVER = "Waiver probe Q7 Conrad"


@pytest.fixture
def a_sensitive(cast):
    a = cast["mentee_a"]
    SensitiveAttributesFactory(user=a, gender="non_binary", race_ethnicity="pacific_islander", lgbtq_identity=True,
                               concordance_wanted=["gender", "race_ethnicity"])
    ImgDetailsFactory(user=a, visa_status="j1", j1_waiver_plan=WAIVER)
    return cast


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " | ".join("" if cell is None else str(cell) for cell in row)
        for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("viewer", ["coordinator", "admin"])
def test_program_export_has_no_individual_sensitive_values(client, a_sensitive, viewer):
    client.force_login(a_sensitive[viewer])
    response = client.get(reverse("insights:insights_export_all"))
    assert response.status_code == 200
    text = _xlsx_text(response.content)
    assert text.strip()  # the export has content
    assert WAIVER not in text
    # One person with these values: fewer than five, so no count of them may appear.
    assert "Pacific Islander" not in text and "Non-binary" not in text


def test_directory_profile_of_a_mentee_hides_private_values_from_coordinators(client, a_sensitive):
    client.force_login(a_sensitive["coordinator"])
    page = client.get(reverse("profiles:profile_detail", args=[a_sensitive["mentee_a"].pk])).content.decode()
    assert WAIVER not in page and "Pacific Islander" not in page and "Non-binary" not in page
    assert reverse("audit:confidential_records", args=[a_sensitive["mentee_a"].pk]) in page  # the logged way in


def test_api_never_carries_them_to_anyone(client, a_sensitive):
    for viewer in ("mentee_a", "mentor_a", "coordinator", "network_coordinator", "admin"):
        client.force_login(a_sensitive[viewer])
        for url in (f"/api/people/{a_sensitive['mentee_a'].pk}", "/api/me"):
            body = client.get(url).content.decode()
            assert WAIVER not in body and "pacific_islander" not in body and "non_binary" not in body, (viewer, url)
