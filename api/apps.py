from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "API"

    def ready(self):
        from campaigns.slots import CAMPAIGN_PAGE
        from groups.slots import GROUP_PAGE

        GROUP_PAGE.register("api/_group_section.html", order=90)
        CAMPAIGN_PAGE.register("api/_campaign_embeds.html", order=90)

        from portal import hooks

        from . import webhooks

        hooks.register(webhooks.record)

        from portal.ratelimit import LIMITS

        # Reads without a token, per client address (settings.RATE_LIMITS may override).
        LIMITS.setdefault("api_public_reads", "120/m")

        from . import cache

        cache.register()
