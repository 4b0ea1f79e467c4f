"""Two-factor sign-in (allauth's MFA: an authenticator app's codes, with recovery codes).

Regional reps, area reps and staff see personal data about people's activism, so they
must set up two-factor sign-in before they can use any page but the account pages: every
other request of theirs is sent to the enrolment page with a message. Group leads must too
when REQUIRE_2FA_FOR_LEADS is on (otherwise My portal encourages them). This middleware
is the one place that decides; it runs one query per signed-in request.

A session counts as two-factor only if it was opened (or enrolled) after the account's
first authenticator: allauth asks every enrolled person for a code when they sign in, and a
session opened before enrolment, on another device, is signed out here rather than
inheriting the protection.
"""

import functools

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .models import User

# When this session last proved a second factor (or signed in before there was one).
SESSION_KEY = "portal.second_factor_at"
# What a person without two-factor may still open: signing in and out, the account and
# two-factor pages (allauth's), and the pages that need no account at all.
OPEN_PREFIXES = ("account_", "mfa_")
OPEN_VIEWS = {
    "healthz",
    "privacy",
    "robots_txt",
    "notifications:unsubscribe",
    "notifications:cancel_rsvp",
}
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]

ENROL_MESSAGE = (
    "Your role lets you see personal data about people's activism, so your account "
    "needs two-factor sign-in. Set up an authenticator app below to continue."
)
SIGNED_OUT_MESSAGE = (
    "Two-factor sign-in was set up for your account after you signed in here. "
    "Please sign in again with your code."
)


def _related(name: str):
    """A model above portal, through the user's reverse relation (portal imports no app)."""
    return User._meta.get_field(name).related_model


def two_factor_state(user) -> dict:
    """Whether this person must have two-factor sign-in, and since when they have it
    (None: not set up). One query."""
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), [user.pk, user.pk, "lead", user.pk, *SECOND_FACTORS])
        is_rep, is_lead, since = cursor.fetchone()
    # The same request's review and navigation ask it again: one query fewer for reps.
    user.has_regional_role = is_rep
    required = user.is_staff or is_rep or (is_lead and settings.REQUIRE_2FA_FOR_LEADS)
    return {"required": required, "is_lead": is_lead, "since": since}


@functools.cache
def _state_sql() -> str:
    """The state's one query, written out: it runs on every signed-in request, and Django
    took several times longer to build it from querysets (three subqueries) than PostgreSQL
    takes to answer it, 3-4 ms of CPU a request. Table and column names come from the
    models."""
    role, membership = _related("regional_roles")._meta, _related("memberships")._meta
    auth = Authenticator._meta

    def column(meta, name: str) -> str:
        return meta.get_field(name).column

    types = ", ".join(["%s"] * len(SECOND_FACTORS))
    # Only the models' own table and column names are put in; every value is a parameter.
    return (
        f'SELECT EXISTS (SELECT 1 FROM "{role.db_table}" '  # noqa: S608 # nosec B608
        f'WHERE "{column(role, "user")}" = %s), '
        f'EXISTS (SELECT 1 FROM "{membership.db_table}" '
        f'WHERE "{column(membership, "user")}" = %s AND "{column(membership, "role")}" = %s '
        f'AND "{column(membership, "left_at")}" IS NULL), '
        f'(SELECT "{column(auth, "created_at")}" FROM "{auth.db_table}" '
        f'WHERE "{column(auth, "user")}" = %s AND "{column(auth, "type")}" IN ({types}) '
        f'ORDER BY "{column(auth, "created_at")}" LIMIT 1)'
    )


def _is_open(request) -> bool:
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    return name in OPEN_VIEWS or name.startswith(OPEN_PREFIXES)


def _proved_at(request):
    value = request.session.get(SESSION_KEY)
    return parse_datetime(value) if value else None


class RequireTwoFactorMiddleware:
    """Sends reps and staff (and leads, if required) without two-factor sign-in to the
    enrolment page, and signs out sessions opened before the account's enrolment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or _is_open(request):
            return None
        state = request.two_factor = two_factor_state(user)
        since = state["since"]
        if since is not None:
            proved = _proved_at(request)
            if proved is None or proved < since:
                logout(request)
                messages.warning(request, SIGNED_OUT_MESSAGE)
                return redirect_to_login(request.get_full_path())
            return None
        if state["required"]:
            _say_once(request, ENROL_MESSAGE)
            return redirect("mfa_activate_totp")
        return None


def _say_once(request, text: str) -> None:
    """A message, unless it is already waiting to be shown (a person who is sent to
    enrolment from several tabs sees it once)."""
    storage = messages.get_messages(request)
    waiting = [message.message for message in storage]
    storage.used = False  # looking is not showing: keep them for the next page
    if text not in waiting:
        messages.warning(request, text)


def _mark_session(request) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = timezone.now().isoformat()


def _on_login(sender, request, user, **kwargs):
    # allauth asked for the code before logging in anyone who has two-factor set up.
    _mark_session(request)


def _on_authenticator_added(sender, request, user, authenticator, **kwargs):
    _mark_session(request)


def connect_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="portal.mfa.login")
    authenticator_added.connect(_on_authenticator_added, dispatch_uid="portal.mfa.added")


def my_portal_block(request) -> dict:
    """My portal's prompt: a lead without two-factor sign-in is encouraged to set it up
    (when REQUIRE_2FA_FOR_LEADS is on they never reach My portal without it)."""
    state = getattr(request, "two_factor", None) or two_factor_state(request.user)
    return {"suggest": state["since"] is None and state["is_lead"]}
