"""Token authentication: `Authorization: Bearer <token>` or OSDI's `OSDI-API-Token: <token>`.
No session authentication: the API never acts on a browser's cookies, so it needs no CSRF."""

from django.db.models import Exists, OuterRef
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from groups.models import Membership

from . import services
from .models import ApiToken, hash_token
from .permissions import maker_refusal


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
            .annotate(
                maker_leads=Exists(
                    Membership.objects.leads().filter(
                        group_id=OuterRef("group_id"), user_id=OuterRef("created_by_id")
                    )
                )
            )
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("This token is unknown, revoked or expired.")
        # The one place a token's standing is checked, for every scope and every request
        # (public reads too: a token widens what they show).
        why = maker_refusal(token.created_by, token.group_id, leads=token.maker_leads)
        if why is not None:
            raise exceptions.PermissionDenied(
                f"The person who made this token {why}; "
                f"{'a lead' if token.group_id else 'staff'} can make a new token."
            )
        services.record_use(token=token)
        return (token.created_by, token)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
