"""What resolutions hold about a person, for the data download and erasure
(front.account_data).

Erasing: a support given before the deadline of a resolution still gathering support is
withdrawn (its count goes down); a later one stays as an anonymous row, so the figures the
organisers decided on still add up. Resolutions the person proposed stay (they are the
group's, endorsed by its lead), without the proposer's name."""

from django.utils import timezone

from portal.models import User

from . import services
from .models import Resolution, Support


def personal_data(user: User) -> dict[str, list[dict]]:
    """Two queries."""
    return {
        "resolutions_proposed": [
            {
                "resolution": r.title,
                "meeting": r.meeting.name,
                "group": r.group.name,
                "status": r.status,
                "created_at": r.created_at,
            }
            for r in Resolution.objects.filter(proposer=user).select_related("meeting", "group")
        ],
        "resolutions_supported": [
            {
                "resolution": s.resolution.title,
                "meeting": s.resolution.meeting.name,
                "comment": s.comment,
                "created_at": s.created_at,
            }
            for s in Support.objects.filter(user=user).select_related("resolution__meeting")
        ],
    }


def erase(user: User) -> None:
    now = timezone.now()
    for support in Support.objects.filter(user=user).select_related("resolution__meeting"):
        resolution = support.resolution
        if resolution.status in services.GATHERING and resolution.meeting.is_open(now):
            services.withdraw_support(resolution=resolution, user=user, now=now)
    Support.objects.filter(user=user).update(user=None, comment="")
