# The reminder schedule, moved here from the core (portal/migrations/0004). The table
# already exists, with its rows, as portal_reminderschedule: this migration only tells
# Django that the events app owns it now.
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_event_public_time_index"),
        ("portal", "0004_reminderschedule_to_events"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderSchedule",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("day_before", "The day before"),
                                    ("same_day", "On the day"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("due_at", models.DateTimeField()),
                        ("starts_at", models.DateTimeField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sent", "Sent"),
                                    (
                                        "skipped",
                                        "Skipped (time already past, or event cancelled)",
                                    ),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("recipients", models.PositiveIntegerField(default=0)),
                        ("processed_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder_schedules",
                                to="events.event",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portal_reminderschedule",
                        "ordering": ["due_at", "pk"],
                        "indexes": [
                            models.Index(fields=["status", "due_at"], name="reminder_due_idx")
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                models.F("event"), models.F("kind"), name="one_reminder_per_kind"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
