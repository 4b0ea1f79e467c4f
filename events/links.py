"""The signed "I can't come any more" link in event emails: it works without signing in,
and its token names exactly one person's place at one event."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

# The salt is part of every link already sent: changing it would break them.
_CANCEL_SALT = "portal.notifications.cancel-rsvp"


def cancel_rsvp_token(*, event_id: int, user_id: int) -> str:
    return signing.Signer(salt=_CANCEL_SALT).sign(f"{event_id}.{user_id}")


def read_cancel_rsvp_token(token: str) -> tuple[int, int] | None:
    """(event id, user id) from a token, or None if it was not made by us."""
    try:
        value = signing.Signer(salt=_CANCEL_SALT).unsign(token)
    except signing.BadSignature:
        return None
    event_id, _, user_id = value.partition(".")
    if not (event_id.isdigit() and user_id.isdigit()):
        return None
    return int(event_id), int(user_id)


def cancel_rsvp_url(*, event_id: int, user_id: int) -> str:
    token = cancel_rsvp_token(event_id=event_id, user_id=user_id)
    return settings.SITE_URL + reverse("notifications:cancel_rsvp", args=[token])
