"""Every write of the API app: tokens."""

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from groups.models import LocalGroup
from portal import pagecache
from portal.models import User

from .models import ApiToken, Embed, Scope, hash_token

# How stale "last used" may be: one UPDATE per token per minute, not one per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    """A token that may not be made; str() is shown."""


@transaction.atomic
def create_token(
    *,
    name: str,
    by: User,
    scopes: list[str],
    group: LocalGroup | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token; returns it and the secret, which is shown once and never stored."""
    pagecache.touch(private=False, review=False)  # shown to its owner only
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise TokenError(f"Unknown scopes: {', '.join(sorted(unknown))}.")
    if group is None and not by.is_staff:
        raise TokenError("Only staff may make a token for the whole movement.")
    prefix = "pp_" + secrets.token_hex(4)
    raw = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        key_hash=hash_token(raw),
        group=group,
        scopes=sorted(set(scopes)),
        created_by=by,
        expires_at=expires_at,
    )
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken) -> bool:
    """True if this revoked it, False if it already was."""
    pagecache.touch(private=False, review=False)
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def record_use(*, token: ApiToken) -> None:
    pagecache.touch(private=False, review=False)
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def create_embed(*, by: User, origins: str, event=None, action=None) -> Embed:
    pagecache.touch(private=False, review=False)
    return Embed.objects.create(event=event, action=action, origins=origins, created_by=by)


@transaction.atomic
def delete_embed(*, embed: Embed) -> None:
    pagecache.touch(private=False, review=False)
    embed.delete()
