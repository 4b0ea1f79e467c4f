from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Individuals at Risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import followups

        followups.register()
