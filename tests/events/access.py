"""Who may use each URL the UX issue (16) added to the events app; the rest of the app's
URLs are in tests/security/access.py."""

from tests.security.roles import EVERYONE, GET

ACCESS = {
    "events:festival_list": (GET, EVERYONE),
}
