"""The signed "I can't come any more" link in event emails: it works without signing in,
and its token names exactly one person's place at one event: an account's ("<event>.<user>")
or a guest contact's ("<event>.g<guest>")."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

# The salt is part of every link already sent: changing it would break them.
_CANCEL_SALT = "portal.notifications.cancel-rsvp"


def cancel_rsvp_token(
    *, event_id: int, user_id: int | None = None, guest_id: int | None = None
) -> str:
    who = str(user_id) if user_id is not None else f"g{guest_id}"
    return signing.Signer(salt=_CANCEL_SALT).sign(f"{event_id}.{who}")


def read_cancel_token(token: str) -> tuple[int, int | None, int | None] | None:
    """(event id, user id, guest id) from a token, one of the two ids None; or None if the
    token was not made by us."""
    try:
        value = signing.Signer(salt=_CANCEL_SALT).unsign(token)
    except signing.BadSignature:
        return None
    event_id, _, who = value.partition(".")
    if not event_id.isdigit():
        return None
    if who.isdigit():
        return int(event_id), int(who), None
    if who.startswith("g") and who[1:].isdigit():
        return int(event_id), None, int(who[1:])
    return None


def read_cancel_rsvp_token(token: str) -> tuple[int, int] | None:
    """(event id, user id) from an account's token, or None."""
    parsed = read_cancel_token(token)
    if parsed is None or parsed[1] is None:
        return None
    return parsed[0], parsed[1]


def cancel_rsvp_url(
    *, event_id: int, user_id: int | None = None, guest_id: int | None = None
) -> str:
    token = cancel_rsvp_token(event_id=event_id, user_id=user_id, guest_id=guest_id)
    return settings.SITE_URL + reverse("notifications:cancel_rsvp", args=[token])


def cancel_url_for(rsvp) -> str:
    return cancel_rsvp_url(event_id=rsvp.event_id, user_id=rsvp.user_id, guest_id=rsvp.guest_id)
