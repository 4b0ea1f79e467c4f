"""People who signed, pledged or wrote before acting made them supporters become supporters
now, and every campaign's supporter counter is recounted from its rows (issue 16)."""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

COUNTED_KINDS = ["sign", "pledge", "write"]


def acting_supports(apps, schema_editor):
    ActionTaken = apps.get_model("campaigns", "ActionTaken")
    Campaign = apps.get_model("campaigns", "Campaign")
    CampaignSupporter = apps.get_model("campaigns", "CampaignSupporter")
    pairs = (
        ActionTaken.objects.filter(user__isnull=False, action__kind__in=COUNTED_KINDS)
        .values_list("action__campaign_id", "user_id")
        .distinct()
        .order_by()
    )
    batch = []
    for campaign_id, user_id in pairs.iterator(chunk_size=2000):
        batch.append(CampaignSupporter(campaign_id=campaign_id, user_id=user_id))
        if len(batch) == 2000:
            CampaignSupporter.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    CampaignSupporter.objects.bulk_create(batch, ignore_conflicts=True)
    supporters = (
        CampaignSupporter.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Campaign.objects.update(supporter_count=Coalesce(Subquery(supporters), Value(0)))


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0006_guest_actions_and_supports")]

    operations = [migrations.RunPython(acting_supports, migrations.RunPython.noop)]
