from django import template

from ..forms import PostForm
from ..models import Thread
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


DISCUSSION_PREVIEW = 3


@register.simple_tag(takes_context=True)
def discussion_for(context, resolution):
    """A public resolution's discussion for the resolution page: the thread, its latest
    visible posts (oldest first) and a reply form, for those who may read it; "sign in"
    for people signed out; None for everyone else and for drafts. Three queries."""
    request = context.get("request")
    if request is None or resolution.is_draft:
        return None
    if not request.user.is_authenticated:
        return {"sign_in": True}
    if not can_read(request.user, Place("resolution", resolution)):
        return None
    thread = Thread.objects.filter(resolution=resolution).first()
    if thread is None:
        return None
    latest = list(
        thread.posts.filter(hidden_at__isnull=True)
        .select_related("author")
        .order_by("-created_at", "-pk")[:DISCUSSION_PREVIEW]
    )
    return {
        "thread": thread,
        "latest": latest[::-1],
        "form": PostForm(auto_id="id_discussion_%s"),
    }
