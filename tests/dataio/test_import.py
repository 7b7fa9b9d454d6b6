"""Import of spreadsheets as they really come: encodings, line ends, quoted newlines, scripts."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from mentora.core.academic_year import current_academic_year
from mentora.dataio.importer import plan_import
from mentora.dataio.models import ExternalId
from mentora.dataio.reading import FileProblem, read_table
from mentora.dataio.services import ImportRefused, import_commit
from mentora.profiles.models import ImgDetails, MentorOffer, Profile
from mentora.programs.models import Membership
from tests.factories import ProgramFactory, UserFactory

User = get_user_model()
YEAR = current_academic_year()

# Exported by Excel on Windows: UTF-8 with BOM, CRLF, a cell with a line break, names in four scripts.
UTF8_BOM_CRLF = (
    "\ufeffEmployee ID,First name,Last name,E-mail Address,PGY,Country of medical school,Notes\r\n"
    "E-001,José,Núñez-García,jose.nunez@example.org,PGY-1,Mexico,\"Prefers mornings\r\nSpeaks Spanish\"\r\n"
    "E-002,芳,王,wang.fang@example.org,pgy2,CN,\r\n"
    "E-003,Дмитрий,Иванов,d.ivanov@example.org,PGY 3,RU,\r\n"
    "E-004,محمد,العلي,m.alali@example.org,1,EG,\"a\nb\"\r\n"
).encode("utf-8")

# Excel's "CSV (Windows)" in a European locale: Windows-1252, semicolons, no BOM.
CP1252_SEMICOLON = (
    "Email;Full name;Training level\r\n"
    "francois@example.org;François Müller;PGY-2\r\n"
    "zoe@example.org;Zoë Ångström-Œuvre;Fellow\r\n"
).encode("cp1252")

# Every kind of bad row, behind a quoted newline so row numbers must count records, not lines.
BAD_ROWS = (
    b"Email,Name,Role,Training level,Capacity,External id,Notes\r\n"
    b"ok@example.org,Ok Person,mentee,PGY-1,,X1,\"two\r\nlines\"\r\n"      # row 2: fine
    b",No Email,mentee,PGY-1,,X2,\r\n"                                     # row 3
    b"not-an-email,Bad Email,mentee,PGY-1,,X3,\r\n"                        # row 4
    b"ok@example.org,Twice,mentee,PGY-1,,X4,\r\n"                          # row 5
    b"role@example.org,Bad Role,janitor,PGY-1,,X5,\r\n"                    # row 6
    b"level@example.org,Bad Level,mentee,PGY-12,,X6,\r\n"                  # row 7
    b"cap@example.org,Mentee Capacity,mentee,PGY-2,4,X7,\r\n"              # row 8
    b"mentor@example.org,Too Many,mentor,,99,X8,\r\n"                      # row 9
    b"noname@example.org,,mentee,PGY-1,,X9,\r\n"                           # row 10
    b"dupid@example.org,Same Id,mentee,PGY-1,,X1,\r\n"                     # row 11
)

EXPECTED_ERRORS = [
    (3, "Email", "an email address is required"),
    (4, "Email", "“not-an-email” is not a valid email address"),
    (5, "Email", "ok@example.org is also on row 2"),
    (6, "Role", "“janitor” is not a role here; use mentee or mentor"),
    (7, "Training level", "“PGY-12” is not a training level (PGY-1 … PGY-7, Fellow, Faculty)"),
    (8, "Capacity", "only mentors have a mentee capacity"),
    (9, "Capacity", "“99” is not a whole number from 0 to 50"),
    (10, "Name", "a name is required for a new person"),
    (11, "External id", "“X1” is also on row 2"),
]


def plan_for(program, filename, content, kind="mentees", mapping=None):
    return plan_import(sheet=read_table(filename, content), program=program, kind=kind, academic_year=YEAR,
                       mapping=mapping)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_counts():
    return (User.objects.count(), Membership.objects.count(), ExternalId.objects.count(), Profile.objects.count(),
            ImgDetails.objects.count(), MentorOffer.objects.count())


@pytest.mark.django_db
def test_utf8_bom_crlf_quoted_newlines_and_four_scripts():
    program = ProgramFactory()
    plan = plan_for(program, "roster.csv", UTF8_BOM_CRLF)
    assert plan.ok, plan.errors
    assert plan.counts() == {"create": 4, "update": 0, "unchanged": 0, "invite": 0, "invited": 0, "declined": 0}
    import_commit(plan=plan)
    names = dict(User.objects.values_list("email", "full_name"))
    assert names["jose.nunez@example.org"] == "José Núñez-García"
    assert names["wang.fang@example.org"] == "芳 王"
    assert names["d.ivanov@example.org"] == "Дмитрий Иванов"
    assert names["m.alali@example.org"] == "محمد العلي"
    levels = dict(Membership.objects.filter(program=program, academic_year=YEAR, role="mentee").values_list(
        "user__email", "training_level"))
    assert levels == {"jose.nunez@example.org": "pgy1", "wang.fang@example.org": "pgy2",
                      "d.ivanov@example.org": "pgy3", "m.alali@example.org": "pgy1"}
    assert ImgDetails.objects.get(user__email="jose.nunez@example.org").medical_school_country == "MX"
    assert dict(ExternalId.objects.values_list("value", "user__email"))["E-002"] == "wang.fang@example.org"


@pytest.mark.django_db
def test_windows_1252_semicolons():
    program = ProgramFactory()
    sheet = read_table("export.csv", CP1252_SEMICOLON)
    assert sheet.encoding == "windows-1252"
    plan = plan_for(program, "export.csv", CP1252_SEMICOLON)
    assert plan.ok, plan.errors
    import_commit(plan=plan)
    assert set(User.objects.values_list("full_name", flat=True)) == {"François Müller", "Zoë Ångström-Œuvre"}
    assert Membership.objects.get(user__email="zoe@example.org").training_level == "fellow"


@pytest.mark.django_db
def test_xlsx_with_numbers_as_ids_and_lf_only():
    program = ProgramFactory()
    content = xlsx_bytes([
        ["Email", "Name", "Role", "Capacity", "Staff ID"],
        ["Ada@Example.org", "Ada Ọkafọr", "Faculty", 4, 10234],
        ["li@example.org", "Li Wei\nMD", "mentee", None, 10235.0],
        [None, None, None, None, None],
    ])
    plan = plan_for(program, "roster.xlsx", content, kind="memberships")
    assert plan.ok, plan.errors
    import_commit(plan=plan)
    ada = User.objects.get(email="ada@example.org")
    assert ada.full_name == "Ada Ọkafọr" and MentorOffer.objects.get(user=ada).capacity == 4
    assert Membership.objects.get(user=ada).role == "mentor"
    assert User.objects.get(email="li@example.org").full_name == "Li Wei MD"
    assert set(ExternalId.objects.values_list("value", flat=True)) == {"10234", "10235"}


@pytest.mark.django_db
def test_every_bad_row_has_its_exact_error_and_nothing_is_written():
    program = ProgramFactory()
    before = table_counts()
    plan = plan_for(program, "bad.csv", BAD_ROWS, kind="memberships")
    assert [(e.row, e.column, e.reason) for e in plan.errors] == EXPECTED_ERRORS
    assert not plan.ok
    with pytest.raises(ImportRefused):
        import_commit(plan=plan)
    assert table_counts() == before
    assert not mail.outbox


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("people.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file."),
    ("people.csv", b"", "The file is empty."),
    ("people.csv", b"\r\n\r\n   \r\n", "The file is empty."),
    ("people.xlsx", b"Email,Name\r\n", "The file is named .xlsx but is not an Excel workbook."),
    ("people.csv", b"PK\x03\x04rest", "The file is an Excel workbook named like a CSV file; name it .xlsx."),
    ("people.csv", b"Email,Email\r\na@b.org,c@d.org\r\n", "The column “Email” appears twice in the header row."),
    ("people.csv", b"Email\x00,Name\r\n", "The file is not a text file (it contains NUL bytes)."),
    ("people.xlsx", b"PK\x03\x04not really a zip", "The Excel workbook cannot be opened; save it again as .xlsx."),
])
def test_unreadable_files_are_refused_with_a_reason(filename, content, message):
    with pytest.raises(FileProblem) as problem:
        read_table(filename, content)
    assert str(problem.value) == message


@pytest.mark.django_db
def test_missing_email_column_and_role_column_are_file_errors():
    program = ProgramFactory()
    plan = plan_for(program, "x.csv", b"Name,PGY\r\nAda,PGY-1\r\n", kind="memberships")
    assert plan.file_errors == ["Map a column to Email: every row needs an email address.",
                                "A memberships file needs a Role column (mentee or mentor)."]


@pytest.mark.django_db
def test_reimport_updates_and_never_duplicates():
    program = ProgramFactory()
    import_commit(plan=plan_for(program, "roster.csv", UTF8_BOM_CRLF))
    counts = table_counts()
    again = plan_for(program, "roster.csv", UTF8_BOM_CRLF)
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 4, "invite": 0, "invited": 0, "declined": 0}
    import_commit(plan=again)
    assert table_counts() == counts
    # The next export: José changed his email and moved to PGY-2; matched by the external id.
    changed = UTF8_BOM_CRLF.replace(b"jose.nunez@example.org,PGY-1", b"jnunez@hospital.example,PGY-2")
    plan = plan_for(program, "roster.csv", changed)
    assert plan.counts() == {"create": 0, "update": 1, "unchanged": 3, "invite": 0, "invited": 0, "declined": 0}
    import_commit(plan=plan)
    assert table_counts() == counts
    jose = User.objects.get(external_ids__value="E-001")
    assert jose.email == "jnunez@hospital.example"
    assert Membership.objects.get(user=jose, program=program).training_level == "pgy2"


@pytest.mark.django_db
def test_matching_by_email_without_external_id_and_outsiders_are_asked_not_attached():
    from mentora.programs.models import MembershipInvitation
    from mentora.programs.services import membership_invitation_accept

    program = ProgramFactory()
    outsider = UserFactory(email="known@example.org", full_name="Known Person")
    content = b"Email,Name,PGY\r\nknown@example.org,Renamed By Coordinator,PGY-1\r\n"
    plan = plan_for(program, "x.csv", content)
    assert plan.ok and plan.counts()["invite"] == 1
    import_commit(plan=plan)
    outsider.refresh_from_db()
    assert outsider.full_name == "Known Person"  # not a member: nothing about them is written
    assert not Membership.objects.filter(user=outsider, program=program).exists()
    invitation = MembershipInvitation.objects.get(user=outsider, program=program)
    assert (invitation.status, invitation.role, invitation.training_level) == ("pending", "mentee", "pgy1")
    assert User.objects.filter(email="known@example.org").count() == 1
    again = plan_for(program, "x.csv", content)
    assert again.counts()["invited"] == 1  # asked already: not asked twice
    import_commit(plan=again)
    assert MembershipInvitation.objects.filter(user=outsider).count() == 1
    membership_invitation_accept(invitation=invitation, by=outsider)
    assert Membership.objects.get(user=outsider, program=program, role="mentee").training_level == "pgy1"
    import_commit(plan=plan_for(program, "x.csv", content))  # a member now: the name is updated
    outsider.refresh_from_db()
    assert outsider.full_name == "Renamed By Coordinator"


@pytest.mark.django_db
def test_external_id_conflicts_are_row_errors():
    program = ProgramFactory()
    import_commit(plan=plan_for(program, "a.csv", b"Email,Name,ID\r\na@example.org,A,1\r\nb@example.org,B,2\r\n"))
    plan = plan_for(program, "b.csv", b"Email,Name,ID\r\nb@example.org,B,1\r\na@example.org,A,3\r\n")
    assert [(e.row, e.column, e.reason) for e in plan.errors] == [
        (2, "Email", "b@example.org belongs to someone else than external id “1”"),
        (3, "ID", "a@example.org already has external id “1” here"),
    ]


@pytest.mark.django_db
def test_commit_is_all_or_nothing(monkeypatch):
    program = ProgramFactory()
    plan = plan_for(program, "roster.csv", UTF8_BOM_CRLF)
    before = table_counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ExternalId.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        import_commit(plan=plan)
    assert table_counts() == before


@pytest.mark.django_db(transaction=True)
def test_new_people_are_invited_once_with_a_working_password_link(client):
    program = ProgramFactory(name="Riverside IM")
    import_commit(plan=plan_for(program, "roster.csv", UTF8_BOM_CRLF))
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        ["jose.nunez@example.org", "wang.fang@example.org", "d.ivanov@example.org", "m.alali@example.org"])
    import_commit(plan=plan_for(program, "roster.csv", UTF8_BOM_CRLF))
    from mentora.dataio.tasks import send_import_invitations

    send_import_invitations.call(user_ids=list(User.objects.values_list("pk", flat=True)), program_id=program.pk)
    assert len(mail.outbox) == 4  # recorded once per person and program
    body = next(m.body for m in mail.outbox if m.to == ["wang.fang@example.org"])
    link = next(word for word in body.split() if "/accounts/password/reset/key/" in word)
    path = link.split("127.0.0.1:8000", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(action, {"password1": "a-new-long-password-9", "password2": "a-new-long-password-9"})
    assert response.status_code == 302
    assert client.login(username="wang.fang@example.org", password="a-new-long-password-9")
