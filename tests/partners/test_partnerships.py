import datetime

import pytest
from django.urls import reverse

from partners.models import Partnership, PartnershipChange
from tests.groups.factories import LocalGroupFactory, MembershipFactory
from tests.queries import SESSION

from .conftest import PRIVATE_ROLES, ROLES
from .factories import PartnerFactory, PartnershipFactory


def group_url(group):
    return reverse("partners:group", args=[group.slug])


def create_url(group):
    return reverse("partners:partnership_create", args=[group.slug])


def edit_url(partnership):
    return reverse("partners:partnership_edit", args=[partnership.group.slug, partnership.pk])


FORM = {
    "status": "active",
    "since": "2024-03-01",
    "activities": "Refugee Week stall",
    "contact_name": "Jo Bloggs",
    "contact_email": "jo@example.net",
    "contact_phone": "01632 960555",
    "private_notes": "Prefers phone",
}


@pytest.mark.parametrize("role", ROLES)
def test_group_partnerships_page_only_for_lead_and_covering_reps(client, world, role):
    partnership = PartnershipFactory(group=world.group)
    response = world.client_for(client, role).get(group_url(world.group))
    if role in PRIVATE_ROLES:
        assert response.status_code == 200
        content = response.content.decode()
        assert partnership.contact_email in content
        assert partnership.private_notes in content
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_partnership_create_and_edit_only_for_the_groups_leads(client, world, role):
    partnership = PartnershipFactory(group=world.group)
    other = PartnerFactory()
    world.client_for(client, role)
    expected = 200 if role == "lead" else 404
    assert client.get(create_url(world.group)).status_code == expected
    assert client.get(edit_url(partnership)).status_code == expected
    response = client.post(create_url(world.group), {**FORM, "partner": other.slug})
    assert response.status_code == (302 if role == "lead" else 404)
    assert Partnership.objects.filter(partner=other).exists() == (role == "lead")


@pytest.mark.parametrize("count", [1, 3])
def test_group_partnerships_query_count_is_constant(
    client, world, django_assert_num_queries, count
):
    for _ in range(count):
        partnership = PartnershipFactory(group=world.group)
        PartnershipChange.objects.create(
            partnership=partnership, changed_by=world.users["lead"], changes={"status": [1, 2]}
        )
    client.force_login(world.users["lead"])
    # session, user, group, lead check (x2: permission and is_lead), partnerships, changes
    with django_assert_num_queries(6 + SESSION):
        response = client.get(group_url(world.group))
    assert len(response.context["partnerships"]) == count


def test_partnership_create_records_who_and_what(client, world):
    partner = PartnerFactory(name="RESTORE")
    client.force_login(world.users["lead"])
    response = client.post(create_url(world.group), {**FORM, "partner": partner.slug})
    assert response.status_code == 302
    partnership = Partnership.objects.get(group=world.group, partner=partner)
    assert partnership.status == "active"
    assert partnership.since == datetime.date(2024, 3, 1)
    assert partnership.contact_email == "jo@example.net"
    change = partnership.changes.get()
    assert change.changed_by == world.users["lead"]
    assert change.changes == {
        "partner": [None, "RESTORE"],
        "status": [None, "active"],
        "since": [None, "2024-03-01"],
        "activities": [None, "Refugee Week stall"],
        "contact_name": [None, "Jo Bloggs"],
        "contact_email": [None, "jo@example.net"],
        "contact_phone": [None, "01632 960555"],
        "private_notes": [None, "Prefers phone"],
    }


def test_partnership_edit_records_only_changed_fields(client, world):
    partnership = PartnershipFactory(
        group=world.group, **{**FORM, "since": datetime.date(2024, 3, 1)}
    )
    co_lead = MembershipFactory(group=world.group, lead=True).user
    client.force_login(co_lead)
    response = client.post(
        edit_url(partnership), {**FORM, "status": "dormant", "private_notes": "Gone quiet"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "dormant"
    change = partnership.changes.get()
    assert change.changed_by == co_lead
    assert change.changes == {
        "status": ["active", "dormant"],
        "private_notes": ["Prefers phone", "Gone quiet"],
    }


def test_partnership_edit_without_changes_records_nothing(client, world):
    partnership = PartnershipFactory(
        group=world.group, **{**FORM, "since": datetime.date(2024, 3, 1)}
    )
    client.force_login(world.users["lead"])
    response = client.post(edit_url(partnership), FORM)
    assert response.status_code == 302
    assert partnership.changes.count() == 0


def test_partnership_edit_of_another_groups_partnership_is_404(client, world):
    partnership = PartnershipFactory(group=world.other_group)
    client.force_login(world.users["lead"])
    url = reverse("partners:partnership_edit", args=[world.group.slug, partnership.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, FORM).status_code == 404


def test_partnership_create_rejects_existing_partner_and_bad_input(client, world):
    partnership = PartnershipFactory(group=world.group)
    client.force_login(world.users["lead"])
    response = client.post(
        create_url(world.group),
        {**FORM, "partner": partnership.partner.slug, "contact_email": "nope", "status": "x"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"partner", "contact_email", "status"}
    assert Partnership.objects.count() == 1


def test_partnership_create_preselects_partner_from_suggestions(client, world):
    partner = PartnerFactory()
    client.force_login(world.users["lead"])
    response = client.get(create_url(world.group), {"partner": partner.slug})
    assert response.context["form"]["partner"].value() == partner.slug


def test_partnership_form_shows_changes_with_names_not_emails(client, world):
    partnership = PartnershipFactory(group=world.group)
    lead = world.users["lead"]
    PartnershipChange.objects.create(
        partnership=partnership, changed_by=lead, changes={"status": ["prospect", "active"]}
    )
    client.force_login(world.users["rep"])
    content = client.get(group_url(world.group)).content.decode()
    assert lead.public_name in content
    assert lead.email not in content


def test_partnership_pages_for_group_without_partnerships(client, world):
    client.force_login(world.users["lead"])
    response = client.get(group_url(LocalGroupFactory(slug="nobody")))
    assert response.status_code == 404
    response = client.get(group_url(world.group))
    assert b"No partnerships recorded yet" in response.content
