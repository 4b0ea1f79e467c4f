from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal.ratelimit import LIMITS

        # This app's abuse limit, registered as a default (settings.RATE_LIMITS may still
        # override it): event proposals per member per day.
        LIMITS.setdefault("event_proposals", "5/d")
