"""Embeds: an event's RSVP form and a petition's sign form for partners' websites.

/embed/<uid>/ is the one page of the portal that may be framed, and only by the origins
listed for that embed (CSP frame-ancestors; X-Frame-Options is left off, as browsers that
know CSP ignore it and the others would refuse every origin). It works without
JavaScript. A signed-in visitor (a site on the same domain) RSVPs or signs in the frame;
everyone else is sent to sign in, in a new tab, and comes back to the page on the portal.
Leads (and campaign managers) make embeds, and get the snippet, on the management pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import services as campaign_services
from campaigns.models import Action
from campaigns.permissions import campaign_for_manager
from events import services as event_services
from events.models import RSVP, Event
from events.permissions import event_for_lead
from portal.ratelimit import ratelimit

from . import services
from .forms import EmbedForm
from .models import Embed


def _framable(response, embed: Embed):
    response._csp_replace = {"frame-ancestors": embed.origin_list or ["'none'"]}
    return response


@xframe_options_exempt
@require_http_methods(["GET", "POST"])
@ratelimit("rsvps")
def embed(request, uid):
    embed = get_object_or_404(
        Embed.objects.select_related("event__venue", "action__campaign"), uid=uid
    )
    target = embed.event or embed.action
    if embed.event is not None and (
        embed.event.status not in (Event.Status.PUBLISHED, Event.Status.CANCELLED)
        or embed.event.visibility != Event.Visibility.PUBLIC
    ):
        raise Http404
    if embed.action is not None and not embed.action.campaign.is_public:
        raise Http404
    done, error = None, None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            if embed.event is not None:
                rsvp = event_services.rsvp_to_event(event=embed.event, user=request.user)
                done = (
                    "You have a place. We have emailed you the details."
                    if rsvp.status == RSVP.Status.CONFIRMED
                    else "The event is full: you are on the waitlist, and we will email you."
                )
            else:
                campaign_services.take_action(action=embed.action, user=request.user)
                done = "Thank you: you have signed."
        except (event_services.RSVPError, campaign_services.CampaignError) as refusal:
            error = str(refusal)
    page_url = (
        embed.event.get_absolute_url()
        if embed.event
        else reverse("campaigns:action", args=[embed.action.campaign.slug, embed.action.pk])
    )
    response = render(
        request,
        "api/embed.html",
        {
            "embed": embed,
            "target": target,
            "done": done,
            "error": error,
            "page_url": f"{settings.SITE_URL}{page_url}",
            "login_url": f"{settings.SITE_URL}{reverse('account_login')}?next={page_url}",
        },
    )
    return _framable(response, embed)


def _snippet(request, embed: Embed) -> str:
    src = f"{settings.SITE_URL}{reverse('embed:frame', args=[embed.uid])}"
    title = embed.event.title if embed.event else embed.action.title
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="460" '
        f'style="border:0" loading="lazy"></iframe>'
    )


def _manage(request, *, event=None, action=None, back: str):
    form = EmbedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.create_embed(
            by=request.user, origins=form.cleaned_data["origins"], event=event, action=action
        )
        messages.success(request, "Embed made: copy the snippet below into your website.")
        return redirect(request.path)
    embeds = (event or action).embeds.all()
    return render(
        request,
        "api/embeds.html",
        {
            "target": event or action,
            "back": back,
            "form": form,
            "embeds": [(e, _snippet(request, e)) for e in embeds],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_embeds(request, slug):
    event = event_for_lead(request.user, slug)
    return _manage(request, event=event, back=event.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def action_embeds(request, slug, action_id):
    campaign = campaign_for_manager(request.user, slug)
    action = get_object_or_404(
        campaign.actions, pk=action_id, kind__in=[Action.Kind.SIGN, Action.Kind.PLEDGE]
    )
    return _manage(request, action=action, back=campaign.get_absolute_url())


@login_required
@require_POST
def delete_embed(request, uid):
    embed = get_object_or_404(Embed.objects.select_related("event", "action__campaign"), uid=uid)
    if embed.event is not None:
        event_for_lead(request.user, embed.event.slug)
        back = reverse("api:event_embeds", args=[embed.event.slug])
    else:
        campaign = campaign_for_manager(request.user, embed.action.campaign.slug)
        back = reverse("api:action_embeds", args=[campaign.slug, embed.action_id])
    services.delete_embed(embed=embed)
    messages.success(request, "The embed no longer works on any website.")
    return redirect(back)
