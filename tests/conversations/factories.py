from conversations import services
from conversations.permissions import Place


def thread_in(obj, *, by, title="Hello", body="First post", kind=None):
    """A thread started through the service, in the place of ``obj``."""
    kind = (
        kind
        or {
            "LocalGroup": "group",
            "Region": "region",
            "Campaign": "campaign",
            "Festival": "festival",
        }[type(obj).__name__]
    )
    return services.start_thread(place=Place(kind, obj), by=by, title=title, body=body)
