# The data version no longer reads the latest change (core.data_version keeps it with triggers): these
# indexes only cost every write of a meeting, goal or plan.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_indexes_for_dashboards'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='meeting',
            name='meeting_updated_at',
        ),
    ]
