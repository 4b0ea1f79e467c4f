import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_event_modules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="host",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="hosted_events",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="review_note",
            field=models.TextField(
                blank=True,
                default="",
                help_text="A lead's comment when sending a proposal back or declining it.",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("published", "Published"),
                    ("cancelled", "Cancelled"),
                    ("proposed", "Proposed, waiting for a lead"),
                    ("returned", "Sent back to the host"),
                    ("declined", "Declined"),
                ],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("status__in", ["proposed", "returned"])),
                fields=["group", "starts_at"],
                name="event_proposal_idx",
            ),
        ),
    ]
