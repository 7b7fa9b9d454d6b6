# The data version no longer reads the latest change (core.data_version keeps it with triggers): these
# indexes only cost every write of a meeting, goal or plan.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ilps', '0005_goal_dashboard_counts'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='goal',
            name='goal_updated_at',
        ),
        migrations.RemoveIndex(
            model_name='learningplan',
            name='learningplan_updated_at',
        ),
    ]
