"""Who may do what, for the portal core."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect


def verified_required(view):
    """Acting (joining, RSVPing, signing) needs a signed-in user with a verified email."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.email_verified:
            messages.error(request, "Please confirm your email address first: check your inbox.")
            return redirect("account_email")
        return view(request, *args, **kwargs)

    return wrapper
