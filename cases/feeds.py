"""RSS of the updates on published cases. Titles carry the case's public name only."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse

from portal.markdown import render_markdown

from .models import CaseUpdate

FEED_SIZE = 30


class CaseUpdatesFeed(Feed):
    description = "Follow-ups and outcomes of the Individuals at Risk cases."

    def title(self):
        return f"{settings.SITE_NAME}: Individuals at Risk updates"

    def link(self):
        return reverse("cases:list")

    def items(self):
        return (
            CaseUpdate.objects.filter(case__is_published=True)
            .select_related("case")
            .order_by("-published_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.case.public_name}: {item.title}"

    def item_description(self, item):
        return render_markdown(item.body)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at
