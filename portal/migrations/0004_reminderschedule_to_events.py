# The reminder schedule moved to the events app (events/migrations/0005). Only Django's
# idea of which app owns the model changes: the table, portal_reminderschedule, and its
# rows stay where they are.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReminderSchedule")],
            database_operations=[],
        ),
    ]
