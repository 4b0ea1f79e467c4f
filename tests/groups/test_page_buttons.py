"""Issue 16, defect 10: on a lead's group page the management buttons come first and
"Leave this group" last."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_leave_this_group_comes_after_the_leads_tools(client, people):
    client.force_login(people.lead)
    page = client.get(reverse("groups:detail", args=["derby"])).content.decode()
    leave = page.index(reverse("groups:leave", args=["derby"]))
    for tool in ("groups:announce", "groups:members", "groups:edit"):
        assert page.index(reverse(tool, args=["derby"])) < leave
