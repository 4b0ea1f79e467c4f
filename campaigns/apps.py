from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from groups.slots import GROUP_PAGE, REGION_PAGE

        from . import review

        review.register_sections()
        GROUP_PAGE.register("campaigns/_group_section.html", order=20)
        REGION_PAGE.register("campaigns/_region_campaigns.html", order=20)
