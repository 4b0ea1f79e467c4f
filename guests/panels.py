"""What the guest forms and the "what next" panel need, built for one request. The
template tags (guests_tags) and the views both use these."""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Action, ActionTaken
from events.models import RSVP, Event

from . import remember
from .forms import GuestForm, GuestLetterForm, GuestRSVPForm, GuestSignForm


def _consent_label(campaign) -> str:
    return f"Email me about the campaign {campaign.title}"


def action_form(request, action: Action, data=None) -> GuestForm:
    campaign = action.campaign
    if action.kind == Action.Kind.SIGN:
        form_class = GuestSignForm
    elif action.kind == Action.Kind.WRITE:
        form_class = GuestLetterForm
    else:
        form_class = GuestForm
    initial = {**remember.read(request), **(action.suggested_letter())}
    form = form_class(
        data,
        initial=initial,
        consent_label=_consent_label(campaign),
        prefix="guest",
    )
    form.consent_about = f"campaign:{campaign.slug}"
    return form


def support_form(request, campaign, data=None) -> GuestForm:
    form = GuestForm(
        data, initial=remember.read(request), consent_label=_consent_label(campaign), prefix="guest"
    )
    form.consent_about = f"campaign:{campaign.slug}"
    return form


def rsvp_form(request, event: Event, data=None) -> GuestForm:
    form = GuestRSVPForm(
        data,
        initial=remember.read(request),
        consent_label=f"Email me about {event.group.name}'s events and campaigns",
        postcode_required=False,
        prefix="guest",
    )
    form.consent_about = f"group:{event.group.slug}"
    return form


def _share_links(url: str, title: str) -> dict:
    from urllib.parse import quote

    return {
        "url": url,
        "email": f"mailto:?subject={quote(title)}&body={quote(url)}",
        "whatsapp": f"https://wa.me/?text={quote(url)}",
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={quote(url)}",
        "bluesky": f"https://bsky.app/intent/compose?text={quote(title + ' ' + url)}",
    }


def what_next(target, *, user=None) -> dict:
    """After an action or an RSVP (a member's or a guest's): share it (with the person's
    own counted link where the campaign has a share action and they have an account),
    the campaign's other open actions they have not taken, and an event coming up nearby
    (the campaign's, else the group's)."""
    now = timezone.now()
    if isinstance(target, Event):
        campaign, group, title = target.campaign, target.group, target.title
        url = settings.SITE_URL + target.get_absolute_url()
    else:
        campaign = target if not isinstance(target, Action) else target.campaign
        group, title = campaign.group, campaign.title
        url = settings.SITE_URL + target.get_absolute_url()
    actions = []
    if campaign is not None:
        open_actions = Action.objects.filter(campaign=campaign).exclude(
            deadline__lt=timezone.localdate()
        )
        if isinstance(target, Action):
            open_actions = open_actions.exclude(pk=target.pk)
        if user is not None:
            share = open_actions.filter(kind=Action.Kind.SHARE).first()
            if share is not None:
                url = settings.SITE_URL + reverse(
                    "campaigns:share",
                    args=[campaign.slug, campaign_services.share_token(action=share, user=user)],
                )
            open_actions = open_actions.exclude(
                pk__in=ActionTaken.objects.filter(user=user).values("action_id")
            )
        actions = [a for a in open_actions.exclude(kind=Action.Kind.SHARE)[:3]]
        for a in actions:
            a.campaign = campaign
    events = Event.objects.public().upcoming(now).filter(status=Event.Status.PUBLISHED)
    if isinstance(target, Event):
        events = events.exclude(pk=target.pk)
    if user is not None:
        events = events.exclude(
            pk__in=RSVP.objects.filter(user=user).exclude(status="cancelled").values("event_id")
        )
    where = Q(campaign=campaign) if campaign is not None else Q(pk__in=[])
    if group is not None:
        where |= Q(group=group)
    event = events.filter(where).select_related("venue").order_by("starts_at").first()
    return {"share": _share_links(url, title), "actions": actions, "event": event}
