"""Token authentication: `Authorization: Bearer <token>` or OSDI's `OSDI-API-Token: <token>`.
No session authentication: the API never acts on a browser's cookies, so it needs no CSRF."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services
from .models import ApiToken, hash_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        raw = request.META.get("HTTP_OSDI_API_TOKEN", "")
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not raw and header:
            kind, _, value = header.partition(" ")
            if kind.lower() != "bearer" or not value.strip():
                raise exceptions.AuthenticationFailed("Use “Authorization: Bearer <token>”.")
            raw = value.strip()
        if not raw:
            return None
        token = (
            ApiToken.objects.usable()
            .select_related("created_by", "group")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("This token is unknown, revoked or expired.")
        services.record_use(token=token)
        return (token.created_by, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
