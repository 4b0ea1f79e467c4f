"""Getting around: what the header offers a signed-in person beyond the common links (the
reps' review for staff and reps, the admin for staff), and going back to the page a
decision was made from.

Whether someone is a rep is read once, when they sign in, and kept in their session: the
header is on every page, and asking the database on each one would cost every signed-in
page a query. A rep appointed while signed in sees the link from their next sign-in (the
review itself checks the role on every request)."""

from django.contrib.auth.signals import user_logged_in
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "pp_reviewer"


def remember_roles(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = bool(user.is_staff or user.has_regional_role)


def connect() -> None:
    """Called once from PortalConfig.ready."""
    user_logged_in.connect(remember_roles, dispatch_uid="portal.navigation.remember_roles")


def redirect_back(request, default):
    """Where a decision made from another page goes next: back to that page when the form
    said so (the reps' queue on /review/ sends ``next``), else ``default`` (an object or a
    URL name, as for redirect()). Only a local address is followed."""
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(default)
