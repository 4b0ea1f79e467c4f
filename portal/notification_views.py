"""Notification settings, and the pages behind the signed links in reminders and digests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from events.models import RSVP, Event
from events.services import cancel_rsvp as cancel_rsvp_service
from groups.models import Membership

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
        is_lead=Membership.objects.leads().filter(user=user).exists(),
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
        {"list_label": notifications.LISTS[list_name], "done": done, "token": token},
    )


@require_http_methods(["GET", "POST"])
@ratelimit("rsvps", per="ip")
def cancel_rsvp(request, token):
    parsed = notifications.read_cancel_rsvp_token(token)
    if parsed is None:
        raise Http404
    event_id, user_id = parsed
    event = get_object_or_404(Event.objects.select_related("venue"), pk=event_id)
    user = get_object_or_404(User, pk=user_id)
    rsvp = RSVP.objects.filter(event=event, user=user).exclude(status=RSVP.Status.CANCELLED).first()
    over = event.ends_at <= timezone.now()
    cancelled = False
    if request.method == "POST" and rsvp is not None and not over:
        cancel_rsvp_service(event=event, user=user)
        rsvp, cancelled = None, True
    return render(
        request,
        "portal/notifications/cancel_rsvp.html",
        {"event": event, "rsvp": rsvp, "over": over, "cancelled": cancelled},
    )
