from django.apps import AppConfig


class GuestsConfig(AppConfig):
    name = "guests"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from campaigns.slots import ACTION_PAGE, CAMPAIGN_PAGE
        from events.slots import EVENT_RSVP
        from portal.pagecache import PRIVATE_COOKIES
        from portal.ratelimit import LIMITS

        from . import receivers  # noqa: F401  (allauth's signals: claiming on sign-up)
        from .remember import COOKIE

        # A page filled in from the remember-me cookie is that person's: never cached.
        PRIVATE_COOKIES.add(COOKIE)
        ACTION_PAGE.register("guests/_action_slot.html", order=10)
        CAMPAIGN_PAGE.register("guests/_campaign_slot.html", order=5)
        EVENT_RSVP.register("guests/_rsvp_slot.html", order=10)
        # Guest forms, per client address and per email address; defaults that
        # settings.RATE_LIMITS may override.
        LIMITS.setdefault("guest_actions", "20/h")
        LIMITS.setdefault("guest_emails", "5/h")
        LIMITS.setdefault("guest_data_requests", "5/h")
