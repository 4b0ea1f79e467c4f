"""The roles of tests/world.py and the sets of them that access rules name."""

ROLES = ["anonymous", "activist", "member", "other_lead", "lead", "other_rep", "rep", "staff"]
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)
LEAD = {"lead"}
LEAD_REP = {"lead", "rep", "staff"}
# A local campaign is run by its group's leads (and staff); reps run regional ones.
LEAD_STAFF = {"lead", "staff"}
REPS = {"rep", "other_rep", "staff"}

GET, POST = "GET", "POST"
