import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import Action
from cases import services
from cases.models import AppealLetter, Case, CaseParticipant, UrgentAction
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.campaigns.factories import ActionFactory
from tests.cases.factories import CaseFactory, TargetFactory, UrgentActionFactory, no_limit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def target():
    urgent_action = UrgentActionFactory(
        case=CaseFactory(slug="student"),
        reference="UA 12/26",
        title="Free the student",
        letter_template="Please release the student at once.",
    )
    return TargetFactory(
        urgent_action=urgent_action,
        name="Minister of Justice",
        salutation="Your Excellency",
        address="Ministry of Justice\n1 Palace Road\nStrelsau",
        email="minister@justice.example.org",
    )


def write_url(target) -> str:
    urgent_action = target.urgent_action
    return reverse("cases:write", args=[urgent_action.case.slug, urgent_action.pk, target.pk])


def counts(target) -> tuple[int, int, int]:
    urgent_action = UrgentAction.objects.get(pk=target.urgent_action_id)
    case = Case.objects.get(pk=urgent_action.case_id)
    return urgent_action.letter_count, case.letters_online, case.people_count


def test_letter_starts_from_the_targets_salutation(client, target):
    client.force_login(UserFactory())
    form = client.get(write_url(target)).context["form"]
    assert form["body"].value() == (
        "Your Excellency,\n\nPlease release the student at once.\n\nYours sincerely,"
    )


def test_letter_by_email_goes_through_the_outbox_with_the_writer_as_reply_to(client, target):
    writer = UserFactory(email="wren@example.org", display_name="Wren Writer")
    client.force_login(writer)
    response = client.post(
        write_url(target), {"body": "Your Excellency,\n\nMy words.", "how": "email"}
    )
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.dedupe_key == f"cases-letter:{AppealLetter.objects.get().pk}"
    assert deliver_outbox_message(message_id=message.pk) == "sent"
    sent = mail.outbox[0]
    assert sent.to == ["minister@justice.example.org"]
    assert sent.extra_headers["Reply-To"] == "wren@example.org"
    assert sent.subject == "UA 12/26: Free the student"
    assert sent.body.startswith("Your Excellency,\n\nMy words.\n\nWren Writer\n")
    assert counts(target) == (1, 1, 1)
    letter = AppealLetter.objects.get()
    assert (letter.status, letter.method, letter.body) == ("sent", "email", "")
    assert CaseParticipant.objects.get().user == writer


def test_replayed_letter_is_sent_and_counted_once(client, target):
    client.force_login(UserFactory())
    for _ in range(3):
        client.post(write_url(target), {"body": "Dear Minister.", "how": "email"})
    assert OutboxMessage.objects.count() == 1
    assert counts(target) == (1, 1, 1)


def test_letter_limit_per_writer_is_spent_only_by_letters_sent(client, settings):
    settings.RATE_LIMITS = {"letters_from_user": "2/d", "letters_to_target": "100/d"}
    writer = UserFactory()
    client.force_login(writer)
    targets = TargetFactory.create_batch(3)
    first = write_url(targets[0])
    statuses = [client.post(first, {"body": "Dear.", "how": "email"}).status_code for _ in range(4)]
    statuses.append(
        client.post(write_url(targets[1]), {"body": "Dear.", "how": "email"}).status_code
    )
    refused = client.post(write_url(targets[2]), {"body": "Dear, kept.", "how": "email"})
    assert statuses == [302, 302, 302, 302, 302]
    assert refused.status_code == 429
    assert "Dear, kept." in refused.content.decode()  # nothing typed is lost
    assert "print your letter and post it" in refused.content.decode()
    assert OutboxMessage.objects.count() == 2
    assert AppealLetter.objects.filter(target=targets[2]).exists() is False


def test_letter_limit_per_target_address(client, settings, target):
    settings.RATE_LIMITS = {"letters_from_user": "10/d", "letters_to_target": "2/d"}
    statuses = []
    for _ in range(3):
        client.force_login(UserFactory())
        statuses.append(
            client.post(write_url(target), {"body": "Dear.", "how": "email"}).status_code
        )
    assert statuses == [302, 302, 429]
    assert OutboxMessage.objects.filter(to="minister@justice.example.org").count() == 2
    assert counts(target) == (2, 2, 2)


def test_case_letters_share_the_daily_budget_of_campaign_letters(client, settings, target):
    settings.RATE_LIMITS = {"letters_from_user": "1/d", "letters_to_target": "100/d"}
    client.force_login(UserFactory())
    action = ActionFactory(kind=Action.Kind.WRITE, campaign__target_email="mp@parliament.example")
    client.post(
        reverse("campaigns:take", args=[action.campaign.slug, action.pk]),
        {"subject": "Hi", "body": "Please."},
    )
    assert client.post(write_url(target), {"body": "Dear.", "how": "email"}).status_code == 429


def test_print_letter_shows_the_address_block_and_counts_when_posted(client, target):
    writer = UserFactory(display_name="Pat Poster")
    client.force_login(writer)
    response = client.post(
        write_url(target), {"body": "Your Excellency,\n\nPrinted words.", "how": "print"}
    )
    letter = AppealLetter.objects.get()
    assert response["Location"] == reverse("cases:letter_print", args=[letter.pk])
    assert (letter.status, letter.method) == ("printed", "post")
    assert counts(target) == (0, 0, 0)
    page = client.get(response["Location"]).content.decode()
    address = "Minister of Justice<br>Public Prosecutor<br>Ministry of Justice<br>1 Palace Road"
    assert f"{address}<br>Strelsau</address>" in page
    assert "Printed words." in page
    assert "Re: UA 12/26" in page
    assert "Pat Poster" in page
    assert "I posted it" in page

    posted = reverse("cases:letter_posted", args=[letter.pk])
    client.post(posted)
    client.post(posted)
    letter.refresh_from_db()
    assert (letter.status, letter.body) == ("posted", "")
    assert letter.counted_at is not None
    assert counts(target) == (1, 1, 1)
    assert OutboxMessage.objects.count() == 0
    assert "This letter is counted" in client.get(response["Location"]).content.decode()


def test_printed_letter_can_be_sent_by_email_instead_and_counts_once(client, target):
    client.force_login(UserFactory())
    client.post(write_url(target), {"body": "Draft.", "how": "print"})
    client.post(write_url(target), {"body": "Final.", "how": "email"})
    letter = AppealLetter.objects.get()
    assert (letter.status, letter.method, letter.body) == ("sent", "email", "")
    assert client.post(reverse("cases:letter_posted", args=[letter.pk])).status_code == 302
    assert counts(target) == (1, 1, 1)
    assert OutboxMessage.objects.get().body_text.startswith("Final.")


def test_target_without_email_is_print_only(client):
    target = TargetFactory(email="")
    client.force_login(UserFactory())
    page = client.get(write_url(target)).content.decode()
    assert "Send it by email" not in page
    assert "has no published email address" in page
    client.post(write_url(target), {"body": "Dear.", "how": "email"})
    assert AppealLetter.objects.get().status == "printed"
    assert OutboxMessage.objects.count() == 0


def test_someone_elses_printed_letter_is_a_404(client, target):
    client.force_login(UserFactory())
    client.post(write_url(target), {"body": "Mine.", "how": "print"})
    letter = AppealLetter.objects.get()
    client.force_login(UserFactory())
    assert client.get(reverse("cases:letter_print", args=[letter.pk])).status_code == 404
    assert client.post(reverse("cases:letter_posted", args=[letter.pk])).status_code == 404
    assert counts(target) == (0, 0, 0)


def test_empty_letter_is_a_form_error(client, target):
    client.force_login(UserFactory())
    response = client.post(write_url(target), {"body": "", "how": "email"})
    assert response.status_code == 400
    assert AppealLetter.objects.count() == 0


def test_writing_needs_a_verified_account(client, target):
    response = client.get(write_url(target))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory(email_verified=False))
    assert client.post(write_url(target), {"body": "x", "how": "email"}).status_code == 302
    assert AppealLetter.objects.count() == 0


def test_no_letter_once_the_case_is_paused(client, target):
    writer = UserFactory()
    Case.objects.filter(pk=target.urgent_action.case_id).update(status=Case.Status.PAUSED)
    target.urgent_action.case.refresh_from_db()
    client.force_login(writer)
    client.post(write_url(target), {"body": "Dear.", "how": "email"})
    assert AppealLetter.objects.count() == 0
    with pytest.raises(services.CaseError):
        services.send_letter(
            urgent_action=target.urgent_action,
            target=target,
            user=writer,
            body="Dear.",
            within_limits=no_limit,
        )


def test_letter_content_and_writer_are_never_shown_publicly(client, target):
    client.force_login(UserFactory(display_name="Quentin Quietwriter"))
    client.post(write_url(target), {"body": "Very private words.", "how": "email"})
    client.logout()
    urgent_action = target.urgent_action
    for url in [
        reverse("cases:detail", args=[urgent_action.case.slug]),
        reverse("cases:action", args=[urgent_action.case.slug, urgent_action.pk]),
        reverse("cases:feed"),
    ]:
        body = client.get(url).content.decode()
        assert "Very private words." not in body
        assert "Quentin Quietwriter" not in body
    assert (
        "1 letter online"
        in client.get(
            reverse("cases:action", args=[urgent_action.case.slug, urgent_action.pk])
        ).content.decode()
    )
