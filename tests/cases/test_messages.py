import pytest
from django.core import mail
from django.urls import reverse

from cases import services
from cases.models import Case, CaseModerator, CaseParticipant, SolidarityMessage
from portal.models import OutboxMessage
from portal.services import deliver_outbox_message
from tests.cases.factories import CaseFactory, SolidarityMessageFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = {
    "first_name": "Robin",
    "surname": "Writerson",
    "place": "Derby, UK",
    "body": "You are not alone.",
}


@pytest.fixture
def case():
    return CaseFactory(slug="student", real_name="Sam Student")


@pytest.fixture
def moderator():
    user = UserFactory()
    CaseModerator.objects.create(user=user)
    return user


def decide(client, message, decision, reason=""):
    return client.post(
        reverse("cases:moderate", args=[message.pk]), {"decision": decision, "reason": reason}
    )


def test_message_waits_for_moderation(client, case):
    writer = UserFactory(display_name="Robin W")
    client.force_login(writer)
    assert (
        client.get(reverse("cases:message", args=["student"])).context["form"]["first_name"].value()
        == "Robin"
    )
    response = client.post(reverse("cases:message", args=["student"]), MESSAGE)
    assert response.status_code == 302
    message = SolidarityMessage.objects.get()
    assert (message.status, message.user, message.show_surname) == ("pending", writer, False)
    assert CaseParticipant.objects.filter(case=case, user=writer).count() == 1
    case.refresh_from_db()
    assert (case.messages_approved, case.people_count) == (0, 1)
    page = client.get(reverse("cases:detail", args=["student"])).content.decode()
    assert "Your message: <strong>waiting for moderation</strong>" in page


def test_one_message_per_person_per_case(client, case):
    client.force_login(UserFactory())
    client.post(reverse("cases:message", args=["student"]), MESSAGE)
    client.post(reverse("cases:message", args=["student"]), {**MESSAGE, "body": "Again."})
    assert SolidarityMessage.objects.count() == 1


def test_overlong_message_is_a_form_error(client, case):
    client.force_login(UserFactory())
    response = client.post(
        reverse("cases:message", args=["student"]), {**MESSAGE, "body": "x" * 601}
    )
    assert response.status_code == 400
    assert SolidarityMessage.objects.count() == 0


def test_moderation_queue_is_for_staff_and_moderators_only(client, case, moderator, people):
    SolidarityMessageFactory(case=case, body="Hold on, friend.")
    url = reverse("cases:moderation")
    for user in (people.staff, moderator):
        client.force_login(user)
        assert "Hold on, friend." in client.get(url).content.decode()
    for user in (people.lead, people.rep, people.activist):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_approval_is_logged_counted_and_told_to_the_writer_once(client, case, moderator):
    writer = UserFactory(email="robin@example.org")
    message = SolidarityMessageFactory(case=case, user=writer, first_name="Robin")
    client.force_login(moderator)
    decide(client, message, "approve")
    decide(client, message, "approve")
    message.refresh_from_db()
    assert (message.status, message.decided_by) == ("approved", moderator)
    assert message.decided_at is not None
    case.refresh_from_db()
    assert case.messages_approved == 1
    outbox = OutboxMessage.objects.get()
    assert (outbox.to, outbox.kind) == ("robin@example.org", "cases_message_approved")
    deliver_outbox_message(message_id=outbox.pk)
    assert mail.outbox[0].subject == "Your message for Sam Student is being passed on"
    assert 'signed "Robin"' in mail.outbox[0].body


def test_rejection_needs_a_reason_and_is_logged_without_email(client, case, people):
    message = SolidarityMessageFactory(case=case)
    client.force_login(people.staff)
    decide(client, message, "reject")
    message.refresh_from_db()
    assert message.status == "pending"
    decide(client, message, "reject", "Mentions the prison.")
    message.refresh_from_db()
    assert (message.status, message.decided_by) == ("rejected", people.staff)
    assert message.decision_reason == "Mentions the prison."
    assert OutboxMessage.objects.count() == 0
    assert Case.objects.get(pk=case.pk).messages_approved == 0


def test_a_decision_is_final(case, moderator, people):
    message = SolidarityMessageFactory(case=case)
    assert services.reject_message(message=message, by=moderator, reason="No.") is True
    assert services.approve_message(message=message, by=people.staff) is False
    message.refresh_from_db()
    assert (message.status, message.decided_by) == ("rejected", moderator)


def test_outsiders_cannot_moderate(client, case, people):
    message = SolidarityMessageFactory(case=case)
    client.force_login(people.lead)
    assert decide(client, message, "approve").status_code == 403
    message.refresh_from_db()
    assert message.status == "pending"


def test_printable_batch_has_approved_messages_without_surnames_unless_chosen(
    client, case, moderator
):
    shy = SolidarityMessageFactory(case=case, first_name="Ann", surname="Private", body="Shy.")
    proud = SolidarityMessageFactory(
        case=case, first_name="Bo", surname="Public", show_surname=True, place="Leeds", body="Hi."
    )
    held = SolidarityMessageFactory(case=case, body="Kept back.")
    for message in (shy, proud):
        services.approve_message(message=message, by=moderator)
    services.reject_message(message=held, by=moderator, reason="Unsafe.")
    client.force_login(moderator)
    response = client.post(reverse("cases:compile_batch", args=["student"]))
    assert response["Location"] == reverse("cases:batch_print", args=["student", 1])
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="message-card"') == 2
    assert '<p class="message-signature">Ann</p>' in page
    assert '<p class="message-signature">Bo Public, Leeds</p>' in page
    assert "Private" not in page
    assert "Kept back." not in page
    # Nothing new: no empty second batch.
    client.post(reverse("cases:compile_batch", args=["student"]))
    assert case.solidarity_batches.count() == 1


def test_batches_are_for_staff_and_moderators(client, case, people):
    client.force_login(people.lead)
    assert client.get(reverse("cases:batches", args=["student"])).status_code == 403
    assert client.post(reverse("cases:compile_batch", args=["student"])).status_code == 403
    draft = CaseFactory(slug="draft", is_published=False)
    assert client.get(reverse("cases:batches", args=[draft.slug])).status_code == 404


def test_closed_case_takes_no_messages(client):
    CaseFactory(slug="freed", status=Case.Status.RELEASED)
    client.force_login(UserFactory())
    page = client.get(reverse("cases:message", args=["freed"])).content.decode()
    assert "it is not taking messages now" in page
    client.post(reverse("cases:message", args=["freed"]), MESSAGE)
    assert SolidarityMessage.objects.count() == 0
