from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import mfa

        mfa.connect_signals()

        # The header's review link is worked out at sign-in (portal/navigation.py).
        from . import navigation

        navigation.connect()
