"""Issue 16, defect 2: a lead who accepts a suggestion lands on a page they can act on."""

from django.urls import reverse

from partners.models import Partner

from .factories import PartnerKindFactory, PartnerSuggestionFactory


def test_lead_who_accepts_a_suggestion_may_edit_the_new_partner(client, world):
    suggestion = PartnerSuggestionFactory(area=world.area, name="Derby Welcomes")
    kind = PartnerKindFactory()
    client.force_login(world.users["lead"])

    response = client.post(
        reverse("partners:suggestion_accept", args=[suggestion.pk]), {"kind": kind.pk}, follow=True
    )

    partner = Partner.objects.get(name="Derby Welcomes")
    assert response.redirect_chain == [(reverse("partners:edit", args=[partner.slug]), 302)]
    assert response.status_code == 200
    assert b"Add a description and logo here" in response.content


def test_another_lead_still_may_not_edit_the_accepted_partner(client, world):
    suggestion = PartnerSuggestionFactory(area=world.area, name="Derby Welcomes")
    client.force_login(world.users["lead"])
    client.post(
        reverse("partners:suggestion_accept", args=[suggestion.pk]),
        {"kind": PartnerKindFactory().pk},
    )
    partner = Partner.objects.get(name="Derby Welcomes")
    client.force_login(world.users["other_lead"])
    assert client.get(reverse("partners:edit", args=[partner.slug])).status_code == 403
