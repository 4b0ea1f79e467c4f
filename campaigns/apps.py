from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from groups.slots import AREA_PAGE, GROUP_PAGE, REGION_PAGE
        from portal import pagecache
        from portal.ratelimit import LIMITS

        from . import review
        from .models import Action, Campaign

        # Counted share-link arrivals: per visitor address and per link (one supporter's
        # link to one action). Over either, a visitor is still welcomed, just not counted.
        LIMITS.setdefault("share_arrivals_per_address", "10/h")
        LIMITS.setdefault("share_arrivals_per_link", "200/h")

        review.register_sections()
        GROUP_PAGE.register("campaigns/_group_section.html", order=20)
        REGION_PAGE.register("campaigns/_region_campaigns.html", order=20)
        AREA_PAGE.register("campaigns/_area_campaigns.html", order=20)
        pagecache.register_counter(
            "action", lambda ids: dict(Action.objects.filter(pk__in=ids).values_list("pk", "count"))
        )
        pagecache.register_counter(
            "campaign_supporters",
            lambda ids: dict(
                Campaign.objects.filter(pk__in=ids).values_list("pk", "supporter_count")
            ),
        )
