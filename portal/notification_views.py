"""Email choices, and the one-click unsubscribe page behind the links in every bulk email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import notifications
from .models import User
from .ratelimit import ratelimit


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    user = request.user
    form = notifications.NotificationSettingsForm(
        request.POST or None,
        user=user,
        is_lead=user.leads_a_group,
        is_rep=user.has_regional_role,
    )
    if request.method == "POST" and form.is_valid():
        notifications.update_notification_settings(
            user=user,
            campaign_digest_consent=form.cleaned_data["campaign_digest_consent"],
            digest_frequency=form.cleaned_data["digest_frequency"],
            event_reminders=form.cleaned_data["event_reminders"],
            lead_digest=form.cleaned_data.get("lead_digest"),
            rep_digest=form.cleaned_data.get("rep_digest"),
            lists={item.name: form.cleaned_data[f"list_{item.name}"] for item in form.lists},
        )
        messages.success(request, "Your email choices are saved.")
        return redirect("notifications:settings")
    return render(
        request,
        "portal/notifications/settings.html",
        {"form": form, "consent_at": user.campaign_digest_consent_at},
    )


# The token is the credential (the link works without signing in), and RFC 8058 one-click
# unsubscribes are cross-site POSTs from mail providers, which cannot carry a CSRF token.
# Forging one needs the token, and all it can do is take its owner off one list.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@ratelimit("unsubscribe", per="ip")
def unsubscribe(request, token):
    parsed = notifications.read_unsubscribe_token(token)
    if parsed is None:
        raise Http404
    user_id, list_name = parsed
    user = get_object_or_404(User, pk=user_id)
    done = False
    if request.method == "POST":
        notifications.unsubscribe(user=user, list_name=list_name)
        done = True
    return render(
        request,
        "portal/notifications/unsubscribe.html",
        {"list_label": notifications.list_label(list_name), "done": done, "token": token},
    )
