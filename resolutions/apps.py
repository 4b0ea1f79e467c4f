from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Resolutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: these modules use models, which exist only once the registry is
        # ready. Registering is how this app plugs into the lower ones.
        from portal.ratelimit import LIMITS

        from . import news, review

        # Drafts a member may start in a day; supports given or withdrawn in an hour.
        LIMITS.setdefault("resolution_drafts", "5/d")
        LIMITS.setdefault("resolution_supports", "30/h")
        news.register()
        review.register_sections()
