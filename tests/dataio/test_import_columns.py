"""Import of real rosters: specialties by their common names, every profile column, a mapping step for
unknown values, header-only files, skipping bad rows on purpose, and the history of imports."""

import pytest
from django.test import TestCase
from django.urls import reverse

from mentora.core.academic_year import current_academic_year
from mentora.dataio.importer import plan_import
from mentora.dataio.models import ImportBatch
from mentora.dataio.reading import read_table
from mentora.dataio.services import import_commit
from mentora.profiles.models import ImgDetails, Profile
from mentora.programs.models import Membership
from tests.factories import ProgramFactory

from .test_import import BAD_ROWS
from .test_import_pages import upload

YEAR = current_academic_year()


def _plan(content: bytes, program=None, **options):
    return plan_import(sheet=read_table("roster.csv", content), program=program or ProgramFactory(), kind="mentees",
                       academic_year=YEAR, **options)


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "specialty", "subspecialty"), [
    ("Cardiology", "internal_medicine", "cardiology"),
    ("Internal Medicine - Nephrology", "internal_medicine", "nephrology"),
    ("IM", "internal_medicine", ""),
    ("Medicine", "internal_medicine", ""),
    ("OB/GYN", "obstetrics_gynecology", ""),
    ("Peds", "pediatrics", ""),
    ("Neonatology", "pediatrics", "neonatology"),
    ("Surgery", "general_surgery", ""),
    ("PM&R", "physical_medicine", ""),
    ("Heme/Onc", "internal_medicine", "hematology_oncology"),
    ("Child Psychiatry", "psychiatry", "child_adolescent_psychiatry"),
])
def test_specialties_by_their_common_names_and_subspecialties(given, specialty, subspecialty):
    plan = _plan(f"Email,Name,Specialty\r\na@example.org,Ana Ruiz,{given}\r\n".encode())
    assert plan.ok, plan.errors
    assert (plan.rows[0].specialty, plan.rows[0].subspecialty) == (specialty, subspecialty)


@pytest.mark.django_db
def test_unknown_specialties_are_mapped_once_for_the_whole_file():
    content = (b"Email,Name,Specialty\r\na@example.org,Ana Ruiz,Cardiac Surgery\r\n"
               b"b@example.org,Ben Ode,cardiac surgery\r\nc@example.org,Cy Lee,Cardiology\r\n")
    plan = _plan(content)
    assert [(e.row, e.reason) for e in plan.errors] == [
        (2, "“Cardiac Surgery” is not a specialty Mentora knows: choose one for it under “Values”"),
        (3, "“cardiac surgery” is not a specialty Mentora knows: choose one for it under “Values”")]
    assert plan.unknown_values == {"specialty": {"cardiacsurgery": ("Cardiac Surgery", 2)}}
    mapped = _plan(content, value_mapping={"specialty": {"cardiacsurgery": "general_surgery"}})
    assert mapped.ok and [row.specialty for row in mapped.rows] == ["general_surgery"] * 2 + ["internal_medicine"]
    blank = _plan(content, value_mapping={"specialty": {"cardiacsurgery": ""}})
    assert blank.ok and blank.rows[0].specialty == ""


ALL_COLUMNS = (
    b"Email,First name,Last name,Specialty,Subspecialty,Languages,Graduation year,Medical school,"
    b"Visa status,IMG status,ECFMG certified,Pronouns,Time zone\r\n"
    b"ana@example.org,Ana,Ruiz,Internal medicine,Cardiology,\"Spanish; English\",2016,Universidad de Chile,"
    b"J-1,Non-US IMG,yes,she/her,America/Chicago\r\n"
)


@pytest.mark.django_db
def test_every_profile_column_is_imported():
    program = ProgramFactory()
    plan = _plan(ALL_COLUMNS, program=program)
    assert plan.ok, plan.errors
    assert plan.unmapped_columns == []
    import_commit(plan=plan, invite=False)
    profile = Profile.objects.get(user__email="ana@example.org")
    details = ImgDetails.objects.get(user__email="ana@example.org")
    assert (profile.specialty, profile.subspecialty, profile.languages, profile.pronouns, profile.time_zone) == (
        "internal_medicine", "cardiology", ["es", "en"], "she/her", "America/Chicago")
    assert (details.graduation_year, details.medical_school, details.visa_status, details.img_status,
            details.ecfmg_certified) == (2016, "Universidad de Chile", "j1", "non_us_img", True)


@pytest.mark.django_db
def test_bad_profile_values_are_row_errors_and_other_columns_are_named_not_ignored():
    content = (b"Email,Name,Languages,Graduation year,Visa,Time zone,Favourite colour\r\n"
               b"a@example.org,Ana Ruiz,Klingon,1850,Tourist,Mars/Olympus\r\n")
    plan = _plan(content)
    assert sorted(e.column for e in plan.errors) == ["Graduation year", "Languages", "Time zone", "Visa"]
    assert plan.unmapped_columns == ["Favourite colour"]


def test_header_only_file_says_there_is_nothing_to_import(client, cast):
    client.force_login(cast["coordinator"])
    location = upload(client, cast["program"], b"Email,Name,PGY\r\n")["Location"]
    html = client.get(location).content.decode()
    assert "The file has a header row but no people: there is nothing to import." in html
    assert "Import 0" not in html and 'value="commit"' not in html
    response = client.post(location, {"action": "commit"})
    assert response.status_code == 422
    assert not ImportBatch.objects.filter(committed_at__isnull=False).exists()


def test_skipping_rows_with_errors_is_an_explicit_choice(client, cast):
    client.force_login(cast["coordinator"])
    location = upload(client, cast["program"], BAD_ROWS, kind="memberships")["Location"]
    html = client.get(location).content.decode()
    assert "Import 1 row and skip the 9 rows with problems" in html
    assert client.post(location, {"action": "commit"}).status_code == 422  # not chosen: nothing
    assert not Membership.objects.filter(user__email="ok@example.org").exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(location, {"action": "commit", "skip_errors": "yes"})
    assert done.status_code == 302
    assert Membership.objects.filter(user__email="ok@example.org", program=cast["program"]).exists()
    batch = ImportBatch.objects.get()
    assert batch.committed_at and batch.summary["create"] == 1 and batch.summary["skipped"] == 9


def test_unknown_values_are_mapped_on_the_preview(client, cast):
    client.force_login(cast["coordinator"])
    content = b"Email,Name,Specialty\r\na@example.org,Ana Ruiz,Cardiac Surgery\r\n"
    location = upload(client, cast["program"], content)["Location"]
    html = client.get(location).content.decode()
    assert "Cardiac Surgery" in html and 'name="value-specialty-cardiacsurgery"' in html
    bad = client.post(location, {"action": "values", "value-specialty-cardiacsurgery": "astrology"})
    assert bad.status_code == 422 and "Select a valid choice" in bad.content.decode()
    response = client.post(location, {"action": "values", "value-specialty-cardiacsurgery": "general_surgery"})
    assert response.status_code == 302
    plan = client.get(location).context["plan"]
    assert plan.ok and plan.rows[0].specialty == "general_surgery"


def test_import_history_shows_who_when_what_and_the_outcome(client, cast):
    client.force_login(cast["coordinator"])
    upload(client, cast["program"], b"Email,Name\r\n", name="empty.csv")
    location = upload(client, cast["program"], b"Email,Name\r\nnew@example.org,New Person\r\n",
                      name="autumn-roster.csv")["Location"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(location, {"action": "commit"})
    url = reverse("dataio:import_history")
    html = client.get(url).content.decode()
    assert "autumn-roster.csv" in html and "empty.csv" in html
    assert cast["coordinator"].display_name in html
    assert "Imported" in html and "Not imported" in html
    assert "1 new" in html
    client.force_login(cast["other_coordinator"])
    html = client.get(url).content.decode()
    assert "autumn-roster.csv" not in html
    client.force_login(cast["mentee_a"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_roster_without_a_time_zone_gives_the_new_profile_none_so_matching_reads_none(client):
    """A just-imported mentor known only by a specialty must not carry the site's default zone as if they
    had chosen it: "same time zone" would count for them with every mentee there."""
    from mentora.directory.matching import mentee_entry

    program = ProgramFactory()
    plan = _plan(b"Email,Name,Specialty\r\nsam@example.org,Sam Lee,Internal medicine\r\n", program=program)
    assert plan.ok, plan.errors
    import_commit(plan=plan, invite=False)
    profile = Profile.objects.get(user__email="sam@example.org")
    assert profile.time_zone == ""
    assert "utc_offset" not in mentee_entry(profile.user)["attributes"]
    client.force_login(profile.user)  # their pages still open, and the profile page asks for a zone
    assert client.get(reverse("profiles:profile_edit")).status_code == 200
    assert client.get(reverse("home:home")).status_code == 200
    # A zone given in the roster is kept.
    plan = _plan(ALL_COLUMNS, program=program)
    import_commit(plan=plan, invite=False)
    assert Profile.objects.get(user__email="ana@example.org").time_zone == "America/Chicago"
