import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from mentora.dataio.models import ImportBatch
from mentora.programs.models import Membership

from .test_import import BAD_ROWS, UTF8_BOM_CRLF, table_counts


def upload(client, program, content, name="roster.csv", kind="mentees"):
    from mentora.core.academic_year import current_academic_year

    return client.post("/data/import/", {
        "program": program.pk, "kind": kind, "academic_year": current_academic_year(),
        "file": SimpleUploadedFile(name, content),
    })


def test_coordinator_uploads_previews_then_commits(client, cast):
    client.force_login(cast["coordinator"])
    response = upload(client, cast["program"], UTF8_BOM_CRLF)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    before = table_counts()
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["counts"] == {"create": 4, "update": 0, "unchanged": 0, "invite": 0, "invited": 0,
                                         "declined": 0}
    assert "José Núñez-García" in preview.content.decode()
    assert table_counts() == before  # the preview is a dry run
    with TestCase.captureOnCommitCallbacks(execute=True):  # the import job runs at commit (immediate backend)
        done = client.post(response["Location"], {"action": "commit"})
    assert done.status_code == 302 and done["Location"].startswith("/background/jobs/")
    assert Membership.objects.filter(program=cast["program"], role="mentee").count() == 2 + 4
    batch.refresh_from_db()
    assert batch.committed_at and batch.summary["create"] == 4 and bytes(batch.content) == b""
    result = client.get(done["Location"]).content.decode()
    assert "4 new (invited by email)" in result and response["Location"] in result
    assert client.post(response["Location"], {"action": "commit"}).status_code == 200  # shows "done", no rewrite
    assert Membership.objects.filter(program=cast["program"], role="mentee").count() == 6


def test_bad_rows_are_listed_and_commit_is_refused(client, cast):
    client.force_login(cast["coordinator"])
    location = upload(client, cast["program"], BAD_ROWS, kind="memberships")["Location"]
    preview = client.get(location)
    html = preview.content.decode()
    assert len(preview.context["plan"].errors) == 9 and "“PGY-12” is not a training level" in html
    before = table_counts()
    response = client.post(location, {"action": "commit"})
    assert response.status_code == 422 and table_counts() == before


def test_mapping_form_changes_the_columns(client, cast):
    client.force_login(cast["coordinator"])
    content = b"Correo,Nombre,Nivel\r\nana@example.org,Ana Ruiz,PGY-1\r\n"
    location = upload(client, cast["program"], content)["Location"]
    assert client.get(location).context["plan"].file_errors  # no email column recognised
    response = client.post(location, {"action": "map", "email": "Correo", "full_name": "Nombre",
                                      "training_level": "Nivel"})
    assert response.status_code == 302
    plan = client.get(location).context["plan"]
    assert plan.ok and plan.rows[0].full_name == "Ana Ruiz" and plan.rows[0].training_level == "pgy1"
    bad = client.post(location, {"action": "map", "email": "Correo", "full_name": "Correo"})
    assert bad.status_code == 422


@pytest.mark.parametrize(("name", "content", "error"), [
    ("roster.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
    ("roster.xlsx", b"Email\r\n", "The file is named .xlsx but is not an Excel workbook."),
    ("roster.csv", b"", "The submitted file is empty."),
])
def test_upload_checks_type_and_content(client, cast, name, content, error):
    client.force_login(cast["coordinator"])
    response = upload(client, cast["program"], content, name=name)
    assert response.status_code == 422
    assert error in response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_only_coordinators_of_the_program(client, cast):
    client.force_login(cast["mentee_a"])
    assert client.get("/data/import/").status_code == 403
    client.force_login(cast["other_coordinator"])
    response = upload(client, cast["program"], UTF8_BOM_CRLF)  # not a program they coordinate
    assert response.status_code == 422 and "program" in response.context["form"].errors
    client.force_login(cast["coordinator"])
    location = upload(client, cast["program"], UTF8_BOM_CRLF)["Location"]
    client.force_login(cast["other_coordinator"])
    assert client.get(location).status_code == 403
    assert client.post(location, {"action": "commit"}).status_code == 403
    assert not Membership.objects.filter(user__email="jose.nunez@example.org").exists()


def test_cli_dry_run_commit_and_exit_2(tmp_path, cast, capsys):
    program = cast["program"]
    good = tmp_path / "roster.csv"
    good.write_bytes(UTF8_BOM_CRLF)
    before = table_counts()
    call_command("import", str(good), "--program", program.slug, "--kind", "mentees")
    assert "Dry run: 4 new" in capsys.readouterr().out and table_counts() == before
    call_command("import", str(good), "--program", program.slug, "--kind", "mentees", "--commit")
    assert "Imported: 4 new" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD_ROWS)
    after = table_counts()
    for args, message in [
        ([str(bad), "--program", program.slug, "--commit"], "9 problems"),
        ([str(tmp_path / "missing.csv"), "--program", program.slug], "no such file"),
        ([str(good), "--program", "no-such-program"], "no program with slug"),
        ([str(good), "--program", program.slug, "--map", "nonsense=X"], "--map wants FIELD=COLUMN"),
    ]:
        with pytest.raises(CommandError, match=message) as error:
            call_command("import", *args)
        assert error.value.returncode == 2
    assert "row 7, Training level: “PGY-12” is not a training level" in capsys.readouterr().err
    assert table_counts() == after


def test_cli_exit_status_is_2_from_the_shell(tmp_path):
    import os
    import subprocess
    import sys

    missing = tmp_path / "nothing.csv"
    result = subprocess.run([sys.executable, "-m", "mentora.cli", "import", str(missing), "--program", "x"],
                            capture_output=True, text=True, env={**os.environ, "MENTORA_VAR_DIR": str(tmp_path)},
                            timeout=120)
    assert result.returncode == 2 and "no such file" in result.stderr
