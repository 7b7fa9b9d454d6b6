"""Imports in the demo program's history: two rosters imported earlier this year (one with rows skipped
on purpose), and one uploaded but not imported yet, whose preview asks what "Cardiac Surgery" is."""

import datetime

from django.utils import timezone

from .models import ImportBatch

WAITING = (
    "Email,First name,Last name,PGY,Specialty,Languages,Visa status,Graduation year\r\n"
    "amara.okafor@demo.mentora.example,Amara,Okafor,PGY-1,Cardiology,\"English; Igbo\",J-1,2021\r\n"
    "tomas.herrera@demo.mentora.example,Tomás,Herrera,PGY-1,Cardiac Surgery,Spanish,H-1B,2020\r\n"
    "lin.wei@demo.mentora.example,Wei,Lin,PGY-1,IM,Chinese,J-1,2022\r\n"
).encode()


def generate(context) -> None:
    coordinator, program, year = context.logins["coordinator"], context.demo_program, context.academic_year
    now = timezone.now()
    batches = [
        ImportBatch(program=program, created_by=coordinator, kind=ImportBatch.Kind.MENTEES, academic_year=year,
                    filename="residents-july.xlsx", content=b"", committed_at=now - datetime.timedelta(days=120),
                    summary={"create": 48, "update": 0, "unchanged": 0, "invite": 2, "invited": 0, "declined": 0}),
        ImportBatch(program=program, created_by=coordinator, kind=ImportBatch.Kind.MEMBERSHIPS, academic_year=year,
                    filename="faculty-and-late-starters.csv", content=b"", skip_errors=True,
                    committed_at=now - datetime.timedelta(days=60),
                    summary={"create": 9, "update": 14, "unchanged": 31, "invite": 0, "invited": 0, "declined": 0,
                             "skipped": 3}),
        ImportBatch(program=program, created_by=coordinator, kind=ImportBatch.Kind.MENTEES, academic_year=year,
                    filename="off-cycle-starters.csv", content=WAITING),
    ]
    created = ImportBatch.objects.bulk_create(batches)
    # The history lists when each file was uploaded (auto_now_add stamps them all now).
    for batch, days in zip(created, (121, 61, 1), strict=True):
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=now - datetime.timedelta(days=days))
