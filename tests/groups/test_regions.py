"""Region pages and regional teams (issue 19.1, 19.2)."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Participation
from conversations import services as conversation_services
from conversations.permissions import Place
from groups.models import TeamRole
from tests.campaigns.factories import CampaignFactory
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory
from tests.queries import SESSION

pytestmark = pytest.mark.django_db

# the region, its groups, areas, team, events, campaigns, can-read check and noticeboard, and
# the signed-in person's rep roles and memberships
REGION_QUERIES = 11


def _page(client, people) -> str:
    return client.get(reverse("regions:detail", args=[people.region.slug])).content.decode()


def test_region_page_shows_groups_events_campaigns_and_team(client, people):
    EventFactory(title="Derby vigil", group=people.group, status="published")
    EventFactory(title="Leicester vigil", group=people.other_group, status="published")
    national = CampaignFactory(title="Lift the Ban")
    Participation.objects.create(campaign=national, group=people.group)
    CampaignFactory(title="Elsewhere", regional=True)
    holder = UserFactory(display_name="Rana Rep", email="rana.private@example.org")
    TeamRole.objects.create(region=people.region, title="Regional rep", holder=holder)
    TeamRole.objects.create(region=people.region, title="Media", position=1)
    page = _page(client, people)
    assert "Derby</a>" in page and "Leicester</a>" not in page
    assert "Derby vigil" in page and "Leicester vigil" not in page
    assert "Lift the Ban" in page and "Elsewhere" not in page
    assert '<dt class="col-sm-4">Regional rep</dt><dd class="col-sm-8">Rana Rep</dd>' in page
    assert "Vacant" in page
    assert "rana.private@example.org" not in page
    assert people.region.name in client.get(reverse("regions:list")).content.decode()


@pytest.mark.parametrize(
    ("who", "sees"),
    [(None, False), ("activist", False), ("other_lead", False), ("member", True), ("rep", True)],
)
def test_noticeboard_shows_to_members_of_the_regions_groups(client, people, who, sees):
    conversation_services.start_thread(
        place=Place("region", people.region), by=people.lead, title="Midlands target?", body="x"
    )
    if who:
        client.force_login(getattr(people, who))
    assert ("Midlands target?" in _page(client, people)) == sees


def test_contact_form_relays_to_the_holder_without_showing_addresses(client, people):
    holder = UserFactory(display_name="Tess Trainer", email="tess.private@example.org")
    role = TeamRole.objects.create(region=people.region, title="Trainer", holder=holder)
    response = client.post(
        reverse("regions:contact", args=[people.region.slug]),
        {"role": role.pk, "name": "Vi Visitor", "email": "vi@example.net", "message": "Training?"},
    )
    assert response["Location"] == people.region.get_absolute_url()
    deliver_outbox()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["tess.private@example.org"]
    assert message.extra_headers["Reply-To"] == "vi@example.net"
    assert "Training?" in message.body
    page = client.get(people.region.get_absolute_url()).content.decode()
    assert "tess.private@example.org" not in page


def test_contact_form_errors_are_a_400_with_the_form(client, people):
    response = client.post(reverse("regions:contact", args=[people.region.slug]), {"role": "x"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_reps_and_staff_name_the_team(client, people):
    holder = MembershipFactory(group=people.group).user
    url = reverse("regions:team", args=[people.region.slug])
    for who in ("lead", "other_rep", "member"):
        client.force_login(getattr(people, who))
        assert client.get(url).status_code == 403
    client.force_login(people.rep)
    client.post(url, {"title": "Campaigns coordinator", "holder_email": holder.email.upper()})
    role = TeamRole.objects.get()
    assert (role.title, role.holder) == ("Campaigns coordinator", holder)
    response = client.post(url, {"title": "Media", "holder_email": "nobody@example.org"})
    assert "Nobody has an account" in response.content.decode()
    client.force_login(people.staff)
    client.post(url, {"remove": str(role.pk)})
    assert TeamRole.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_region_page_query_count_is_constant(client, people, django_assert_num_queries, count):
    for n in range(count):
        EventFactory(title=f"E{n}", group=people.group, status="published")
        TeamRole.objects.create(region=people.region, title=f"Role {n}", holder=UserFactory())
        conversation_services.start_thread(
            place=Place("region", people.region), by=people.lead, title=f"T{n}", body="x"
        )
    client.force_login(people.member)
    with django_assert_num_queries(REGION_QUERIES + SESSION):
        page = client.get(reverse("regions:detail", args=[people.region.slug]))
    assert page.content.decode().count('<dt class="col-sm-4">Role ') == count


def test_contact_form_names_its_choice_in_words(client, people):
    """Issue 16: no "---------" placeholder; the choice says what to choose."""
    holder = UserFactory(display_name="Tess Trainer")
    TeamRole.objects.create(region=people.region, title="Trainer", holder=holder)
    page = client.get(people.region.get_absolute_url()).content.decode()
    assert "Choose a role in the team" in page
    assert "---------" not in page
