import hashlib

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal import maps, pagecache
from portal.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 (sanitised by nh3)


@register.filter
def km(distance) -> str:
    if distance is None:
        return ""
    return f"{distance:.1f} km" if distance < 10 else f"{distance:.0f} km"


@register.simple_tag(takes_context=True)
def querystring_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.filter
def initials(name: str) -> str:
    """Up to two capitals for an avatar: "Amira Hassan" -> "AH", "Lewis (demo lead)" -> "LD"."""
    words = [word.strip("()") for word in (name or "").split()]
    letters = [word[0] for word in words if word and word[0].isalpha()]
    return "".join(letters[:1] + letters[1:][-1:]).upper()


AVATAR_TONES = 8


@register.simple_tag
def avatar(name: str) -> str:
    """A circle with the person's initials, its colour one of AVATAR_TONES picked by a hash
    of the name, so a person keeps their colour on every page (look.css .pp-avatar-N).
    Decorative: the name is written beside it."""
    tone = int(hashlib.sha256((name or "").encode()).hexdigest()[:8], 16) % AVATAR_TONES
    return format_html(
        '<span class="pp-avatar pp-avatar-{}" aria-hidden="true">{}</span>', tone, initials(name)
    )


@register.simple_tag(takes_context=True)
def live(context, name: str, pk: int, value: int, noun: str = "") -> str:
    """A counter that changes every second (signatures, supporters), with its noun in the
    singular ("signature" gives "1 signature", "2 signatures"): on a page rendered for the
    anonymous page cache, a marker filled in each time the page is served
    (portal.pagecache.fill_counters); elsewhere the count itself."""
    request = context.get("request")
    if request is not None and pagecache.is_live(request):
        return pagecache.live_marker(name, pk, value, noun)
    return pagecache.counted(value, noun)


@register.simple_tag
def map_attribution() -> str:
    """The credit every map carries (portal/data/README.md)."""
    return maps.ATTRIBUTION
