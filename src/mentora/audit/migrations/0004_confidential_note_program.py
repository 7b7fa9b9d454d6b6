"""Notes are scoped to the program they were written in. Notes saved before without one get the
program where their author coordinated the person's training (the lowest id if several); notes
with no such program (the site admin's) stay without one: read by the person and the admin only."""

from django.db import migrations


def set_programs(apps, schema_editor):
    ConfidentialNote = apps.get_model("audit", "ConfidentialNote")
    Membership = apps.get_model("programs", "Membership")
    for note in ConfidentialNote.objects.filter(program__isnull=True, author__isnull=False).iterator():
        staff = Membership.objects.filter(user_id=note.author_id, role__in=["coordinator", "director"]).values(
            "program_id")
        program_id = (Membership.objects.filter(user_id=note.subject_id, role="mentee", program_id__in=staff)
                      .order_by("program_id").values_list("program_id", flat=True).first())
        if program_id is not None:
            ConfidentialNote.objects.filter(pk=note.pk).update(program_id=program_id)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_goal_carried_forward"),
        ("programs", "0001_initial"),
    ]

    operations = [migrations.RunPython(set_programs, migrations.RunPython.noop)]
