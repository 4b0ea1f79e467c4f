from django.apps import AppConfig


class FrontConfig(AppConfig):
    name = "front"
    verbose_name = "Home, search and My portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from . import digests

        digests.register_kinds()
