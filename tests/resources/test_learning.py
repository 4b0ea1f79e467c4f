"""The curriculum: completion is recorded only with the person's consent (asked at the
first completion), at a check-in, from the report's attendance, or by self-study; reps see
counts per module per group, and names only of those who agreed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.forms import EventForm
from events.models import RSVP, Event
from front.account_data import collect_personal_data
from portal.models import OutboxMessage
from resources import learning, review, services
from resources.dashboard import my_portal_block
from resources.models import Completion, LearningRecordChoice
from tests.events.conftest import deliver_outbox
from tests.events.factories import EventFactory, RSVPFactory
from tests.factories import UserFactory
from tests.groups.factories import MembershipFactory

from .factories import ModuleFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _training(group, *modules, **fields):
    event = EventFactory(group=group, kind=Event.Kind.TRAINING, **fields)
    event.modules.set(modules)
    return event


def _check_in(client, event, rsvp):
    return client.post(reverse("events:check_in_toggle", args=[event.slug, rsvp.pk]))


def test_check_in_asks_once_and_stores_nothing_until_the_person_agrees(client, people):
    module = ModuleFactory(title="Power mapping")
    event = _training(people.group, module)
    rsvp = RSVPFactory(event=event, user=people.member)
    client.force_login(people.lead)
    response = _check_in(client, event, rsvp)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        f"{people.member.public_name}: came. We've asked them whether to keep a learning record."
    ]
    assert Completion.objects.count() == 0
    _check_in(client, event, rsvp)  # out
    _check_in(client, event, rsvp)  # and in again: asked only once
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people.member.email], "Shall we keep your learning record?")
    ]
    assert Completion.objects.count() == 0


def test_agreeing_later_records_what_was_already_done(client, people):
    module = ModuleFactory()
    event = _training(people.group, module)
    rsvp = RSVPFactory(event=event, user=people.member)
    event_services.set_check_in(rsvp=rsvp, came=True)
    client.force_login(people.member)
    response = client.post(
        reverse("resources:learning_record"), {"keep_record": "yes", "visible_to_region": "on"}
    )
    assert response.status_code == 302
    completion = Completion.objects.get()
    assert (completion.user, completion.module, completion.how, completion.event_id) == (
        people.member,
        module,
        Completion.How.EVENT,
        event.pk,
    )
    assert LearningRecordChoice.objects.get(user=people.member).visible_to_region is True


def test_no_record_means_nothing_stored_and_withdrawing_deletes_it(people):
    module, other = ModuleFactory(), ModuleFactory()
    learning.decide_learning_record(user=people.member, keep=False)
    rsvp = RSVPFactory(event=_training(people.group, module), user=people.member)
    assert event_services.set_check_in(rsvp=rsvp, came=True)[2] == "not_kept"
    assert Completion.objects.count() == 0
    assert OutboxMessage.objects.count() == 0  # never asked: they already said no
    learning.decide_learning_record(user=people.member, keep=True)
    assert Completion.objects.filter(user=people.member, module=module).count() == 1
    rsvp2 = RSVPFactory(event=_training(people.group, other), user=people.member)
    assert event_services.set_check_in(rsvp=rsvp2, came=True)[2] == "recorded"
    learning.decide_learning_record(user=people.member, keep=False)
    assert Completion.objects.count() == 0


def test_undoing_a_check_in_undoes_its_completion(people):
    module = ModuleFactory()
    learning.decide_learning_record(user=people.member, keep=True)
    rsvp = RSVPFactory(event=_training(people.group, module), user=people.member)
    event_services.set_check_in(rsvp=rsvp, came=True)
    assert Completion.objects.count() == 1
    event_services.set_check_in(rsvp=rsvp, came=False)
    assert Completion.objects.count() == 0


def test_report_attendance_records_completion_for_those_ticked(client, people):
    module = ModuleFactory()
    start = timezone.now() - timedelta(hours=3)
    event = _training(people.group, module, starts_at=start, ends_at=start + timedelta(hours=2))
    came, absent = UserFactory(), UserFactory()
    for user in (came, absent):
        learning.decide_learning_record(user=user, keep=True)
    came_rsvp = RSVPFactory(event=event, user=came)
    absent_rsvp = RSVPFactory(event=event, user=absent, checked_in_at=start)
    client.force_login(people.lead)
    form = client.get(reverse("events:report", args=[event.slug])).context["form"]
    assert form.initial["came"] == [absent_rsvp.pk]  # who was checked in
    client.post(
        reverse("events:report", args=[event.slug]),
        {"attendance": "1", "new_contacts": "0", "came": [came_rsvp.pk]},
    )
    assert list(Completion.objects.values_list("user", flat=True)) == [came.pk]
    assert RSVP.objects.get(pk=came_rsvp.pk).checked_in_at == event.starts_at
    assert RSVP.objects.get(pk=absent_rsvp.pk).checked_in_at is None


def test_report_of_an_event_without_modules_asks_no_names(client, people):
    start = timezone.now() - timedelta(hours=3)
    event = EventFactory(group=people.group, starts_at=start, ends_at=start + timedelta(hours=1))
    client.force_login(people.lead)
    form = client.get(reverse("events:report", args=[event.slug])).context["form"]
    assert "came" not in form.fields


def test_modules_only_for_training_events(people):
    module = ModuleFactory()
    start = timezone.localtime(timezone.now() + timedelta(days=10)).replace(minute=0)
    data = {
        "title": "Stall skills",
        "kind": "workshop",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "mode": "online",
        "online_url": "https://meet.example.org/x",
        "visibility": "public",
        "modules": [module.pk],
    }
    form = EventForm(data, group=people.group)
    assert form.errors["modules"] == ["Only a training event covers curriculum modules."]
    assert EventForm({**data, "kind": "training"}, group=people.group).is_valid()


def test_self_study_asks_for_the_record_first_then_marks_done(client, people):
    module = ModuleFactory(self_study=True, title="Running a stall safely")
    client.force_login(people.activist)
    response = client.post(reverse("resources:module_done", args=[module.slug]))
    assert response["Location"] == f"{reverse('resources:learning_record')}?module={module.slug}"
    assert Completion.objects.count() == 0
    client.post(reverse("resources:learning_record"), {"keep_record": "yes", "module": module.slug})
    completion = Completion.objects.get()
    assert (completion.module, completion.how) == (module, Completion.How.SELF_STUDY)
    client.post(reverse("resources:module_undo", args=[module.slug]))
    assert Completion.objects.count() == 0


def test_a_training_only_module_cannot_be_marked_done_alone(people):
    learning.decide_learning_record(user=people.member, keep=True)
    with pytest.raises(learning.LearningError):
        learning.mark_done(user=people.member, module=ModuleFactory(self_study=False))


@pytest.mark.parametrize("count", [1, 3])
def test_my_learning_block_query_count_is_constant(rf, people, django_assert_num_queries, count):
    learning.decide_learning_record(user=people.member, keep=True)
    for _ in range(count):
        learning.mark_done(user=people.member, module=ModuleFactory(self_study=True))
        ModuleFactory(self_study=True)
    request = rf.get("/")
    request.user = people.member
    with django_assert_num_queries(3):
        block = my_portal_block(request)
    assert (len(block["done"]), len(block["self_study"]), block["ask"]) == (count, count, False)


def test_my_learning_block_shows_the_question_when_asked(client, people):
    module = ModuleFactory()
    rsvp = RSVPFactory(event=_training(people.group, module), user=people.member)
    event_services.set_check_in(rsvp=rsvp, came=True)
    request = client.get("/").wsgi_request
    request.user = people.member
    assert my_portal_block(request)["ask"] is True


def test_reps_see_counts_per_module_per_group_and_only_consenting_names(people):
    module, other = ModuleFactory(), ModuleFactory()
    visible = MembershipFactory(group=people.group, user__display_name="Vera Visible").user
    hidden = MembershipFactory(group=people.group, user__display_name="Hal Hidden").user
    learning.decide_learning_record(user=visible, keep=True, visible_to_region=True)
    learning.decide_learning_record(user=hidden, keep=True, visible_to_region=False)
    learning.decide_learning_record(user=people.member, keep=False)
    for user in (visible, hidden, people.member):
        rsvp = RSVPFactory(event=_training(people.group, module), user=user)
        event_services.set_check_in(rsvp=rsvp, came=True)
    other_member = MembershipFactory(group=people.other_group).user
    learning.decide_learning_record(user=other_member, keep=True, visible_to_region=True)
    rsvp = RSVPFactory(event=_training(people.other_group, other), user=other_member)
    event_services.set_check_in(rsvp=rsvp, came=True)
    groups = [people.group, people.other_group]
    assert review.module_counts(groups) == {
        people.group.pk: {module.pk: 2},
        people.other_group.pk: {other.pk: 1},
    }
    names = review.visible_learners(groups)
    assert names[people.group.pk] == {module.pk: ["Vera Visible"]}


def test_review_figures_are_a_fixed_number_of_queries(people, django_assert_num_queries):
    with django_assert_num_queries(2):
        review.module_counts([people.group])
        review.visible_learners([people.group])


def test_data_download_includes_learning_and_subscriptions(people):

    module = ModuleFactory(self_study=True, title="Power mapping")
    learning.decide_learning_record(user=people.member, keep=True)
    learning.mark_done(user=people.member, module=module)
    services.subscribe(user=people.member, resource=ResourceFactory(title="Briefing"))
    data = collect_personal_data(people.member)
    assert data["learning_record_choice"][0]["keep_record"] is True
    assert [row["module"] for row in data["modules_completed"]] == ["Power mapping"]
    assert [row["resource"] for row in data["resource_subscriptions"]] == ["Briefing"]
    people.member.delete()
    assert Completion.objects.count() == 0


def test_review_dashboard_shows_waiting_resources_and_the_curriculum_table(client, people):

    module = ModuleFactory(title="Building a team")
    ResourceFactory(
        title="Derby stall guide",
        status="pending",
        group=people.group,
        submitted_by=people.lead,
    )
    visible = MembershipFactory(group=people.group, user__display_name="Vera Visible").user
    learning.decide_learning_record(user=visible, keep=True, visible_to_region=True)
    rsvp = RSVPFactory(event=_training(people.group, module), user=visible)
    event_services.set_check_in(rsvp=rsvp, came=True)
    client.force_login(people.rep)
    page = client.get(reverse("review:dashboard")).content.decode()
    assert "Derby stall guide" in page
    assert "Building a team" in page
    assert "Vera Visible" in page
    client.force_login(people.other_rep)
    page = client.get(reverse("review:dashboard")).content.decode()
    assert "Derby stall guide" not in page
    assert "Vera Visible" not in page
