from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import pagecache

        from .models import LocalGroup

        pagecache.register_counter(
            "group_members",
            lambda ids: dict(
                LocalGroup.objects.filter(pk__in=ids).values_list("pk", "member_count")
            ),
        )
