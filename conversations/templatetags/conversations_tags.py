from django import template

from ..permissions import Place, can_read
from ..unread import header_unread

register = template.Library()
NOTICEBOARD_LIMIT = 5


@register.simple_tag(takes_context=True)
def unread_conversations(context):
    """The person's unread count, current (conversations.unread.header_unread): cache
    reads, or three queries on the first page after a post they may read, or a read."""
    request = context.get("request")
    return header_unread(request.user) if request is not None else None


@register.simple_tag(takes_context=True)
def noticeboard_for(context, region):
    """The region's latest threads, for the people who may read them; None for others
    (nothing is shown, not even that it exists)."""
    request = context.get("request")
    place = Place("region", region)
    if request is None or not can_read(request.user, place):
        return None
    return list(
        region.threads.select_related("author").order_by("-last_post_at", "-pk")[:NOTICEBOARD_LIMIT]
    )
