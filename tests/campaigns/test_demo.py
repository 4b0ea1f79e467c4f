import pytest

from campaigns import demo
from campaigns.models import Campaign, FundingRequest
from portal.demo import seed_accounts


@pytest.mark.django_db
def test_demo_seed_is_idempotent_and_skips_missing_groups():
    accounts = seed_accounts(password="demo-password-123")
    demo.seed(accounts=accounts)
    demo.seed(accounts=accounts)
    assert set(Campaign.objects.values_list("slug", flat=True)) == {
        "refugees-welcome",
        "lift-the-ban",
        "think-twice",
        "ethical-batteries",
        "individuals-at-risk",
        "business-and-human-rights",
    }
    assert all(c.actions.exists() for c in Campaign.objects.all())


@pytest.mark.django_db
def test_demo_seed_with_groups_adds_local_campaigns():
    from groups import demo as groups_demo

    accounts = seed_accounts(password="demo-password-123")
    groups_demo.seed(accounts=accounts)
    demo.seed(accounts=accounts)
    demo.seed(accounts=accounts)
    local = dict(Campaign.objects.filter(scope="local").values_list("slug", "status"))
    assert local == {"derby-council-of-sanctuary": "active", "derby-safe-passage-vigil": "proposed"}
    assert FundingRequest.objects.get().history.count() == 1
