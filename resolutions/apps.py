from django.apps import AppConfig


class ResolutionsConfig(AppConfig):
    name = "resolutions"
    verbose_name = "Resolutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: these modules use models, which exist only once the registry is
        # ready. Registering is how this app plugs into the lower ones.
        from . import news, review

        news.register()
        review.register_sections()
