"""What a request may reach. Public reads need no token; everything else needs a token with
the scope named by the view, and reaches only the token's group's data (a token without a
group, made by staff, reaches the whole movement's).

A group's people are its current members and the people with a place (or a waitlist place)
at its events. A person's email and postcode district go out only where they agreed to be
contacted: to their own group's token because they joined it (the group's leads see the
same on the members page), to a national token if they gave the movement's campaigning
consent. An attendee who is not a member stays a name and an id."""

from django.db.models import Q
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission

from campaigns.models import Action, Campaign
from events.models import RSVP, Event
from groups.models import Membership
from portal.models import User

from .models import ApiToken


def token_of(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def has_scope(request, scope: str) -> bool:
    token = token_of(request)
    return token is not None and token.has_scope(scope)


def maker_refusal(maker: User | None, group_id: int | None, *, leads: bool) -> str | None:
    """Why a token or webhook this person made for this group (None: for the whole movement)
    may no longer act, or None while it may: its maker still has an active account and is
    staff or, for a group's, one of the group's current leads. Checked on every use, so
    stepping down, leaving, being deactivated or erasing one's account ends them at once."""
    if maker is None:
        return "has left (their account was erased)"
    if not maker.is_active:
        return "no longer has an active account"
    if maker.is_staff:
        return None
    if group_id is None:
        return "is no longer staff"
    return None if leads else "no longer leads the group"


def leads_group(user: User | None, group_id: int | None) -> bool:
    if user is None or group_id is None:
        return False
    return Membership.objects.leads().filter(group_id=group_id, user=user).exists()


class TokenScope(BasePermission):
    """The view's `required_scope` (per method: a dict) must be on the token; a view without
    one is public."""

    message = "This token does not have the scope this needs."

    def has_permission(self, request, view):
        scope = view.required_scope
        if isinstance(scope, dict):
            scope = scope.get(request.method, scope.get("*"))
        if scope is None:
            return True
        if token_of(request) is None:
            raise NotAuthenticated("This needs an API token: Authorization: Bearer <token>.")
        self.message = f"This token does not have the {scope} scope."
        return has_scope(request, scope)


# --- what a token reaches ----------------------------------------------------------------


def events_for(request):
    """Published (and cancelled) public events to anyone; members-only ones too with the
    events:read scope, for the token's group or everywhere."""
    events = Event.objects.published()
    token = token_of(request)
    if token is None or not token.has_scope("events:read"):
        return events.filter(visibility=Event.Visibility.PUBLIC)
    if token.group_id is None:
        return events
    return events.filter(Q(visibility=Event.Visibility.PUBLIC) | Q(group_id=token.group_id))


def managed_events_for(token: ApiToken):
    """Events whose attendances the token reads and writes."""
    events = Event.objects.published()
    return events if token.group_id is None else events.filter(group_id=token.group_id)


def people_for(token: ApiToken):
    people = User.objects.filter(is_active=True)
    if token.group_id is None:
        return people
    members = Membership.objects.current().filter(group_id=token.group_id).values("user_id")
    attendees = (
        RSVP.objects.filter(event__group_id=token.group_id)
        .exclude(status=RSVP.Status.CANCELLED)
        .values("user_id")
    )
    return people.filter(Q(pk__in=members) | Q(pk__in=attendees))


def contactable_ids(token: ApiToken, user_ids) -> set[int]:
    """Of these people, those whose email and postcode the token may see (one query)."""
    if token.group_id is None:
        return set(
            User.objects.filter(
                pk__in=user_ids, campaign_digest_consent_at__isnull=False
            ).values_list("pk", flat=True)
        )
    return set(
        Membership.objects.current()
        .filter(group_id=token.group_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )


def actions_for(kind: str):
    """Actions of one kind (sign: petitions, write: advocacy campaigns) of public campaigns."""
    return Action.objects.filter(kind=kind, campaign__in=Campaign.objects.public())


def managed_actions_for(token: ApiToken, kind: str):
    """Actions of one kind whose signatures or letters the token reads (and writes)."""
    actions = Action.objects.filter(kind=kind)
    return actions if token.group_id is None else actions.filter(campaign__group=token.group_id)


def writable_events_for(token: ApiToken):
    """Events a token with events:write may change: its group's (any group's, for a national
    token) drafts, published and cancelled events, as the group's leads may on the web.
    Members' proposals stay with the leads' review queue."""
    events = Event.objects.filter(
        status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED, Event.Status.CANCELLED]
    )
    return events if token.group_id is None else events.filter(group_id=token.group_id)
