import pytest
from django.urls import reverse

from partners.models import Partner, Partnership, PartnershipChange
from portal.demo import seed_accounts

from .factories import PartnershipFactory, PartnerSuggestionFactory


@pytest.mark.parametrize(
    ("model", "params"),
    [
        ("partnerkind", {"q": "faith"}),
        ("partner", {"q": "restore", "is_active__exact": "1"}),
        ("partnership", {"q": "derby", "status__exact": "active"}),
        ("partnershipchange", {"q": "derby"}),
        ("partnersuggestion", {"q": "drop", "status__exact": "pending"}),
    ],
)
def test_admin_changelists_search_and_filter(admin_client, db, model, params):
    change = PartnershipChange.objects.create(partnership=PartnershipFactory(), changes={})
    PartnerSuggestionFactory()
    assert admin_client.get(reverse(f"admin:partners_{model}_changelist")).status_code == 200
    assert (
        admin_client.get(reverse(f"admin:partners_{model}_changelist"), params).status_code == 200
    )
    if model == "partnershipchange":
        url = reverse("admin:partners_partnershipchange_change", args=[change.pk])
        assert admin_client.get(url).status_code == 200


def test_admin_partnership_edit_is_recorded(admin_client, db):
    partnership = PartnershipFactory(status="prospect")
    url = reverse("admin:partners_partnership_change", args=[partnership.pk])
    data = {
        "group": partnership.group_id,
        "partner": partnership.partner_id,
        "status": "active",
        "since": "",
        "activities": partnership.activities,
        "contact_name": partnership.contact_name,
        "contact_email": partnership.contact_email,
        "contact_phone": partnership.contact_phone,
        "private_notes": partnership.private_notes,
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    change = partnership.changes.get()
    assert change.changes == {"status": ["prospect", "active"]}


def test_demo_seed_is_idempotent(db):
    from groups import demo as groups_demo
    from partners import demo

    accounts = seed_accounts(password="demo-password-1")
    groups_demo.seed(accounts=accounts)
    demo.seed(accounts=accounts)
    counts = (
        Partner.objects.count(),
        Partnership.objects.count(),
        PartnershipChange.objects.count(),
    )
    demo.seed(accounts=accounts)
    assert (
        Partner.objects.count(),
        Partnership.objects.count(),
        PartnershipChange.objects.count(),
    ) == counts
    names = set(Partner.objects.values_list("name", flat=True))
    assert {
        "RESTORE",
        "Herts Welcomes Refugees",
        "Malvern Welcomes",
        "Birmingham City of Sanctuary",
        "Coventry City of Sanctuary",
        "Derby Multi-Faith Centre",
        "Derby County Community Trust",
    } <= names
    assert Partnership.objects.filter(group__slug="derby", status="active").count() == 2
    assert Partner.objects.get(slug="restore").postcode_district == "B1"
