"""The roles of tests/world.py and the sets of them that access rules name."""

# A rep who has not set up two-factor sign-in (portal.mfa) is refused every page (sent to
# enrolment) but the few that are rules' EVERYONE | UNENROLLED, so EVERYONE and SIGNED_IN
# leave them out.
UNENROLLED = "rep_no_2fa"
ROLES = [
    "anonymous",
    "activist",
    "member",
    "other_lead",
    "lead",
    "other_rep",
    "rep",
    "staff",
    UNENROLLED,
]
SIGNED_IN = set(ROLES) - {"anonymous", UNENROLLED}
EVERYONE = set(ROLES) - {UNENROLLED}
LEAD = {"lead"}
LEAD_REP = {"lead", "rep", "staff"}
# A local campaign is run by its group's leads (and staff); reps run regional ones.
LEAD_STAFF = {"lead", "staff"}
REPS = {"rep", "other_rep", "staff"}

GET, POST = "GET", "POST"
