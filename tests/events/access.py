"""Who may use each URL the UX issue (16) added to the events app, and the walk-in those
URLs need; the rest of the app's URLs are in tests/security/access.py."""

from events.models import WalkIn
from tests.security.roles import EVERYONE, GET, LEAD, POST

ACCESS = {
    "events:festival_list": (GET, EVERYONE),
    "events:check_in_undo": (POST, LEAD),
    "events:walk_in_add": (POST, LEAD),
    "events:walk_in_remove": (POST, LEAD),
}


def extend_world(world) -> dict:
    """Someone who walked in to the world's event."""
    walk_in = WalkIn.objects.create(event=world.event, name="Walk-in Person")
    return {"events:walk_in_remove": {"slug": world.event.slug, "walk_in_id": walk_in.pk}}
