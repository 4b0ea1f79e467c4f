import re

from django.core import mail

from tests.events.conftest import deliver_outbox

LINK = re.compile(r"https?://\S+/act/confirm/\S+/")


def confirm_link(message=None) -> str:
    """The confirmation link in the (last) email sent."""
    deliver_outbox()
    message = message or mail.outbox[-1]
    return LINK.search(message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def guest_data(**extra) -> dict:
    data = {
        "guest-name": "Amina Guest",
        "guest-email": "amina@example.net",
        "guest-postcode": "DE1 3AA",
    }
    data.update({f"guest-{k}": v for k, v in extra.items()})
    return data
