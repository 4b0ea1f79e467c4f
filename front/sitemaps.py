from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from cases.sitemaps import CaseSitemap
from events.models import Event, Festival
from groups.models import LocalGroup
from partners.models import Partner
from resolutions.sitemaps import ResolutionSitemap


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "groups:list",
            "campaigns:list",
            "cases:list",
            "events:list",
            "partners:list",
            "resolutions:list",
            "privacy",
        ]

    def location(self, item):
        return reverse(item)


class GroupSitemap(Sitemap):
    def items(self):
        return LocalGroup.objects.active().order_by("pk").only("slug")


class CampaignSitemap(Sitemap):
    def items(self):
        return Campaign.objects.public().order_by("pk").only("slug")


class EventSitemap(Sitemap):
    """Public events of the last year and the future."""

    def items(self):
        since = timezone.now() - timedelta(days=365)
        return Event.objects.public().filter(starts_at__gte=since).order_by("pk").only("slug")


class FestivalSitemap(Sitemap):
    def items(self):
        return Festival.objects.filter(status=Festival.Status.PUBLISHED).order_by("pk")


class PartnerSitemap(Sitemap):
    def items(self):
        return Partner.objects.active().order_by("pk").only("slug")


SITEMAPS = {
    "pages": StaticSitemap,
    "groups": GroupSitemap,
    "campaigns": CampaignSitemap,
    "cases": CaseSitemap,
    "events": EventSitemap,
    "festivals": FestivalSitemap,
    "partners": PartnerSitemap,
    "resolutions": ResolutionSitemap,
}
