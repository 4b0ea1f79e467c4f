"""Who may use each URL of the API.

Public reads are in ACCESS like any page: the session matrix checks that every role gets
them and that none of them shows personal data, the fuzzer fuzzes their query strings.
The API ignores sessions (it authenticates tokens only), so the token-only routes are not
for any session role: they are walked by tests/api/test_matrix.py instead, once with no
token and once with a token of each scope, from API_ACCESS below, which must name every
URL of the API."""

from api.models import Scope
from campaigns.models import Action
from events.models import RSVP
from tests.security.roles import EVERYONE, GET, LEAD, LEAD_STAFF, POST

PUT, PATCH = "PUT", "PATCH"

PUBLIC = [
    "api:root",
    "api:schema",
    "api:docs",
    "api:event-list",
    "api:event-detail",
    "api:group-list",
    "api:group-detail",
    "api:festival-list",
    "api:festival-detail",
    "api:campaign-list",
    "api:campaign-detail",
    "api:partner-list",
    "api:partner-detail",
    "api:petition-list",
    "api:petition-detail",
    "api:advocacy_campaign-list",
    "api:advocacy_campaign-detail",
]
ACCESS = {
    **{name: (GET, EVERYONE) for name in PUBLIC},
    "api:group_tokens": (GET, LEAD),
    "api:revoke_group_token": (POST, LEAD),
    "api:delete_group_webhook": (POST, LEAD),
    "api:event_embeds": (GET, LEAD),
    "api:action_embeds": (GET, LEAD_STAFF),
    "api:delete_embed": (POST, LEAD),
    "embed:frame": (GET, EVERYONE),
}

# Token-only: the session matrix leaves them to test_matrix.py (see above).
FOREIGN = ("api:person-", "api:attendance-", "api:signature-", "api:outreach-")

# name -> {method: the scope it needs (None: public)}.
API_ACCESS = {
    **{name: {GET: None} for name in PUBLIC},
    "api:event-list": {GET: None, POST: Scope.EVENTS_WRITE},
    "api:event-detail": {GET: None, PUT: Scope.EVENTS_WRITE, PATCH: Scope.EVENTS_WRITE},
    # Pages of the site (session, leads only), in ACCESS above.
    "api:group_tokens": {},
    "api:revoke_group_token": {},
    "api:delete_group_webhook": {},
    "api:event_embeds": {},
    "api:action_embeds": {},
    "api:delete_embed": {},
    "api:person-list": {GET: Scope.PEOPLE_READ},
    "api:person-detail": {GET: Scope.PEOPLE_READ},
    "api:attendance-list": {GET: Scope.ATTENDANCES_READ, POST: Scope.ATTENDANCES_WRITE},
    "api:attendance-detail": {GET: Scope.ATTENDANCES_READ},
    "api:signature-list": {GET: Scope.SIGNATURES_READ, POST: Scope.SIGNATURES_WRITE},
    "api:signature-detail": {GET: Scope.SIGNATURES_READ},
    "api:outreach-list": {GET: Scope.OUTREACHES_READ},
    "api:outreach-detail": {GET: Scope.OUTREACHES_READ},
}


def extend_world(world) -> dict:
    """A petition on the world's campaign, signed by the member; a letter action, written
    by the member (and sent for them: the campaign has the council's address)."""
    from api import services as api_services
    from api import webhooks
    from campaigns import services as campaign_services

    petition = Action.objects.create(
        campaign=world.campaign, kind=Action.Kind.SIGN, title="Sign the letter"
    )
    campaign_services.take_action(action=petition, user=world.people.member)
    world.petition = petition
    rsvp = RSVP.objects.get(event=world.event, user=world.people.member)
    signature = petition.taken.get()
    world.campaign.target_email = "letters@council.example.org"
    world.campaign.save(update_fields=["target_email"])
    letter = Action.objects.create(
        campaign=world.campaign, kind=Action.Kind.WRITE, title="Write to the council"
    )
    campaign_services.send_letter(
        action=letter, user=world.people.member, subject="Sanctuary", body="Please vote yes."
    )
    world.letter = letter
    outreach = letter.taken.get()
    token, _raw = api_services.create_token(
        name="Derby CRM", by=world.people.lead, scopes=["people:read"], group=world.group
    )
    embed = api_services.create_embed(
        by=world.people.lead, origins="https://partner.example.org", event=world.event
    )
    hook = webhooks.subscribe(
        url="https://crm.example.org/hook",
        events=["person.joined_group"],
        by=world.people.lead,
        group=world.group,
    )
    return {
        "api:delete_group_webhook": {"slug": world.group.slug, "pk": hook.pk},
        "embed:frame": {"uid": embed.uid},
        "api:event_embeds": {"slug": world.event.slug},
        "api:action_embeds": {"slug": world.campaign.slug, "action_id": petition.pk},
        "api:delete_embed": {"uid": embed.uid},
        "api:group_tokens": {"slug": world.group.slug},
        "api:revoke_group_token": {"slug": world.group.slug, "pk": token.pk},
        "api:event-detail": {"pk": world.event.pk},
        "api:group-detail": {"pk": world.group.pk},
        "api:festival-detail": {"pk": world.festival.pk},
        "api:campaign-detail": {"pk": world.campaign.pk},
        "api:partner-detail": {"pk": world.partner.pk},
        "api:petition-detail": {"pk": petition.pk},
        "api:person-detail": {"pk": world.people.member.pk},
        "api:attendance-list": {"event_id": world.event.pk},
        "api:attendance-detail": {"event_id": world.event.pk, "pk": rsvp.pk},
        "api:signature-list": {"petition_id": petition.pk},
        "api:signature-detail": {"petition_id": petition.pk, "pk": signature.pk},
        "api:advocacy_campaign-detail": {"pk": letter.pk},
        "api:outreach-list": {"advocacy_campaign_id": letter.pk},
        "api:outreach-detail": {"advocacy_campaign_id": letter.pk, "pk": outreach.pk},
    }
