from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The announcements email list and bulk send, registered with the core.
        from . import announcements

        announcements.register()

        from portal.ratelimit import LIMITS

        # Messages to a region's team through its contact form, per address per hour.
        LIMITS.setdefault("region_contact", "5/h")

        from portal import pagecache

        from .models import LocalGroup

        pagecache.register_counter(
            "group_members",
            lambda ids: dict(
                LocalGroup.objects.filter(pk__in=ids).values_list("pk", "member_count")
            ),
        )
