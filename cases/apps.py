from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Individuals at Risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use models, which exist only once
        # the app registry is ready. Registering is how this app plugs into lower ones.
        from groups.slots import GROUP_PAGE

        from . import followups

        followups.register()
        GROUP_PAGE.register("cases/_group_section.html", order=25)
