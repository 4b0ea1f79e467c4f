"""Who may use each URL of the guests app, and the guest objects of the shared test world:
a guest with a confirmed place at the world's event (leads see their name and email, as
they see a member's), a pending signature with its confirmation link, and a data link."""

from campaigns.models import Action
from guests import services
from portal.models import GuestContact
from tests.security.roles import EVERYONE, GET, POST

GUEST_EMAIL = "guest.sentinel@example.net"
GUEST_NAME = "Gita Guestsentinel"
DATA_EMAIL = "data.sentinel@example.net"

MAY_SEE = {
    GUEST_EMAIL: {"lead"},  # the event's attendees list and CSV, as for members
    GUEST_NAME: {"lead"},
}

ACCESS = {
    "guests:act": (POST, EVERYONE),
    "guests:rsvp": (POST, EVERYONE),
    "guests:support": (POST, EVERYONE),
    "guests:sent": (GET, EVERYONE),
    "guests:confirm": (GET, EVERYONE),
    "guests:forget": (POST, EVERYONE),
    "guests:data_request": (GET, EVERYONE),
    "guests:data": (GET, EVERYONE),
}


def extend_world(world) -> dict:
    from events import services as event_services

    sign = Action.objects.create(
        campaign=world.campaign, kind=Action.Kind.SIGN, title="Sign for sanctuary"
    )
    guest = GuestContact.objects.create(email=GUEST_EMAIL, name=GUEST_NAME)
    event_services.rsvp_to_event(event=world.event, guest=guest)
    pending = services.start_pending(target=sign, name="Pat Pending", email=DATA_EMAIL)
    return {
        "guests": {
            "slug": world.campaign.slug,
            "action_id": sign.pk,
            "token": services.confirm_token(pending),
        },
        "guests:rsvp": {"slug": world.event.slug},
        "guests:data": {"token": services.data_token(DATA_EMAIL)},
    }
