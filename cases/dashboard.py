"""The Individuals at Risk block of My portal: printed letters still to tick as posted, my
solidarity messages, and (for moderators) how many messages wait. Three or four queries."""

from .models import AppealLetter, SolidarityMessage
from .permissions import is_moderator

SHOWN = 10


def my_portal_block(request) -> dict:
    user = request.user
    to_post = (
        AppealLetter.objects.filter(user=user, status=AppealLetter.Status.PRINTED)
        .select_related("urgent_action__case", "target")
        .order_by("-created_at")[:SHOWN]
    )
    messages = (
        SolidarityMessage.objects.filter(user=user).select_related("case").order_by("-created_at")
    )[:SHOWN]
    waiting = None
    if is_moderator(user):
        waiting = SolidarityMessage.objects.filter(status=SolidarityMessage.Status.PENDING).count()
    return {"to_post": list(to_post), "messages": list(messages), "to_moderate": waiting}
