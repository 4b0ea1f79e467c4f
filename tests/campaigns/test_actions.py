import pytest
from django.core import mail
from django.urls import reverse

from campaigns import services
from campaigns.models import Action, ActionTaken, Campaign, CampaignSupporter, ShareArrival
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.factories import UserFactory

from .factories import ActionFactory, CampaignFactory


def take_url(action):
    return reverse("campaigns:take", args=[action.campaign.slug, action.pk])


def action_url(action):
    return reverse("campaigns:action", args=[action.campaign.slug, action.pk])


# --- supporting ---------------------------------------------------------------------


@pytest.mark.django_db
def test_support_and_stop_supporting_maintain_the_count(client, verified_user):
    campaign = CampaignFactory()
    client.force_login(verified_user)
    url = reverse("campaigns:support", args=[campaign.slug])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # again: still one
    campaign.refresh_from_db()
    assert campaign.supporter_count == 1
    client.post(reverse("campaigns:unsupport", args=[campaign.slug]))
    client.post(reverse("campaigns:unsupport", args=[campaign.slug]))
    campaign.refresh_from_db()
    assert campaign.supporter_count == 0
    assert CampaignSupporter.objects.count() == 0


@pytest.mark.django_db
def test_support_needs_post(client, verified_user):
    campaign = CampaignFactory()
    client.force_login(verified_user)
    assert client.get(reverse("campaigns:support", args=[campaign.slug])).status_code == 405


@pytest.mark.django_db
def test_support_anonymous_goes_to_login(client):
    campaign = CampaignFactory()
    response = client.post(reverse("campaigns:support", args=[campaign.slug]))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert CampaignSupporter.objects.count() == 0


@pytest.mark.django_db
def test_support_unverified_user_is_refused(client):
    user = UserFactory(email_verified=False)
    campaign = CampaignFactory()
    client.force_login(user)
    response = client.post(reverse("campaigns:support", args=[campaign.slug]))
    assert response.status_code == 302
    assert CampaignSupporter.objects.count() == 0


@pytest.mark.django_db
def test_support_of_closed_campaign_is_refused(client, verified_user):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED)
    client.force_login(verified_user)
    client.post(reverse("campaigns:support", args=[campaign.slug]))
    assert CampaignSupporter.objects.count() == 0


@pytest.mark.django_db
def test_support_of_someone_elses_proposal_is_404(client, verified_user):
    campaign = CampaignFactory(local=True, proposed=True)
    client.force_login(verified_user)
    assert client.post(reverse("campaigns:support", args=[campaign.slug])).status_code == 404


# --- signing and pledging -------------------------------------------------------------


@pytest.mark.django_db
def test_sign_twice_counts_once(client, verified_user):
    action = ActionFactory(kind=Action.Kind.SIGN)
    client.force_login(verified_user)
    client.post(take_url(action), {"show_name": "on"})
    client.post(take_url(action), {"show_name": "on"})
    action.refresh_from_db()
    assert action.count == 1
    taken = ActionTaken.objects.get()
    assert (taken.user, taken.show_name) == (verified_user, True)


@pytest.mark.django_db
def test_sign_without_show_name_keeps_name_private(client, verified_user):
    action = ActionFactory(kind=Action.Kind.SIGN)
    client.force_login(verified_user)
    client.post(take_url(action))
    assert ActionTaken.objects.get().show_name is False


@pytest.mark.django_db
def test_pledge_counts_once(client, verified_user):
    action = ActionFactory(kind=Action.Kind.PLEDGE)
    client.force_login(verified_user)
    client.post(take_url(action))
    client.post(take_url(action))
    action.refresh_from_db()
    assert action.count == 1


@pytest.mark.django_db
def test_service_reports_whether_it_counted(verified_user):
    action = ActionFactory(kind=Action.Kind.SIGN)
    assert services.take_action(action=action, user=verified_user) is True
    assert services.take_action(action=action, user=verified_user) is False
    action.refresh_from_db()
    assert action.count == 1


@pytest.mark.django_db
def test_sign_anonymous_goes_to_login(client):
    action = ActionFactory()
    response = client.post(take_url(action))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    action.refresh_from_db()
    assert action.count == 0


@pytest.mark.django_db
def test_sign_unverified_is_refused(client):
    action = ActionFactory()
    client.force_login(UserFactory(email_verified=False))
    client.post(take_url(action))
    action.refresh_from_db()
    assert action.count == 0


@pytest.mark.django_db
def test_sign_needs_post(client, verified_user):
    action = ActionFactory()
    client.force_login(verified_user)
    assert client.get(take_url(action)).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Campaign.Status.PAUSED, Campaign.Status.WON])
def test_sign_on_campaign_that_is_not_active_is_refused(client, verified_user, status):
    action = ActionFactory(campaign__status=status)
    client.force_login(verified_user)
    response = client.post(take_url(action), follow=True)
    assert "This action is closed." in response.content.decode()
    action.refresh_from_db()
    assert action.count == 0


@pytest.mark.django_db
def test_sign_after_deadline_is_refused(client, verified_user):
    import datetime

    action = ActionFactory(deadline=datetime.date(2000, 1, 1))
    client.force_login(verified_user)
    client.post(take_url(action))
    assert ActionTaken.objects.count() == 0


@pytest.mark.django_db
def test_action_of_other_campaign_is_404(client, verified_user):
    action = ActionFactory()
    other = CampaignFactory()
    client.force_login(verified_user)
    url = reverse("campaigns:take", args=[other.slug, action.pk])
    assert client.post(url).status_code == 404


@pytest.mark.django_db
def test_action_page_asks_anonymous_to_sign_in(client):
    action = ActionFactory(title="Sign here")
    html = client.get(action_url(action)).content.decode()
    assert "Sign here" in html
    assert "Sign in" in html


# --- letters ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_letter_with_target_email_goes_through_outbox_with_reply_to(client):
    user = UserFactory(email="writer@example.org", display_name="Wren Writer")
    action = ActionFactory(
        kind=Action.Kind.WRITE,
        campaign__target_email="minister@gov.example",
        statement="Please act.",
    )
    client.force_login(user)
    page = client.get(action_url(action)).content.decode()
    assert "Please act." in page  # the suggested letter, to edit
    client.post(take_url(action), {"subject": "Act now", "body": "My own words."})
    message = OutboxMessage.objects.get()
    assert deliver_outbox_message(message_id=message.pk) == "sent"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["minister@gov.example"]
    assert sent.extra_headers["Reply-To"] == "writer@example.org"
    assert sent.subject == "Act now"
    assert sent.body.startswith("My own words.\n\nWren Writer\n")
    action.refresh_from_db()
    assert action.count == 1


@pytest.mark.django_db
def test_letter_sent_twice_is_queued_and_counted_once(client):
    user = UserFactory()
    action = ActionFactory(kind=Action.Kind.WRITE, campaign__target_email="mp@parliament.example")
    client.force_login(user)
    client.post(take_url(action), {"subject": "One", "body": "First."})
    client.post(take_url(action), {"subject": "Two", "body": "Second."})
    assert OutboxMessage.objects.get().subject == "One"
    action.refresh_from_db()
    assert action.count == 1


@pytest.mark.django_db
def test_letter_content_is_never_shown_publicly(client):
    user = UserFactory()
    action = ActionFactory(kind=Action.Kind.WRITE, campaign__target_email="mp@parliament.example")
    client.force_login(user)
    client.post(take_url(action), {"subject": "Private subject", "body": "Very private words."})
    client.logout()
    html = client.get(reverse("campaigns:detail", args=[action.campaign.slug])).content.decode()
    assert "Very private words." not in html
    assert "<strong>1</strong> of 100 letters" in html  # the thermometer


@pytest.mark.django_db
def test_letter_with_empty_body_is_a_form_error(client, verified_user):
    action = ActionFactory(kind=Action.Kind.WRITE, campaign__target_email="mp@parliament.example")
    client.force_login(verified_user)
    response = client.post(take_url(action), {"subject": "", "body": ""})
    assert response.status_code == 400
    assert ActionTaken.objects.count() == 0


@pytest.mark.django_db
def test_letter_without_target_email_offers_mailto_and_records_sending(client, verified_user):
    action = ActionFactory(kind=Action.Kind.WRITE, campaign__target_email="")
    client.force_login(verified_user)
    html = client.get(action_url(action)).content.decode()
    assert 'href="mailto:?subject=' in html
    # The letter is the writer's to edit (issue 16, item 10): a form field, not read-only.
    textarea = html.split('<textarea name="body"')[1].split(">")[0]
    assert "readonly" not in textarea
    client.post(take_url(action))
    action.refresh_from_db()
    assert action.count == 1
    assert OutboxMessage.objects.count() == 0


# --- sharing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_share_link_counts_each_visitor_once(client, verified_user):
    action = ActionFactory(kind=Action.Kind.SHARE)
    client.force_login(verified_user)
    client.post(take_url(action))
    page = client.get(action_url(action))
    share_url = page.context["share_url"]
    path = share_url.removeprefix("http://127.0.0.1:8000")
    assert ActionTaken.objects.filter(user=verified_user).count() == 1
    action.refresh_from_db()
    assert action.count == 0  # taking the link is not an arrival

    from django.test import Client

    visitor = Client()
    response = visitor.get(path, follow=True)
    assert response.redirect_chain[-1][0] == action.campaign.get_absolute_url()
    visitor.get(path, follow=True)
    Client().get(path, follow=True)  # a second visitor
    action.refresh_from_db()
    assert action.count == 2
    assert ShareArrival.objects.filter(sharer=verified_user).count() == 2


@pytest.mark.django_db
def test_share_link_replayed_without_cookies_does_not_count(client, verified_user):
    action = ActionFactory(kind=Action.Kind.SHARE)
    token = services.share_token(action=action, user=verified_user)
    path = reverse("campaigns:share", args=[action.campaign.slug, token])
    for _ in range(3):
        client.cookies.clear()
        client.get(path)
        client.cookies.clear()
        client.get(path + "?c=1")
    action.refresh_from_db()
    assert action.count == 0


@pytest.mark.django_db
def test_share_link_with_forged_token_redirects_without_counting(client):
    action = ActionFactory(kind=Action.Kind.SHARE)
    path = reverse("campaigns:share", args=[action.campaign.slug, f"{action.pk}.1:forged"])
    response = client.get(path, follow=True)
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.count == 0


@pytest.mark.django_db
def test_share_link_sharer_own_visit_does_not_count(client, verified_user):
    action = ActionFactory(kind=Action.Kind.SHARE)
    token = services.share_token(action=action, user=verified_user)
    client.force_login(verified_user)
    client.get(reverse("campaigns:share", args=[action.campaign.slug, token]), follow=True)
    action.refresh_from_db()
    assert action.count == 0


def _share_path(action, sharer):
    token = services.share_token(action=action, user=sharer)
    return reverse("campaigns:share", args=[action.campaign.slug, token])


@pytest.mark.django_db
def test_fresh_cookie_jars_from_one_address_add_at_most_the_address_limit(settings, verified_user):
    """50 fresh browsers following one share link from one address count 10 (the limit
    per address an hour); each is still welcomed on the campaign page."""
    from django.test import Client

    settings.TRUSTED_PROXIES = 1
    action = ActionFactory(kind=Action.Kind.SHARE)
    path = _share_path(action, verified_user)
    landed = set()
    for _ in range(50):
        response = Client().get(path, follow=True, HTTP_X_FORWARDED_FOR="203.0.113.9")
        landed.add(response.redirect_chain[-1][0])
    action.refresh_from_db()
    assert action.count == 10
    assert landed == {action.campaign.get_absolute_url()}
    # Someone elsewhere still counts.
    Client().get(path, follow=True, HTTP_X_FORWARDED_FOR="198.51.100.4")
    action.refresh_from_db()
    assert action.count == 11


@pytest.mark.django_db
def test_one_link_counts_at_most_the_link_limit_across_addresses(settings, verified_user):
    from django.test import Client

    settings.TRUSTED_PROXIES = 1
    settings.RATE_LIMITS = {"share_arrivals_per_link": "5/h"}
    action = ActionFactory(kind=Action.Kind.SHARE)
    other_sharer = UserFactory()
    path = _share_path(action, verified_user)
    for n in range(8):
        Client().get(path, follow=True, HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
    action.refresh_from_db()
    assert action.count == 5
    # Another supporter's link to the same action has its own budget.
    Client().get(_share_path(action, other_sharer), follow=True, HTTP_X_FORWARDED_FOR="192.0.2.1")
    action.refresh_from_db()
    assert action.count == 6


@pytest.mark.django_db
def test_a_visitor_returning_costs_no_budget(settings, verified_user):
    from django.test import Client

    settings.RATE_LIMITS = {"share_arrivals_per_address": "2/h"}
    action = ActionFactory(kind=Action.Kind.SHARE)
    path = _share_path(action, verified_user)
    visitor = Client()
    for _ in range(4):
        visitor.get(path, follow=True)
    Client().get(path, follow=True)
    action.refresh_from_db()
    assert action.count == 2
