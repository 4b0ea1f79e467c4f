from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from campaigns.slots import CAMPAIGN_PAGE
        from cases.slots import CASE_PAGE
        from groups.slots import AREA_PAGE, GROUP_PAGE, REGION_PAGE
        from partners.slots import PARTNER_PAGE

        from . import review

        review.register_sections()
        GROUP_PAGE.register("events/_group_section.html", order=10)
        REGION_PAGE.register("events/_region_events.html", order=10)
        AREA_PAGE.register("events/_area_events.html", order=10)
        CAMPAIGN_PAGE.register("events/_campaign_events.html", order=10)
        CASE_PAGE.register("events/_case_events.html", order=10)
        PARTNER_PAGE.register("events/_partner_events.html", order=10)

        from portal.ratelimit import LIMITS

        # This app's abuse limit, registered as a default (settings.RATE_LIMITS may still
        # override it): event proposals per member per day.
        LIMITS.setdefault("event_proposals", "5/d")

        from portal import pagecache

        from .models import Event

        # "12 coming", "8 of 10 places taken, 3 on the waitlist" on the event's page: an
        # RSVP changes these numbers only, so it does not rebuild the page (rsvp_scopes).
        pagecache.register_counter(
            "event_confirmed",
            lambda ids: dict(Event.objects.filter(pk__in=ids).values_list("pk", "confirmed_count")),
        )
        pagecache.register_counter(
            "event_waitlist",
            lambda ids: dict(Event.objects.filter(pk__in=ids).values_list("pk", "waitlist_count")),
        )
