"""The page behind the signed "I can't come any more" link (URL name
notifications:cancel_rsvp, kept from when it lived in the core)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.models import User
from portal.ratelimit import ratelimit

from . import links
from .models import RSVP, Event
from .services import cancel_rsvp as cancel_rsvp_service


@require_http_methods(["GET", "POST"])
@ratelimit("rsvps", per="ip")
def cancel_rsvp(request, token):
    parsed = links.read_cancel_rsvp_token(token)
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
        "events/cancel_rsvp_link.html",
        {"event": event, "rsvp": rsvp, "over": over, "cancelled": cancelled},
    )
