from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Resources and curriculum"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from campaigns.slots import CAMPAIGN_PAGE
        from portal import bulk, notifications
        from portal.ratelimit import LIMITS

        from . import review, services

        # Campaign pages list their materials, above their events.
        CAMPAIGN_PAGE.register("resources/_campaign_resources.html", order=5)
        # Leads' submissions wait in the reps' queue (and count in My portal's badge).
        review.register_sections()

        # This app's abuse limit, registered as a default (settings.RATE_LIMITS may still
        # override it): making a PDF costs a second of CPU on a cache miss.
        LIMITS.setdefault("resource_print", "60/h")
        # "New" and "updated" emails to subscribers go out as bulk sends, to the people on
        # the resources email list (on by default; one click in any of them leaves it).
        bulk.register(
            bulk.BulkKind(
                name=services.NEWS_KIND,
                recipients=services.news_recipients,
                build=services.build_news,
            )
        )
        notifications.register_list(
            notifications.EmailList(
                name=services.NEWS_LIST,
                label="emails about the resources you follow",
                choice="Email me when resources I follow are new or updated",
                help_text="Choose what you follow on the resources pages (My subscriptions).",
                applies_to=lambda user: user.resource_subscriptions.exists(),
            )
        )
