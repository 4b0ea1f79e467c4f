from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Partnership
from partners.slots import PARTNER_PAGE
from tests.events.factories import EventFactory
from tests.groups.factories import LocalGroupFactory

from .conftest import PRIVATE_ROLES, ROLES
from .factories import PartnerFactory, PartnershipFactory


def url(partner):
    return reverse("partners:detail", args=[partner.slug])


@pytest.mark.parametrize("count", [1, 3])
def test_partner_page_query_count_is_constant(client, db, django_assert_num_queries, count):
    partner = PartnerFactory()
    for _ in range(count):
        group = LocalGroupFactory()
        PartnershipFactory(partner=partner, group=group)
        partner.areas.add(group.area)
    # partner, partnerships with groups, areas, co-hosted upcoming events
    with django_assert_num_queries(4):
        response = client.get(url(partner))
    assert response.status_code == 200
    assert len(response.context["working_with"]) == count


def test_partner_page_lists_groups_with_active_partnerships_only(client, db):
    partner = PartnerFactory(description="We **welcome**<script>alert(1)</script>")
    PartnershipFactory(partner=partner, group=LocalGroupFactory(name="Active group"))
    for status in ["prospect", "dormant", "ended"]:
        PartnershipFactory(
            partner=partner, status=status, group=LocalGroupFactory(name=f"{status} group")
        )
    PartnershipFactory(partner=partner, group=LocalGroupFactory(name="Closed", is_active=False))
    response = client.get(url(partner))
    assert [p.group.name for p in response.context["working_with"]] == ["Active group"]
    content = response.content.decode()
    assert "Active group" in content
    for hidden in ["prospect group", "dormant group", "ended group", "Closed"]:
        assert hidden not in content
    assert "<strong>welcome</strong>" in content
    assert "<script>alert" not in content


def test_partner_page_inactive_partner_is_404(client, db):
    partner = PartnerFactory(is_active=False)
    assert client.get(url(partner)).status_code == 404


def test_partner_page_shows_the_sections_other_apps_register(client, db):
    """Events registers its section in partners.slots.PARTNER_PAGE; the page includes it
    without partners importing events."""
    assert PARTNER_PAGE.templates == ["events/_partner_events.html"]
    partner = PartnerFactory()
    event = EventFactory(title="Sanctuary supper", starts_at=timezone.now() + timedelta(days=3))
    event.partners.add(partner)
    assert "Sanctuary supper" in client.get(url(partner)).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_partner_page_private_contact_visible_only_to_lead_and_covering_reps(client, world, role):
    partnership = PartnershipFactory(group=world.group)
    response = world.client_for(client, role).get(url(partnership.partner))
    assert response.status_code == 200
    content = response.content.decode()
    private = [
        partnership.contact_name,
        partnership.contact_email,
        partnership.contact_phone,
        partnership.private_notes,
    ]
    if role in PRIVATE_ROLES:
        assert all(value in content for value in private)
    else:
        assert not any(value in content for value in private)
    # The partner's own public address is for everyone.
    assert partnership.partner.contact_email in content


def test_partner_page_private_panel_includes_prospects_of_own_group(client, world):
    partnership = PartnershipFactory(group=world.group, status=Partnership.Status.PROSPECT)
    client.force_login(world.users["lead"])
    response = client.get(url(partnership.partner))
    assert response.context["working_with"] == []
    assert response.context["private_partnerships"] == [partnership]
