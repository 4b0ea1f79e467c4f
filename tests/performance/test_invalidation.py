"""Fine-grained page-cache invalidation (issue 22): a write makes stale the pages that show
what it changed, and only those; counters are filled in live."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Action
from events.models import Event
from portal import pagecache
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.cases.factories import CaseFactory
from tests.events.factories import EventFactory, FestivalFactory
from tests.factories import UserFactory
from tests.groups.factories import LocalGroupFactory, MembershipFactory, RegionalRoleFactory
from tests.partners.factories import PartnerSuggestionFactory
from tests.portal.test_privatecache import repeat_load_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.LIVE_COUNTER_SECONDS = 0


def state(url: str) -> str:
    """A second anonymous visit: "hit" if the page came from the cache, "miss" if rebuilt."""
    return Client().get(url)["X-Page-Cache"]


def warm(*urls: str) -> None:
    for url in urls:
        Client().get(url)
        assert state(url) == "hit", url


class SignedIn:
    """A signed-in browser whose POSTs run their on-commit work (the version bumps)."""

    def __init__(self, user, capture):
        self.client, self.capture = Client(), capture
        self.client.force_login(user)

    def post(self, url, data=None):
        with self.capture(execute=True):
            return self.client.post(url, data or {})


@pytest.fixture
def signed_in(django_capture_on_commit_callbacks):
    return lambda user: SignedIn(user, django_capture_on_commit_callbacks)


@pytest.fixture
def world():
    group, other_group = LocalGroupFactory(name="Derby"), LocalGroupFactory(name="Leicester")
    festival = FestivalFactory(host_groups=[group])
    event = EventFactory(group=group, festival=festival, title="Vigil", capacity=10)
    other_event = EventFactory(group=other_group, title="Stall")
    campaign, other_campaign = CampaignFactory(is_featured=True), CampaignFactory()
    action = ActionFactory(campaign=campaign, kind=Action.Kind.SIGN)
    return {
        "group": group,
        "other_group": other_group,
        "festival": festival,
        "event": event,
        "other_event": other_event,
        "campaign": campaign,
        "other_campaign": other_campaign,
        "action": action,
        "urls": {
            "event": reverse("events:detail", args=[event.slug]),
            "festival": reverse("events:festival", args=[festival.slug]),
            "group": reverse("groups:detail", args=[group.slug]),
            "events": reverse("events:list"),
            "other event": reverse("events:detail", args=[other_event.slug]),
            "other group": reverse("groups:detail", args=[other_group.slug]),
            "campaign": reverse("campaigns:detail", args=[campaign.slug]),
            "other campaign": reverse("campaigns:detail", args=[other_campaign.slug]),
            "campaigns": reverse("campaigns:list"),
            "groups": reverse("groups:list"),
            "home": reverse("home"),
        },
    }


def test_an_rsvp_changes_its_event_pages_live_counts_without_rebuilding_any_page(
    cached, world, signed_in
):
    urls = world["urls"]
    warm(*urls.values())
    response = signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    assert response.status_code == 302
    assert {name: state(url) for name, url in urls.items()} == dict.fromkeys(urls, "hit")
    html = Client().get(urls["event"]).content.decode()
    assert "1 of 10 places taken." in html
    assert 'value="1" aria-label="Places taken">1 of 10</meter>' in html


def test_an_rsvp_to_an_event_without_a_limit_shows_in_its_count_at_once(cached, world, signed_in):
    url = world["urls"]["other event"]
    warm(url)
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["other_event"].slug]))
    response = Client().get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "<p>1 coming.</p>" in response.content.decode()


def test_the_rsvp_that_starts_a_waitlist_makes_stale_its_event_page_only(cached, world, signed_in):
    urls = world["urls"]
    Event.objects.filter(pk=world["event"].pk).update(capacity=1)
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    warm(*urls.values())
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    assert {name: state(url) for name, url in urls.items()} == {
        name: "miss" if name == "event" else "hit" for name in urls
    }
    assert "1 of 1 places taken, 1 on the waitlist." in Client().get(urls["event"]).content.decode()


def test_the_rsvp_that_fills_an_event_makes_stale_the_listings_with_its_full_badge(
    cached, world, signed_in
):
    urls = world["urls"]
    Event.objects.filter(pk=world["event"].pk).update(capacity=1)
    warm(*urls.values())
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    stale = {"event", "festival", "events"}
    assert {name: state(url) for name, url in urls.items()} == {
        name: "miss" if name in stale else "hit" for name in urls
    }
    assert "Full (waitlist open)" in Client().get(urls["events"]).content.decode()
    assert "Full (waitlist open)" in Client().get(urls["festival"]).content.decode()


def test_cancelling_an_rsvp_shows_in_the_live_count_without_a_rebuild(cached, world, signed_in):
    person = UserFactory()
    client = signed_in(person)
    client.post(reverse("events:rsvp", args=[world["event"].slug]))
    warm(world["urls"]["event"], world["urls"]["other event"])
    client.post(reverse("events:cancel_rsvp", args=[world["event"].slug]))
    response = Client().get(world["urls"]["event"])
    assert response["X-Page-Cache"] == "hit"
    assert "0 of 10 places taken." in response.content.decode()
    assert state(world["urls"]["other event"]) == "hit"


def test_the_cancellation_that_frees_a_full_events_place_makes_its_pages_stale(
    cached, world, signed_in
):
    urls = world["urls"]
    Event.objects.filter(pk=world["event"].pk).update(capacity=1)
    client = signed_in(UserFactory())
    client.post(reverse("events:rsvp", args=[world["event"].slug]))
    warm(*urls.values())
    assert "Full (waitlist open)" in Client().get(urls["events"]).content.decode()
    client.post(reverse("events:cancel_rsvp", args=[world["event"].slug]))
    stale = {"event", "festival", "events"}
    assert {name: state(url) for name, url in urls.items()} == {
        name: "miss" if name in stale else "hit" for name in urls
    }
    assert "Full (waitlist open)" not in Client().get(urls["events"]).content.decode()
    html = Client().get(urls["event"]).content.decode()
    assert "0 of 1 places taken." in html
    assert "Join the waitlist" not in html


def test_a_refused_rsvp_changes_no_cached_page(cached, world, signed_in):
    full = EventFactory(group=world["group"], capacity=None, status="draft")
    warm(*world["urls"].values())
    # A draft takes no RSVPs: the service refuses before writing anything.
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[full.slug]))
    assert {state(url) for url in world["urls"].values()} == {"hit"}


def test_a_signature_updates_the_counters_without_rebuilding_any_page(cached, world, signed_in):
    urls = world["urls"]
    warm(*urls.values())
    action = world["action"]
    taken = signed_in(UserFactory()).post(
        reverse("campaigns:take", args=[world["campaign"].slug, action.pk])
    )
    assert taken.status_code == 302
    assert {name: state(url) for name, url in urls.items()} == dict.fromkeys(urls, "hit")
    # the campaign page's thermometer: "1 of 100 signatures"
    assert "<strong>1</strong> of 100 signatures" in Client().get(urls["campaign"]).content.decode()
    action.refresh_from_db()
    assert action.count == 1


def test_a_named_signature_makes_its_campaign_page_stale_only(cached, world, signed_in):
    urls = world["urls"]
    warm(*urls.values())
    signer = UserFactory(display_name="Amira Shah")
    signed_in(signer).post(
        reverse("campaigns:take", args=[world["campaign"].slug, world["action"].pk]),
        {"show_name": "on"},
    )
    assert {name: state(url) for name, url in urls.items()} == {
        name: "miss" if name == "campaign" else "hit" for name in urls
    }
    assert "Amira" in Client().get(urls["campaign"]).content.decode()


def test_a_counter_is_at_most_live_counter_seconds_old(settings, world):
    settings.PAGE_CACHE_SECONDS, settings.LIVE_COUNTER_SECONDS = 60, 300
    url = world["urls"]["campaign"]
    warm(url)
    Action.objects.filter(pk=world["action"].pk).update(count=41)
    # Read within LIVE_COUNTER_SECONDS of the last read: the remembered value.
    assert "<strong>41</strong> of 100" not in Client().get(url).content.decode()
    cache.delete(f"live:action:{world['action'].pk}")  # what expiry does
    assert "<strong>41</strong> of 100" in Client().get(url).content.decode()


def test_a_lead_editing_a_group_makes_stale_that_group_and_the_groups_list(
    cached, world, signed_in
):
    lead = MembershipFactory(group=world["group"], lead=True).user
    urls = world["urls"]
    warm(*urls.values())
    response = signed_in(lead).post(
        reverse("groups:edit", args=[world["group"].slug]),
        {
            "name": "Derby",
            "kind": "local",
            "description": "Now meeting weekly",
            "town": "Derby",
            "postcode_district": "DE1",
            "meeting_note": "Every Tuesday",
            "contact_email": "derby@groups.example.org",
            "founded": "",
        },
    )
    assert response.status_code == 302
    assert {name: state(url) for name, url in urls.items()} == {
        name: "miss" if name in {"group", "groups"} else "hit" for name in urls
    }
    assert "Every Tuesday" in Client().get(urls["group"]).content.decode()


def test_a_post_that_fails_validation_changes_nothing(cached, world, signed_in):
    lead = MembershipFactory(group=world["group"], lead=True).user
    warm(*world["urls"].values())
    versions = cache.get_many([pagecache.version_key(s) for s in ("site", "private")])
    response = signed_in(lead).post(
        reverse("groups:edit", args=[world["group"].slug]), {"name": "", "town": ""}
    )
    assert response.status_code in (200, 400)
    assert {state(url) for url in world["urls"].values()} == {"hit"}
    assert cache.get_many([pagecache.version_key(s) for s in ("site", "private")]) == versions


def test_joining_a_group_changes_its_live_member_count_only(cached, world, signed_in):
    urls = world["urls"]
    warm(*urls.values())
    signed_in(UserFactory()).post(reverse("groups:join", args=[world["group"].slug]))
    assert {state(url) for url in urls.values()} == {"hit"}
    assert "1 member<" in Client().get(urls["group"]).content.decode()


def test_a_write_no_service_describes_makes_every_page_stale(cached, world, signed_in):
    """The safety net for the admin and writes not in the table: correctness first."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    warm(*world["urls"].values())
    group = world["other_group"]
    response = signed_in(staff).post(
        reverse("admin:groups_localgroup_change", args=[group.pk]),
        {
            **{f: getattr(group, f) for f in ("name", "slug", "kind", "town", "postcode_district")},
            "area": group.area_id,
            "description": "Edited in the admin",
            "is_active": "on",
            "member_count": 0,
            "_save": "Save",
        },
    )
    if response.status_code != 302:
        pytest.fail(response.content.decode()[:2000])
    assert {state(url) for url in world["urls"].values()} == {"miss"}


def test_rsvps_and_signatures_leave_the_review_dashboard_cached_and_a_decision_does_not(
    cached, settings, world, signed_in, django_assert_num_queries
):
    """RSVPs and signatures reach the review only through its figures, which are kept for
    REVIEW_CACHE_SECONDS anyway, so the dashboard is not rebuilt for them."""
    settings.REVIEW_CACHE_SECONDS = 300
    area = world["group"].area
    suggestion = PartnerSuggestionFactory(area=area, name="Malvern Welcomes")
    rep = RegionalRoleFactory(region=area.region).user
    reader = Client()
    reader.force_login(rep)
    url = reverse("review:dashboard")
    assert "Malvern Welcomes" in reader.get(url).content.decode()
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    signed_in(UserFactory()).post(
        reverse("campaigns:take", args=[world["campaign"].slug, world["action"].pk]),
        {"show_name": "on"},
    )
    with django_assert_num_queries(repeat_load_queries(settings)):
        reader.get(url)

    declined = signed_in(rep).post(
        reverse("partners:suggestion_decline", args=[suggestion.pk]), {"reason": "Out of area"}
    )
    assert declined.status_code == 302
    assert "Malvern Welcomes" not in reader.get(url).content.decode()


# --- My portal follows the person ------------------------------------------------------


class MyPortal:
    """A person's browser on My portal. ``state()`` says whether the next load came from
    the per-person cache ("hit": it costs only the signed-in request's own queries) or was
    rebuilt ("miss")."""

    def __init__(self, user, settings):
        self.client, self.settings = Client(), settings
        self.client.force_login(user)

    def load(self) -> str:
        return self.client.get(reverse("my_portal")).content.decode()

    def state(self) -> str:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("my_portal"))
        return "hit" if len(queries) == repeat_load_queries(self.settings) else "miss"


@pytest.fixture
def portal_of(cached, settings):
    return lambda user: MyPortal(user, settings)


def test_my_rsvp_shows_on_my_portal_and_a_strangers_rsvp_leaves_it_cached(
    world, portal_of, signed_in
):
    me = MembershipFactory(group=world["group"]).user
    portal = portal_of(me)
    assert "Vigil" not in portal.load()
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["other_event"].slug]))
    assert portal.state() == "hit"

    signed_in(me).post(reverse("events:rsvp", args=[world["event"].slug]))
    assert "Vigil" in portal.load()
    assert portal.state() == "hit"


def test_an_announcement_in_my_group_shows_and_one_in_another_group_does_not_rebuild(
    world, portal_of, signed_in
):
    me = MembershipFactory(group=world["group"]).user
    portal = portal_of(me)
    portal.load()
    other_lead = MembershipFactory(group=world["other_group"], lead=True).user
    signed_in(other_lead).post(
        reverse("groups:announce", args=[world["other_group"].slug]),
        {"title": "Leicester stall moved", "body": "To the market."},
    )
    assert portal.state() == "hit"

    lead = MembershipFactory(group=world["group"], lead=True).user
    signed_in(lead).post(
        reverse("groups:announce", args=[world["group"].slug]),
        {"title": "Peace Week programme out", "body": "See the events page."},
    )
    assert "Peace Week programme out" in portal.load()


def test_a_new_action_in_a_campaign_i_support_shows_and_one_elsewhere_does_not_rebuild(
    world, portal_of, signed_in
):
    me = UserFactory()
    signed_in(me).post(reverse("campaigns:support", args=[world["campaign"].slug]))
    portal = portal_of(me)
    portal.load()
    staff = UserFactory(is_staff=True)
    new_action = {"kind": "sign", "title": "Sign the open letter", "goal_count": 100}
    signed_in(staff).post(
        reverse("campaigns:add_action", args=[world["other_campaign"].slug]), new_action
    )
    assert portal.state() == "hit"

    signed_in(staff).post(
        reverse("campaigns:add_action", args=[world["campaign"].slug]), new_action
    )
    assert "Still to do: <a" in portal.load()
    assert "Sign the open letter" in portal.load()


def test_my_place_in_the_queue_moves_up_when_someone_ahead_leaves(world, portal_of, signed_in):
    Event.objects.filter(pk=world["event"].pk).update(capacity=1)
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["event"].slug]))
    ahead = UserFactory()
    signed_in(ahead).post(reverse("events:rsvp", args=[world["event"].slug]))
    me = UserFactory()
    signed_in(me).post(reverse("events:rsvp", args=[world["event"].slug]))
    portal = portal_of(me)
    assert "number 2 in the queue" in portal.load()
    signed_in(ahead).post(reverse("events:cancel_rsvp", args=[world["event"].slug]))
    assert "number 1 in the queue" in portal.load()


def test_the_place_freed_for_me_shows_on_my_portal(world, portal_of, signed_in):
    Event.objects.filter(pk=world["event"].pk).update(capacity=1)
    going = UserFactory()
    signed_in(going).post(reverse("events:rsvp", args=[world["event"].slug]))
    me = UserFactory()
    signed_in(me).post(reverse("events:rsvp", args=[world["event"].slug]))
    portal = portal_of(me)
    assert "number 1 in the queue" in portal.load()
    signed_in(going).post(reverse("events:cancel_rsvp", args=[world["event"].slug]))
    html = portal.load()
    assert "in the queue" not in html
    assert "Vigil" in html


def test_a_leads_portal_lists_their_patch_so_any_described_write_rebuilds_it(
    world, portal_of, signed_in
):
    """The coarser rule: a lead's or rep's to-do lists span their patch."""
    lead = MembershipFactory(group=world["group"], lead=True).user
    portal = portal_of(lead)
    portal.load()
    assert portal.state() == "hit"
    signed_in(UserFactory()).post(reverse("events:rsvp", args=[world["other_event"].slug]))
    assert portal.state() == "miss"


# --- writes that used to make every page stale ------------------------------------------


def stale_only(urls: dict, stale: set[str]) -> dict:
    return {name: "miss" if name in stale else "hit" for name in urls}


def test_a_festival_edit_makes_stale_the_pages_that_show_the_festival(cached, world, signed_in):
    urls = {**world["urls"], "festivals": reverse("events:festival_list")}
    lead = MembershipFactory(group=world["group"], lead=True).user
    festival = world["festival"]
    warm(*urls.values())
    response = signed_in(lead).post(
        reverse("events:festival_edit", args=[festival.slug]),
        {
            "name": "Derby Peace Fortnight",
            "starts_on": festival.starts_on.isoformat(),
            "ends_on": festival.ends_on.isoformat(),
            "description": "Two weeks now.",
        },
    )
    assert response.status_code == 302
    # Its programme, the festivals index and the events listing, its host's page and its
    # session's page ("Part of ...").
    stale = {"festival", "festivals", "events", "group", "event"}
    assert {name: state(url) for name, url in urls.items()} == stale_only(urls, stale)
    for name in stale - {"group"}:
        assert "Derby Peace Fortnight" in Client().get(urls[name]).content.decode(), name


def test_taking_a_festival_back_to_draft_removes_it_from_the_index(cached, world, signed_in):
    urls = {**world["urls"], "festivals": reverse("events:festival_list")}
    lead = MembershipFactory(group=world["group"], lead=True).user
    festival = world["festival"]
    warm(*urls.values())
    assert festival.name in Client().get(urls["festivals"]).content.decode()
    signed_in(lead).post(
        reverse("events:festival_publish", args=[festival.slug]), {"status": "draft"}
    )
    assert state(urls["other group"]) == state(urls["campaign"]) == state(urls["home"]) == "hit"
    assert festival.name not in Client().get(urls["festivals"]).content.decode()


def test_pausing_a_campaign_makes_stale_the_pages_that_show_its_status(cached, world, signed_in):
    urls = world["urls"]
    warm(*urls.values())
    staff = UserFactory(is_staff=True)
    response = signed_in(staff).post(
        reverse("campaigns:change_status", args=[world["campaign"].slug]), {"status": "paused"}
    )
    assert response.status_code == 302
    stale = {"campaign", "campaigns", "home"}
    assert {name: state(url) for name, url in urls.items()} == stale_only(urls, stale)
    assert "Paused" in Client().get(urls["campaign"]).content.decode()


def test_a_new_action_makes_stale_its_campaign_page_and_home_only(cached, world, signed_in):
    urls = world["urls"]
    warm(*urls.values())
    signed_in(UserFactory(is_staff=True)).post(
        reverse("campaigns:add_action", args=[world["campaign"].slug]),
        {"kind": "sign", "title": "Sign the open letter", "goal_count": 100},
    )
    stale = {"campaign", "campaigns", "home"}
    assert {name: state(url) for name, url in urls.items()} == stale_only(urls, stale)
    assert "Sign the open letter" in Client().get(urls["campaign"]).content.decode()


def test_a_conversation_post_leaves_every_public_page_cached_and_shows_in_my_portal(
    cached, world, signed_in, portal_of
):
    urls = world["urls"]
    reader = MembershipFactory(group=world["group"]).user
    stranger = MembershipFactory(group=world["other_group"]).user
    mine, theirs = portal_of(reader), portal_of(stranger)
    theirs.load()
    assert "Minibus to the vigil" not in mine.load()
    warm(*urls.values())
    writer = MembershipFactory(group=world["group"]).user
    response = signed_in(writer).post(
        reverse("conversations:new_thread", args=["group", world["group"].slug]),
        {"title": "Minibus to the vigil", "body": "Who needs a lift?"},
    )
    assert response.status_code == 302
    assert {state(url) for url in urls.values()} == {"hit"}
    assert "Minibus to the vigil" in mine.load()
    # Conversations are one scope for every reader's My portal (a coarser rule).
    assert theirs.state() == "miss"


def test_a_write_only_its_person_sees_leaves_every_page_and_other_portals_cached(
    cached, world, signed_in, portal_of
):
    other = portal_of(MembershipFactory(group=world["group"]).user)
    other.load()
    warm(*world["urls"].values())
    me = UserFactory()
    mine = portal_of(me)
    mine.load()
    response = signed_in(me).post(reverse("events:my_calendar"))
    assert response.status_code == 302
    assert {state(url) for url in world["urls"].values()} == {"hit"}
    assert other.state() == "hit"
    assert mine.state() == "miss"


def test_adopting_a_case_makes_stale_the_adopting_groups_page_only(cached, world, signed_in):
    urls = world["urls"]
    case = CaseFactory(headline="Held for a peaceful protest")
    lead = MembershipFactory(group=world["group"], lead=True).user
    warm(*urls.values())
    response = signed_in(lead).post(
        reverse("cases:adopt", args=[case.slug]), {"group": world["group"].pk}
    )
    assert response.status_code == 302
    assert {name: state(url) for name, url in urls.items()} == stale_only(urls, {"group"})
    assert "Held for a peaceful protest" in Client().get(urls["group"]).content.decode()
