from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Resources and curriculum"

    def ready(self):
        from portal.ratelimit import LIMITS

        # This app's abuse limit, registered as a default (settings.RATE_LIMITS may still
        # override it): making a PDF costs a second of CPU on a cache miss.
        LIMITS.setdefault("resource_print", "60/h")
