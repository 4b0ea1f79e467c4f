"""Who may use each URL of the core apps. Apps added later keep their own table in
tests/<app>/access.py; tests/world.py:access_rules() merges them all."""

from tests.security.roles import (
    EVERYONE,
    GET,
    LEAD,
    LEAD_REP,
    LEAD_STAFF,
    POST,
    REPS,
    SIGNED_IN,
    UNENROLLED,
)
from tests.world import CONTACT_EMAIL, MEMBER_EMAIL, SUGGESTION

# Who may see each piece of personal or pending data on any page.
MAY_SEE = {
    MEMBER_EMAIL: {"member", "lead"},
    CONTACT_EMAIL: {"lead", "rep", "staff"},
    SUGGESTION: {"activist", "lead", "rep", "staff"},  # the suggester and who decides
}

# name -> (method, roles allowed). POST-only URLs are checked by posting as each role that
# is not allowed (and must be refused); what allowed roles' posts do is tested per app.
ACCESS = {
    "home": (GET, EVERYONE),
    "search": (GET, EVERYONE),
    "privacy": (GET, EVERYONE | {UNENROLLED}),
    "robots_txt": (GET, EVERYONE | {UNENROLLED}),
    "sitemap": (GET, EVERYONE),
    "healthz": (GET, EVERYONE | {UNENROLLED}),
    "my_portal": (GET, SIGNED_IN),
    "profile": (GET, SIGNED_IN),
    "my_data": (GET, SIGNED_IN),
    "my_data_download": (POST, SIGNED_IN),
    "delete_account": (GET, SIGNED_IN),
    "groups:list": (GET, EVERYONE),
    "groups:scope": (GET, REPS),
    "groups:detail": (GET, EVERYONE),
    "groups:join": (GET, SIGNED_IN),
    "groups:leave": (GET, {"member", "lead"}),
    "groups:edit": (GET, LEAD),
    "groups:members": (GET, LEAD),
    "groups:members_csv": (GET, LEAD),
    "groups:promote": (POST, LEAD),
    "groups:remove": (POST, LEAD),
    "groups:step_down": (POST, LEAD),
    "groups:announce": (GET, LEAD),
    "partners:list": (GET, EVERYONE),
    "partners:suggest": (GET, SIGNED_IN),
    "partners:suggestion_queue": (GET, SIGNED_IN),
    "partners:suggestion_detail": (GET, {"lead", "rep", "staff"}),
    "partners:suggestion_accept": (POST, {"lead", "rep", "staff"}),
    "partners:suggestion_decline": (POST, {"lead", "rep", "staff"}),
    "partners:group": (GET, LEAD_REP),
    "partners:partnership_create": (GET, LEAD),
    "partners:partnership_edit": (GET, LEAD),
    "partners:group_suggestions": (GET, LEAD),
    "partners:detail": (GET, EVERYONE),
    "partners:edit": (GET, {"lead", "rep", "staff"}),
    "campaigns:list": (GET, EVERYONE),
    "campaigns:propose": (GET, SIGNED_IN),
    "campaigns:proposals": (GET, SIGNED_IN),
    "campaigns:funding_list": (GET, SIGNED_IN),
    "campaigns:detail": (GET, EVERYONE),
    "campaigns:support": (POST, SIGNED_IN),
    "campaigns:unsupport": (POST, SIGNED_IN),
    "campaigns:add_action": (GET, LEAD_STAFF),
    "campaigns:action": (GET, EVERYONE),
    "campaigns:take": (POST, SIGNED_IN),
    "campaigns:share": (GET, EVERYONE),
    "campaigns:post_update": (GET, LEAD_STAFF),
    "campaigns:record_outcome": (GET, LEAD_STAFF),
    "campaigns:picture": (GET, LEAD_STAFF),
    "campaigns:change_status": (POST, LEAD_STAFF),
    "campaigns:approve": (POST, LEAD),
    "campaigns:decline": (POST, LEAD),
    "campaigns:funding_new": (GET, LEAD),
    "campaigns:funding_detail": (GET, {"lead", "rep"}),
    "campaigns:funding_step": (POST, {"rep"}),
    "events:list": (GET, EVERYONE),
    "events:feed": (GET, EVERYONE),
    "events:my_calendar": (GET, SIGNED_IN),
    "events:personal_feed": (GET, EVERYONE),
    "events:group_feed": (GET, EVERYONE),
    "events:create": (GET, LEAD),
    "events:festival_create": (GET, LEAD),
    "events:campaign_feed": (GET, EVERYONE),
    "events:festival": (GET, EVERYONE),
    "events:festival_feed": (GET, EVERYONE),
    "events:festival_copy": (POST, LEAD),
    "events:festival_edit": (GET, LEAD_STAFF),
    "events:festival_publish": (POST, LEAD_STAFF),
    "events:venue_create": (GET, {"lead", "other_lead"}),
    "events:detail": (GET, EVERYONE),
    "events:ics": (GET, EVERYONE),
    "events:rsvp": (POST, SIGNED_IN),
    "events:cancel_rsvp": (POST, SIGNED_IN),
    "events:edit": (GET, LEAD),
    "events:publish": (POST, LEAD),
    "events:cancel": (GET, LEAD),
    "events:attendees": (GET, LEAD),
    "events:attendees_csv": (GET, LEAD),
    "events:check_in": (GET, LEAD),
    "events:check_in_toggle": (POST, LEAD),
    "events:report": (GET, {"lead", "rep", "staff"}),
    # Signed links from emails work without signing in; the token is the permission.
    "notifications:settings": (GET, SIGNED_IN),
    "notifications:unsubscribe": (GET, EVERYONE | {UNENROLLED}),
    "notifications:cancel_rsvp": (GET, EVERYONE | {UNENROLLED}),
    "review:dashboard": (GET, {"rep", "other_rep", "staff"}),
    "review:trends": (GET, {"rep", "other_rep", "staff"}),
    "review:summary": (GET, {"rep", "other_rep", "staff"}),
    "review:groups_csv": (GET, {"rep", "other_rep", "staff"}),
    "review:group": (GET, {"lead", "rep", "staff"}),
    "review:group_events_csv": (GET, {"lead", "rep", "staff"}),
}
# URLs that answer an allowed GET with a redirect by design.
REDIRECTS = {"campaigns:share"}
# URLs where a role that may not act is sent back to the page with a message.
SENT_BACK = {"groups:leave"}
# Served by other packages and covered by their own rules: allauth's account and two-factor
# pages (it tests them; we test sign-up, login and limits in tests/portal, two-factor in
# tests/portal/test_two_factor.py), Django's admin (staff only, checked below), and
# uploaded media in DEBUG.
FOREIGN = ("account_", "mfa_", "admin:", "None")
