from django.contrib.sitemaps import Sitemap

from .models import Meeting, Resolution


class ResolutionSitemap(Sitemap):
    """Public resolutions (drafts are private) and every meeting's page."""

    def items(self):
        return [
            *Meeting.objects.order_by("pk").only("slug"),
            *Resolution.objects.public().order_by("pk").only("pk"),
        ]
