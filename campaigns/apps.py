from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from groups.slots import GROUP_PAGE
        from portal import pagecache

        from . import review
        from .models import Action, Campaign

        review.register_sections()
        GROUP_PAGE.register("campaigns/_group_section.html", order=20)
        pagecache.register_counter(
            "action", lambda ids: dict(Action.objects.filter(pk__in=ids).values_list("pk", "count"))
        )
        pagecache.register_counter(
            "campaign_supporters",
            lambda ids: dict(
                Campaign.objects.filter(pk__in=ids).values_list("pk", "supporter_count")
            ),
        )
