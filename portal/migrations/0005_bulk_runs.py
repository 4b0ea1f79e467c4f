# Digest runs and batches become the general bulk-send rows (portal.bulk): renamed in
# place, with their data; the kind is free text (each app registers its kinds) and the
# period becomes a key.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_reminderschedule_to_events"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="digestrun", name="one_digest_run_per_period"),
        migrations.RenameModel(old_name="DigestRun", new_name="BulkRun"),
        migrations.RenameModel(old_name="DigestBatch", new_name="BulkBatch"),
        migrations.RenameField(model_name="bulkrun", old_name="period", new_name="key"),
        migrations.RenameField(
            model_name="bulkbatch", old_name="user_ids", new_name="recipient_ids"
        ),
        migrations.AlterField(
            model_name="bulkrun", name="kind", field=models.CharField(max_length=40)
        ),
        migrations.AlterField(
            model_name="bulkrun",
            name="key",
            field=models.CharField(help_text="2027-W09, case-update-12, ...", max_length=100),
        ),
        migrations.AlterField(
            model_name="bulkrun",
            name="since",
            field=models.DateTimeField(blank=True, help_text="News since this moment.", null=True),
        ),
        migrations.AddField(
            model_name="bulkrun",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddConstraint(
            model_name="bulkrun",
            constraint=models.UniqueConstraint(
                models.F("kind"), models.F("key"), name="one_bulk_run_per_key"
            ),
        ),
        migrations.AddIndex(
            model_name="bulkrun",
            index=models.Index(fields=["planned_at"], name="bulk_run_unplanned_idx"),
        ),
        migrations.RenameIndex(
            model_name="bulkbatch", new_name="bulk_batch_due_idx", old_name="digest_batch_due_idx"
        ),
        migrations.AlterField(
            model_name="bulkbatch",
            name="queued",
            field=models.PositiveIntegerField(default=0, help_text="Messages queued."),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="bulk_batch",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="messages",
                to="portal.bulkbatch",
            ),
        ),
        migrations.AlterModelOptions(
            name="bulkbatch",
            options={"ordering": ["run", "number"], "verbose_name_plural": "bulk batches"},
        ),
    ]
