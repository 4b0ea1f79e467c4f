from django.contrib.sitemaps import Sitemap

from .models import Case


class CaseSitemap(Sitemap):
    """Published cases, by their slug (never a hidden real name: the admin refuses one)."""

    def items(self):
        return Case.objects.published().order_by("pk").only("slug")
