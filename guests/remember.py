"""The "remember me on this device" cookie: name, email and postcode, signed, set only when
the person ticks the box; "not you?" (and submitting without the tick) clears it."""

from django.conf import settings

COOKIE = "pp_guest"
SALT = "guests.remember"
MAX_AGE = 180 * 24 * 3600


def store(response, data: dict) -> None:
    value = "\n".join([data["name"], data["email"], data.get("postcode") or ""])
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def clear(response) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def read(request) -> dict:
    """{"name", "email", "postcode"} from the cookie, or {} (no cookie, or tampered)."""
    value = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
    if not value:
        return {}
    parts = value.split("\n")
    if len(parts) != 3:
        return {}
    return {"name": parts[0], "email": parts[1], "postcode": parts[2], "remember": True}
