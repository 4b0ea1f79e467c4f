"""What the header offers a signed-in person beyond the common links: the reps' review
(/review/) for staff and reps, the admin for staff.

Whether someone is a rep is read once, when they sign in, and kept in their session: the
header is on every page, and asking the database on each one would cost every signed-in
page a query. A rep appointed while signed in sees the link from their next sign-in (the
review itself checks the role on every request)."""

from django.contrib.auth.signals import user_logged_in

SESSION_KEY = "pp_reviewer"


def remember_roles(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = bool(user.is_staff or user.has_regional_role)


def connect() -> None:
    """Called once from PortalConfig.ready."""
    user_logged_in.connect(remember_roles, dispatch_uid="portal.navigation.remember_roles")
