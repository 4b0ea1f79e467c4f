"""The page behind the signed "I can't come any more" link (URL name
notifications:cancel_rsvp, kept from when it lived in the core)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.models import GuestContact, User
from portal.ratelimit import ratelimit

from . import links
from .models import RSVP, Event
from .services import cancel_rsvp as cancel_rsvp_service


@require_http_methods(["GET", "POST"])
@ratelimit("rsvps", per="ip")
def cancel_rsvp(request, token):
    parsed = links.read_cancel_token(token)
    if parsed is None:
        raise Http404
    event_id, user_id, guest_id = parsed
    event = get_object_or_404(Event.objects.select_related("venue"), pk=event_id)
    if user_id is not None:
        who = {"user": get_object_or_404(User, pk=user_id)}
    else:
        who = {"guest": get_object_or_404(GuestContact, pk=guest_id)}
    rsvp = RSVP.objects.filter(event=event, **who).exclude(status=RSVP.Status.CANCELLED).first()
    over = event.ends_at <= timezone.now()
    cancelled = False
    if request.method == "POST" and rsvp is not None and not over:
        cancel_rsvp_service(event=event, **who)
        rsvp, cancelled = None, True
    return render(
        request,
        "events/cancel_rsvp_link.html",
        {"event": event, "rsvp": rsvp, "over": over, "cancelled": cancelled},
    )
