from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.cache import patch_cache_control


class PermissionsPolicyMiddleware:
    """Django sets most security headers itself; Permissions-Policy it does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PersonalDataCacheControlMiddleware:
    """Nothing shown to a signed-in person, and nothing reached through a personal link
    (a calendar feed, an unsubscribe or cancel link: a URL with a token or key in it), may
    be kept by a browser's disk cache or a shared cache: member lists, CSVs, the data ZIP,
    My portal and the review pages all answer only such requests."""

    PERSONAL_PARAMETERS = {"token", "key", "uidb36"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        personal_link = match is not None and self.PERSONAL_PARAMETERS & set(match.kwargs)
        if (user is not None and user.is_authenticated) or personal_link:
            patch_cache_control(response, private=True, no_store=True)
        return response


class MalformedInputMiddleware:
    """A NUL byte can reach no column: PostgreSQL refuses it in any string, and the error
    would be a 500. Forms already refuse it (Django's CharField validator); a path holding
    one (in any URL parameter) names nothing, a 404; a query string holding one is a bad
    request, a 400. Other malformed values (overlong, not UTF-8, out of range) already
    match nothing and get each view's ordinary 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No such page.")
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL character is not allowed in a query string.")
        return self.get_response(request)
