from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "front"
    verbose_name = "Home, search and My portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import digests

        digests.register_kinds()
