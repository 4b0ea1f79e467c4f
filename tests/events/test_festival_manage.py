"""Leads create, edit and publish festivals (e.g. Derby Peace Week) themselves."""

import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Festival
from tests.groups.factories import LocalGroupFactory
from tests.partners.factories import PartnerFactory
from tests.queries import SESSION

from .conftest import login_as
from .factories import EventFactory, FestivalFactory

CREATE = reverse("events:festival_create", args=["derby"])
# Who must not manage a festival hosted by Derby: anonymous visitors are sent to sign in.
OUTSIDERS = [
    ("anonymous", 302),
    ("activist", 404),
    ("member", 404),
    ("other_lead", 404),
    ("rep", 404),
]


def _form(**overrides):
    data = {
        "name": "Derby Peace Week",
        "starts_on": "2027-06-05",
        "ends_on": "2027-06-11",
        "description": "A week of workshops, films and football.",
    }
    data.update(overrides)
    return data


def _edit(festival):
    return reverse("events:festival_edit", args=[festival.slug])


def _publish(festival):
    return reverse("events:festival_publish", args=[festival.slug])


def test_lead_creates_draft_festival_with_cohosts_and_partners(client, people):
    sanctuary, restore = PartnerFactory(name="City of Sanctuary"), PartnerFactory(name="RESTORE")
    client.force_login(people.lead)
    data = _form(cohost_groups=[people.other_group.pk], partners=[sanctuary.pk, restore.pk])
    response = client.post(CREATE, data)
    festival = Festival.objects.get()
    assert response.status_code == 302
    assert response["Location"] == festival.get_absolute_url()
    assert (
        festival.name,
        festival.slug,
        festival.starts_on,
        festival.ends_on,
        festival.description,
        festival.status,
        festival.image.name,
    ) == (
        "Derby Peace Week",
        "derby-peace-week-2027",
        date(2027, 6, 5),
        date(2027, 6, 11),
        "A week of workshops, films and football.",
        Festival.Status.DRAFT,
        "",
    )
    # Leicester is invited, not a host until one of its leads accepts.
    assert list(festival.host_groups.all()) == [people.group]
    invitation = festival.cohost_invitations.get()
    assert (invitation.group, invitation.status) == (people.other_group, "pending")
    assert set(festival.partners.all()) == {sanctuary, restore}


def test_creating_group_always_hosts_and_slugs_stay_unique(client, people):
    client.force_login(people.lead)
    client.post(CREATE, _form(name="Derby Peace Week 2027"))
    client.post(CREATE, _form(name="Derby Peace Week 2027"))
    festivals = list(Festival.objects.order_by("pk"))
    # The year is in the name already, so it is not added twice.
    assert [f.slug for f in festivals] == ["derby-peace-week-2027", "derby-peace-week-2027-2"]
    assert [list(f.host_groups.all()) for f in festivals] == [[people.group], [people.group]]


def test_only_active_groups_and_partners_are_offered(client, people):
    closed = LocalGroupFactory(is_active=False)
    gone = PartnerFactory(is_active=False)
    client.force_login(people.lead)
    response = client.post(CREATE, _form(cohost_groups=[closed.pk], partners=[gone.pk]))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"cohost_groups", "partners"}
    groups = response.context["form"].fields["cohost_groups"].queryset
    assert people.group not in groups and people.other_group in groups
    assert not Festival.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2027-06-04"}, "ends_on", "on or after the first day"),
        ({"ends_on": "2027-07-06"}, "ends_on", "at most 31 days; this one would last 32"),
        ({"starts_on": "1999-06-05", "ends_on": "1999-06-06"}, "starts_on", "before 2000"),
        ({"starts_on": "2099-06-05", "ends_on": "2099-06-06"}, "starts_on", "2 years ahead"),
        ({"starts_on": "2027-02-30"}, "starts_on", "Enter a valid date"),
        ({"ends_on": ""}, "ends_on", "required"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_festival_form_rejects_bad_input(client, people, overrides, field, message):
    client.force_login(people.lead)
    response = client.post(CREATE, _form(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split(";")[0] in response.content.decode()
    assert not Festival.objects.exists()


def test_festival_may_last_exactly_31_days(client, people):
    client.force_login(people.lead)
    client.post(CREATE, _form(starts_on="2027-07-01", ends_on="2027-07-31"))
    assert Festival.objects.get().ends_on == date(2027, 7, 31)


def test_festival_image_is_checked_like_an_event_image(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people.lead)
    fake = SimpleUploadedFile("poster.png", b"not an image", content_type="image/png")
    response = client.post(CREATE, _form(image=fake))
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert not Festival.objects.exists()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, "PNG")
    poster = SimpleUploadedFile("poster.png", buffer.getvalue(), content_type="image/png")
    client.post(CREATE, _form(image=poster, image_alt="A navy square"))
    festival = Festival.objects.get()
    assert festival.image.name.startswith("festivals/festival-")  # re-encoded, our name
    assert (tmp_path / festival.image.name).exists()


@pytest.mark.parametrize(("who", "status"), [*OUTSIDERS, ("staff", 404)])
def test_only_the_groups_leads_create_festivals(client, people, who, status):
    login_as(client, people, who)
    assert client.get(CREATE).status_code == status
    assert client.post(CREATE, _form()).status_code == status
    assert not Festival.objects.exists()


def test_festival_for_an_unknown_group_is_404(client, people):
    client.force_login(people.lead)
    url = reverse("events:festival_create", args=["nowhere"])
    assert client.post(url, _form()).status_code == 404


def test_draft_is_hidden_until_published_then_back_to_draft(client, people):
    festival = FestivalFactory(status=Festival.Status.DRAFT, host_groups=[people.group])
    assert client.get(festival.get_absolute_url()).status_code == 404
    client.force_login(people.lead)
    assert client.get(festival.get_absolute_url()).status_code == 200
    response = client.post(_publish(festival), {"status": "published"})
    assert response["Location"] == festival.get_absolute_url()
    festival.refresh_from_db()
    assert festival.status == Festival.Status.PUBLISHED
    client.logout()
    assert client.get(festival.get_absolute_url()).status_code == 200
    client.force_login(people.lead)
    client.post(_publish(festival), {"status": "draft"})
    festival.refresh_from_db()
    assert festival.status == Festival.Status.DRAFT
    client.logout()
    assert client.get(festival.get_absolute_url()).status_code == 404


def test_publish_wants_post_and_a_known_status(client, people):
    festival = FestivalFactory(status=Festival.Status.DRAFT, host_groups=[people.group])
    client.force_login(people.lead)
    assert client.get(_publish(festival)).status_code == 405
    assert client.post(_publish(festival), {"status": "live"}).status_code == 400
    assert client.post(_publish(festival)).status_code == 400
    missing = reverse("events:festival_publish", args=["no-such-festival"])
    assert client.post(missing, {"status": "published"}).status_code == 404
    assert client.get(reverse("events:festival_edit", args=["no-such-festival"])).status_code == 404
    festival.refresh_from_db()
    assert festival.status == Festival.Status.DRAFT


@pytest.mark.parametrize(("who", "status"), OUTSIDERS)
def test_outsiders_cannot_edit_or_publish(client, people, who, status):
    festival = FestivalFactory(
        name="Peace Week", status=Festival.Status.DRAFT, host_groups=[people.group]
    )
    login_as(client, people, who)
    assert client.get(_edit(festival)).status_code == status
    assert client.post(_edit(festival), _form(name="Hijacked")).status_code == status
    assert client.post(_publish(festival), {"status": "published"}).status_code == status
    festival.refresh_from_db()
    assert (festival.name, festival.status) == ("Peace Week", Festival.Status.DRAFT)


def test_cohost_lead_edits_and_keeps_their_group_as_host(client, people):
    sanctuary = PartnerFactory(name="City of Sanctuary")
    # A partner that has since closed stays on the festival when the form is saved.
    old_friend = PartnerFactory(name="Old friend")
    festival = FestivalFactory(
        name="Peace Week",
        slug="peace-week",
        status=Festival.Status.PUBLISHED,
        host_groups=[people.group, people.other_group],
    )
    festival.partners.add(old_friend)
    old_friend.is_active = False
    old_friend.save()
    client.force_login(people.other_lead)
    response = client.get(_edit(festival))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["cohost_groups"] == [people.group.pk]
    assert people.other_group not in form.fields["cohost_groups"].queryset
    data = _form(name="Derby and Leicester Peace Week", partners=[sanctuary.pk, old_friend.pk])
    response = client.post(_edit(festival), data)
    assert response["Location"] == festival.get_absolute_url()
    festival.refresh_from_db()
    assert (festival.name, festival.slug, festival.starts_on, festival.status) == (
        "Derby and Leicester Peace Week",
        "peace-week",
        date(2027, 6, 5),
        Festival.Status.PUBLISHED,
    )
    # Derby was left out of the co-hosts, so it no longer hosts; Leicester always does.
    assert list(festival.host_groups.all()) == [people.other_group]
    assert set(festival.partners.all()) == {sanctuary, old_friend}


def test_staff_edit_any_festival_and_must_keep_a_host(client, people):
    festival = FestivalFactory(status=Festival.Status.DRAFT, host_groups=[people.group])
    client.force_login(people.staff)
    assert client.get(festival.get_absolute_url()).status_code == 200
    response = client.post(_edit(festival), _form())
    assert response.status_code == 200
    assert response.context["form"].errors["cohost_groups"] == ["This field is required."]
    client.post(_edit(festival), _form(cohost_groups=[people.other_group.pk]))
    assert list(festival.host_groups.all()) == [people.other_group]
    client.post(_publish(festival), {"status": "published"})
    festival.refresh_from_db()
    assert festival.status == Festival.Status.PUBLISHED


def test_edit_rejects_bad_dates_and_changes_nothing(client, people):
    festival = FestivalFactory(name="Peace Week", host_groups=[people.group])
    starts_on = festival.starts_on
    client.force_login(people.lead)
    response = client.post(_edit(festival), _form(ends_on="2027-07-30"))
    assert response.status_code == 200
    assert "at most 31 days" in response.context["form"].errors["ends_on"][0]
    festival.refresh_from_db()
    assert (festival.name, festival.starts_on) == ("Peace Week", starts_on)


def test_markdown_description_is_sanitised_on_the_page(client, people):
    client.force_login(people.lead)
    client.post(CREATE, _form(description="**Bring friends** <script>alert('x')</script>"))
    festival = Festival.objects.get()
    html = client.get(festival.get_absolute_url()).content.decode()
    assert "<strong>Bring friends</strong>" in html
    assert "<script>alert" not in html


def test_festival_page_gives_leads_their_tools(client, people):
    festival = FestivalFactory(status=Festival.Status.DRAFT, host_groups=[people.group])
    client.force_login(people.lead)
    html = client.get(festival.get_absolute_url()).content.decode()
    assert f'href="{_edit(festival)}"' in html
    assert f'action="{_publish(festival)}"' in html and 'value="published"' in html
    add_session = f"{reverse('events:create', args=['derby'])}?festival={festival.pk}"
    assert f'href="{add_session}"' in html
    assert reverse("events:festival_copy", args=[festival.slug]) in html
    festival.status = Festival.Status.PUBLISHED
    festival.save()
    assert 'value="draft"' in client.get(festival.get_absolute_url()).content.decode()
    client.force_login(people.member)
    html = client.get(festival.get_absolute_url()).content.decode()
    assert _edit(festival) not in html and _publish(festival) not in html


def test_add_a_session_preselects_the_festival(client, people):
    festival = FestivalFactory(host_groups=[people.group])
    client.force_login(people.lead)
    url = reverse("events:create", args=["derby"])

    def festival_select(query):
        response = client.get(f"{url}?festival={query}")
        assert response.status_code == 200
        return re.search(r'<select name="festival".*?</select>', response.content.decode(), re.S)[0]

    assert f'<option value="{festival.pk}" selected>' in festival_select(festival.pk)
    for junk in ("abc", "99999999999999999999999"):
        assert "selected" not in festival_select(junk)


def test_group_page_offers_leads_a_new_festival(client, people):
    client.force_login(people.lead)
    html = client.get(people.group.get_absolute_url()).content.decode()
    assert f'href="{CREATE}"' in html
    client.force_login(people.member)
    assert CREATE not in client.get(people.group.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_create_page_constant_queries(client, people, django_assert_num_queries, count):
    for _ in range(count):
        PartnerFactory()
        LocalGroupFactory()
    client.force_login(people.lead)
    client.get("/")
    with django_assert_num_queries(4 + SESSION):
        response = client.get(CREATE)
    form = response.context["form"]
    assert len(form.fields["partners"].queryset) == count
    # Derby's own group is not offered; Leicester and the new ones are.
    assert len(form.fields["cohost_groups"].queryset) == count + 1


@pytest.mark.parametrize("count", [1, 3])
def test_edit_page_constant_queries(client, people, django_assert_num_queries, count):
    festival = FestivalFactory(host_groups=[people.group])
    for _ in range(count):
        festival.partners.add(PartnerFactory())
        festival.host_groups.add(LocalGroupFactory())
        EventFactory(festival=festival, group=people.group)
    client.force_login(people.lead)
    client.get("/")
    with django_assert_num_queries(7 + SESSION):
        response = client.get(_edit(festival))
    form = response.context["form"]
    assert len(form.initial["partners"]) == count
    assert len(form.initial["cohost_groups"]) == count


def test_a_draft_festival_is_not_named_on_its_published_sessions(client, people):
    festival = FestivalFactory(
        name="Peace Week 2027", status=Festival.Status.DRAFT, host_groups=[people.group]
    )
    session = EventFactory(group=people.group, festival=festival, title="Football for peace")
    link = f'href="{festival.get_absolute_url()}"'

    public = client.get(session.get_absolute_url()).content.decode()
    listing = client.get(reverse("events:list")).content.decode()
    assert "Football for peace" in listing
    assert "Peace Week 2027" not in public
    assert "Peace Week 2027" not in listing

    client.force_login(people.lead)
    lead_view = client.get(session.get_absolute_url()).content.decode()
    assert link in lead_view
    assert "a draft festival: only its hosts' leads see it" in lead_view

    client.post(_publish(festival), {"status": "published"})
    client.logout()
    public = client.get(session.get_absolute_url()).content.decode()
    assert link in public
    assert "a draft festival" not in public
    listing = client.get(reverse("events:list")).content.decode()
    assert f'part of <a href="{festival.get_absolute_url()}">Peace Week 2027</a>' in listing
