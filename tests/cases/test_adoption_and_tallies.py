from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseAdoption, OfflineTally
from events.models import Event
from tests.cases.factories import CaseFactory, TargetFactory, UrgentActionFactory, no_limit
from tests.events.factories import EventFactory, VenueFactory
from tests.events.test_lead import _form
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    return CaseFactory(slug="student")


# --- adoption ---------------------------------------------------------------------------


def test_lead_adopts_a_case_for_their_group(client, people, case):
    client.force_login(people.lead)
    response = client.post(reverse("cases:adopt", args=["student"]), {"group": people.group.pk})
    assert response.status_code == 302
    client.post(reverse("cases:adopt", args=["student"]), {"group": people.group.pk})
    adoption = CaseAdoption.objects.get()
    assert (adoption.group, adoption.adopted_by) == (people.group, people.lead)
    case.refresh_from_db()
    assert case.groups_count == 1
    page = client.get(reverse("cases:detail", args=["student"])).content.decode()
    assert "Stop adopting it for" in page
    assert '<a href="/groups/derby/">Derby</a>' in page


def test_only_a_lead_adopts_and_only_for_their_own_group(client, people, case):
    for who in ("member", "rep", "activist", "staff"):
        client.force_login(getattr(people, who))
        url = reverse("cases:adopt", args=["student"])
        assert client.post(url, {"group": people.group.pk}).status_code == 403, who
    client.force_login(people.other_lead)
    client.post(reverse("cases:adopt", args=["student"]), {"group": people.group.pk})
    assert CaseAdoption.objects.count() == 0


def test_lead_stops_adopting(client, people, case):
    client.force_login(people.lead)
    client.post(reverse("cases:adopt", args=["student"]), {"group": people.group.pk})
    client.force_login(people.other_lead)
    url = reverse("cases:unadopt", args=["student"])
    assert client.post(url, {"group": people.group.pk}).status_code == 403
    client.force_login(people.lead)
    client.post(url, {"group": people.group.pk})
    assert CaseAdoption.objects.count() == 0
    case.refresh_from_db()
    assert case.groups_count == 0


def test_paused_or_released_case_cannot_be_adopted(client, people):
    for status in (Case.Status.PAUSED, Case.Status.RELEASED):
        CaseFactory(slug=status, status=status)
        client.force_login(people.lead)
        client.post(reverse("cases:adopt", args=[status]), {"group": people.group.pk})
    assert CaseAdoption.objects.count() == 0


# --- offline tallies from event reports -----------------------------------------------


def _past_event(group, cases, days_ago=2):
    start = timezone.now() - timedelta(days=days_ago)
    event = EventFactory(
        group=group, title="Write for Rights", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    event.cases.set(cases)
    return event


def _file(client, event, **tallies):
    data = {"attendance": 20, "new_contacts": 3}
    for case, (letters, cards) in tallies.items():
        pk = Case.objects.get(slug=case).pk
        data[f"letters_{pk}"], data[f"cards_{pk}"] = letters, cards
    return client.post(reverse("events:report", args=[event.slug]), data)


def test_event_report_adds_paper_letters_and_cards_to_each_case(client, people, case):
    other = CaseFactory(slug="journalist")
    urgent_action = UrgentActionFactory(case=case)
    event = _past_event(people.group, [case, other])
    client.force_login(people.lead)
    form = client.get(reverse("events:report", args=[event.slug])).context["form"]
    assert f"letters_{case.pk}" in form.fields
    assert _file(client, event, student=(40, 25), journalist=(7, 0)).status_code == 302
    case.refresh_from_db()
    other.refresh_from_db()
    assert (case.letters_offline, case.cards_offline) == (40, 25)
    assert (other.letters_offline, other.cards_offline) == (7, 0)
    tally = OfflineTally.objects.get(case=case)
    assert (tally.group, tally.urgent_action, tally.source_key) == (
        people.group,
        urgent_action,
        f"event:{event.pk}",
    )
    page = client.get(reverse("cases:detail", args=["student"])).content.decode()
    assert "40 (0 online, 40 on paper at events, counted offline)" in page
    assert "25 (0 online, 25 cards on paper, counted offline)" in page


def test_filing_the_report_again_replaces_its_tallies(client, people, case):
    event = _past_event(people.group, [case])
    client.force_login(people.lead)
    _file(client, event, student=(40, 25))
    form = client.get(reverse("events:report", args=[event.slug])).context["form"]
    assert form[f"letters_{case.pk}"].value() == 40
    _file(client, event, student=(35, 30))
    case.refresh_from_db()
    assert (case.letters_offline, case.cards_offline) == (35, 30)
    assert OfflineTally.objects.count() == 1


def test_tallies_of_several_events_and_online_letters_add_up(client, people, case):
    target = TargetFactory(urgent_action=UrgentActionFactory(case=case))
    for writer in UserFactory.create_batch(2):
        services.send_letter(
            urgent_action=target.urgent_action,
            target=target,
            user=writer,
            body="Dear.",
            within_limits=no_limit,
        )
    client.force_login(people.lead)
    _file(client, _past_event(people.group, [case], days_ago=2), student=(10, 1))
    _file(client, _past_event(people.group, [case], days_ago=9), student=(5, 2))
    case.refresh_from_db()
    assert (case.letters_online, case.letters_offline, case.letters_total) == (2, 15, 17)
    assert (case.cards_offline, case.solidarity_total) == (3, 3)


def test_report_without_cases_asks_for_no_tallies(client, people):
    event = _past_event(people.group, [])
    client.force_login(people.lead)
    form = client.get(reverse("events:report", args=[event.slug])).context["form"]
    assert [name for name in form.fields if name.startswith(("letters_", "cards_"))] == []


def test_negative_tally_is_a_form_error(client, people, case):
    event = _past_event(people.group, [case])
    client.force_login(people.lead)
    assert _file(client, event, student=(-1, 0)).status_code == 200
    assert OfflineTally.objects.count() == 0


def test_rep_sees_the_tallies_on_the_report(client, people, case):
    event = _past_event(people.group, [case])
    client.force_login(people.lead)
    _file(client, event, student=(12, 4))
    client.force_login(people.rep)
    page = client.get(reverse("events:report", args=[event.slug])).content.decode()
    assert "12 letters, 4 solidarity cards" in page


def test_event_page_names_its_published_cases(client, people, case):
    draft = CaseFactory(real_name="Drafty Case", is_published=False)
    event = _past_event(people.group, [case, draft])
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert f'Writing for: <a href="/cases/student/">{case.public_name}</a>' in page
    assert "Drafty Case" not in page


def test_lead_links_an_event_to_open_published_cases(client, people, case):
    paused = CaseFactory(status=Case.Status.PAUSED)
    client.force_login(people.lead)
    form = client.get(reverse("events:create", args=["derby"])).context["form"]
    assert list(form.fields["cases"].queryset) == [case]
    data = _form(VenueFactory(), title="Write for Rights", cases=[case.pk])
    client.post(reverse("events:create", args=["derby"]), data)
    event = Event.objects.get(title="Write for Rights")
    assert list(event.cases.all()) == [case]
    data = _form(VenueFactory(), title="Write for Rights", cases=[paused.pk])
    response = client.post(reverse("events:edit", args=[event.slug]), data)
    assert response.status_code == 200
    assert "cases" in response.context["form"].errors
