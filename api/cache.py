"""The public reads (no token) of events, groups, campaigns, festivals, partners,
petitions and advocacy campaigns go through the anonymous page cache (portal.pagecache),
versioned by the scopes of the HTML pages that show the same rows (docs/api.md,
"Caching"). People, attendances, signatures and outreaches need a token and are never
cached; nor is any request that carries a token, valid or not."""

from urllib.parse import urlencode

from django.http import JsonResponse
from rest_framework.exceptions import NotAcceptable, Throttled
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.settings import api_settings

from portal import pagecache, ratelimit

from .errors import error_body

TOKEN_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_OSDI_API_TOKEN")
# URL name (api:<name>-list, -detail) -> the scopes its rows' writes touch. An event shows
# its group's name, which a lead's edit of the group changes (list:groups). Festivals,
# partners, actions and campaigns are written by the admin or by services that touch no
# scope yet, which bump the site's version, on which every entry depends.
SCOPES = {
    "event": ("list:events", "list:groups"),
    "group": ("list:groups",),
    "campaign": ("list:campaigns",),
    "petition": ("list:campaigns",),
    "advocacy_campaign": ("list:campaigns",),
    "festival": ("list:festivals",),
    "partner": ("list:partners",),
}


def public_read_wait(request) -> int | None:
    """Count one read without a token from the client's address; the seconds to wait if
    it is over the limit, else None. Counted by the view on a miss and by the cache on a
    hit, so every read counts once."""
    usage = ratelimit.count(request, "api_public_reads", f"ip{ratelimit.client_ip(request)}")
    return usage["time_left"] if usage["should_limit"] else None


def cache_key(request) -> str | None:
    """Scheme and host (the links are absolute), path, the query string with its names
    sorted (each name's values keep their order: the last one counts) and the format
    content negotiation picks; None for a request with a token, or none acceptable."""
    if any(request.META.get(header) for header in TOKEN_HEADERS):
        return None
    renderers = [renderer() for renderer in api_settings.DEFAULT_RENDERER_CLASSES]
    try:
        renderer, media_type = DefaultContentNegotiation().select_renderer(
            Request(request), renderers
        )
    except NotAcceptable:
        return None
    query = urlencode(
        [(name, value) for name, values in sorted(request.GET.lists()) for value in values]
    )
    return f"api {request.scheme}://{request.get_host()}{request.path}?{query} {media_type}"


def admit(request):
    wait = public_read_wait(request)
    if wait is None:
        return None
    throttled = Throttled(wait=wait)
    response = JsonResponse(error_body(429, str(throttled.detail)), status=429)
    response["Retry-After"] = str(throttled.wait)
    return response


def register() -> None:
    for name, scopes in SCOPES.items():
        cacheable = pagecache.Cacheable(scopes=scopes, key=cache_key, admit=admit)
        for view in ("list", "detail"):
            pagecache.register_cacheable(f"api:{name}-{view}", cacheable)
