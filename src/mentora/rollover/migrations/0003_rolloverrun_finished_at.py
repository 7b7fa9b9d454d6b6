from django.db import migrations, models
from django.db.models import F


def finish_earlier_runs(apps, schema_editor):
    # Rollovers recorded before batches were committed in one transaction: each one is finished.
    apps.get_model("rollover", "RolloverRun").objects.update(finished_at=F("committed_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("rollover", "0002_rollover_per_person_overrides"),
    ]

    operations = [
        migrations.AddField(
            model_name="rolloverrun",
            name="finished_at",
            field=models.DateTimeField(blank=True, help_text="Empty while batches are still to do.", null=True),
        ),
        migrations.RunPython(finish_earlier_runs, migrations.RunPython.noop),
    ]
