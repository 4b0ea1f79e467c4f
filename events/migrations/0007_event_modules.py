from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_verbose_names"),
        ("resources", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="modules",
            field=models.ManyToManyField(
                blank=True,
                help_text="For a training event: the curriculum modules it covers.",
                related_name="events",
                to="resources.module",
            ),
        ),
    ]
