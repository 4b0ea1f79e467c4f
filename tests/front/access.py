"""Who may use each URL the UX issue (16) added to front; the rest of front's URLs are in
tests/security/access.py."""

from tests.security.roles import EVERYONE, GET

ACCESS = {"favicon": (GET, EVERYONE)}
REDIRECTS = {"favicon"}
