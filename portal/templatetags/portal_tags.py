import hashlib

from django import template
from django.templatetags.static import static
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


# Each picture has one shape per place, cut by CSS (object-fit), so width and height are
# known before it loads and nothing on the page moves. (width, height, class)
PICTURE_SIZES = {
    "card": (640, 360, "pp-picture pp-card__img"),
    "thumb": (640, 360, "pp-picture pp-thumb"),
    "page": (1600, 800, "pp-picture pp-page-img"),
}
# Cards in a list from this one on are lazy-loaded: three fill a row at 1280 px.
FIRST_LAZY_CARD = 4


@register.simple_tag
def picture(obj, kind: str, size: str = "card", position: int = 0, lazy: bool = False) -> str:
    """An event's, festival's, campaign's or group's picture with its alt text (the card
    rendition on cards), or the kind's default from static/img/, which is decorative
    (alt=""). A page's header shows only an uploaded picture: a default cut to a banner
    says nothing and pushes the page down. ``position`` is the card's place in its list
    (1-based)."""
    width, height, css = PICTURE_SIZES[size]
    if size == "page" and not obj.image:
        return ""
    if obj.image:
        shown = obj.image if size == "page" or not obj.image_card else obj.image_card
        src, alt = shown.url, obj.image_alt
    else:
        src, alt, css = static(f"img/default-{kind}.svg"), "", f"{css} pp-picture--default"
    lazy = lazy or (position or 0) >= FIRST_LAZY_CARD  # "" outside a loop
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" class="{}"{}>',
        src,
        alt,
        width,
        height,
        css,
        mark_safe(' loading="lazy"') if lazy else "",  # noqa: S308 (a constant)
    )
