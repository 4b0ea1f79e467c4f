"""Browsing, submitting, reviewing, versions, downloads and subscriptions."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal import notifications
from portal.models import BulkRun, OutboxMessage
from resources import services
from resources.files import check_upload
from resources.models import FileVersion, Resource, Subscription
from tests.campaigns.factories import CampaignFactory, TopicFactory
from tests.events.conftest import deliver_outbox
from tests.factories import UserFactory
from tests.queries import SESSION

from .conftest import login_as
from .factories import ResourceFactory, add_pdf, send_news
from .files import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Welcome leaflet",
        "kind": "leaflet",
        "summary": "Say hello to new neighbours.",
        "body": "Fold in **three**.",
        "slogans": "",
        "language": "en",
        "licence": "movement",
    }
    data.update(overrides)
    return data


# --- browsing -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_constant(client, django_assert_num_queries, count):
    for _ in range(count):
        ResourceFactory().topics.add(TopicFactory())
    ResourceFactory(status=Resource.Status.PENDING, title="Not yet")
    # count, page, topics of the page, the campaign filter's choices, the topic choices
    with django_assert_num_queries(5):
        response = client.get(reverse("resources:list"))
    assert len(response.context["page"].object_list) == count
    assert b"Not yet" not in response.content


def test_list_filters_by_kind_topic_campaign_language_and_search(client):
    topic, campaign = TopicFactory(slug="climate"), CampaignFactory(slug="lift-the-ban")
    wanted = ResourceFactory(
        title="Lift the Ban briefing in Welsh", language="cy", body="right to work"
    )
    wanted.topics.add(topic)
    wanted.campaigns.add(campaign)
    ResourceFactory(title="Other briefing", language="cy")
    ResourceFactory(title="A poster", kind=Resource.Kind.POSTER, language="cy")
    query = {
        "kind": "briefing",
        "topic": "climate",
        "campaign": "lift-the-ban",
        "language": "cy",
        "q": "RIGHT TO WORK",
    }
    response = client.get(reverse("resources:list"), query)
    assert [r.title for r in response.context["page"].object_list] == [wanted.title]


def test_list_reports_an_unknown_filter_and_still_filters_by_the_rest(client):
    ResourceFactory(title="A poster", kind=Resource.Kind.POSTER)
    ResourceFactory(title="A briefing")
    response = client.get(reverse("resources:list"), {"kind": "poster", "topic": "nope"})
    assert response.status_code == 200
    assert [r.title for r in response.context["page"].object_list] == ["A poster"]
    assert "topic" in response.context["form"].errors


def test_campaign_page_lists_its_published_resources(client):
    campaign = CampaignFactory()
    ResourceFactory(title="Campaign briefing").campaigns.add(campaign)
    ResourceFactory(title="Waiting one", status=Resource.Status.PENDING).campaigns.add(campaign)
    body = client.get(campaign.get_absolute_url()).content.decode()
    assert "Campaign briefing" in body
    assert "Waiting one" not in body


def test_detail_renders_markdown_sanitised(client):
    resource = ResourceFactory(body="**bold** <script>alert(1)</script>")
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)" not in body


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("activist", 404), ("other_rep", 404), ("other_lead", 404)],
)
def test_pending_submission_is_hidden_from_outsiders(client, people, who, status):
    resource = ResourceFactory(
        status=Resource.Status.PENDING, group=people.group, submitted_by=people.lead
    )
    login_as(client, people, who)
    assert client.get(resource.get_absolute_url()).status_code == status


# --- submitting and reviewing ---------------------------------------------------------


def test_staff_publish_directly_with_a_first_file(
    client, people, django_capture_on_commit_callbacks
):
    fan = UserFactory()
    services.subscribe(user=fan, kind="leaflet")
    client.force_login(people.staff)
    data = _form(file_title="A5 leaflet", upload=upload(pdf_bytes(), name="l.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resources:create"), data)
    resource = Resource.objects.get()
    assert response["Location"] == resource.get_absolute_url()
    assert resource.status == Resource.Status.PUBLISHED
    assert resource.submitted_by == people.staff
    version = FileVersion.objects.get()
    assert (version.file.title, version.number, version.format) == ("A5 leaflet", 1, "pdf")
    assert version.preview.name.endswith(".png")
    send_news()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([fan.email], "New leaflet: Welcome leaflet")
    ]
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_lead_submission_waits_for_review(client, people):
    client.force_login(people.lead)
    response = client.post(reverse("resources:create"), _form(group=people.group.pk))
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert (resource.status, resource.group, resource.submitted_by) == (
        Resource.Status.PENDING,
        people.group,
        people.lead,
    )
    assert list(client.get(reverse("resources:list")).context["page"].object_list) == []


def test_lead_cannot_submit_for_a_group_they_do_not_lead(client, people):
    client.force_login(people.lead)
    response = client.post(reverse("resources:create"), _form(group=people.other_group.pk))
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert Resource.objects.count() == 0


@pytest.mark.parametrize("who", ["activist", "member", "rep"])
def test_only_staff_and_leads_may_submit(client, people, who):
    login_as(client, people, who)
    assert client.post(reverse("resources:create"), _form()).status_code == 403
    assert Resource.objects.count() == 0


def test_slogan_set_needs_slogans(client, people):
    client.force_login(people.staff)
    response = client.post(reverse("resources:create"), _form(kind="slogans"))
    assert response.context["form"].errors["slogans"] == ["A slogan set needs at least one slogan."]


def test_review_queue_shows_reps_the_submissions_of_their_groups(client, people):
    ours = ResourceFactory(
        title="Ours", status=Resource.Status.PENDING, group=people.group, submitted_by=people.lead
    )
    ResourceFactory(title="Theirs", status=Resource.Status.PENDING, group=people.other_group)
    client.force_login(people.rep)
    assert list(client.get(reverse("resources:review")).context["page"].object_list) == [ours]
    client.force_login(people.staff)
    assert len(client.get(reverse("resources:review")).context["page"].object_list) == 2


@pytest.mark.parametrize("count", [1, 3])
def test_review_queue_query_count_is_constant(client, people, django_assert_num_queries, count):
    for _ in range(count):
        ResourceFactory(
            status=Resource.Status.PENDING, group=people.group, submitted_by=UserFactory()
        )
    client.force_login(people.rep)
    # the user, the count, the page with groups and submitters (whether they are a rep is
    # answered by the two-factor check, in SESSION)
    with django_assert_num_queries(3 + SESSION):
        response = client.get(reverse("resources:review"))
    assert len(response.context["page"].object_list) == count


def test_rep_publishes_a_submission_and_the_lead_is_told(
    client, people, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(
        status=Resource.Status.PENDING,
        published_at=None,
        group=people.group,
        submitted_by=people.lead,
    )
    client.force_login(people.rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resources:publish", args=[resource.slug]), {"note": ""})
    assert response["Location"] == resource.get_absolute_url()
    resource.refresh_from_db()
    assert (resource.status, resource.decided_by) == (Resource.Status.PUBLISHED, people.rep)
    assert resource.published_at is not None
    deliver_outbox()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people.lead.email], f"Published: {resource.title}")
    ]


def test_decline_needs_a_note_and_editing_sends_it_back_for_review(client, people):
    resource = ResourceFactory(
        status=Resource.Status.PENDING, group=people.group, submitted_by=people.lead
    )
    client.force_login(people.rep)
    client.post(reverse("resources:decline", args=[resource.slug]), {"note": ""})
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PENDING
    client.post(reverse("resources:decline", args=[resource.slug]), {"note": "Add a date."})
    resource.refresh_from_db()
    assert (resource.status, resource.decision_note) == (Resource.Status.DECLINED, "Add a date.")
    assert OutboxMessage.objects.get().kind == "resources_review_declined"
    client.force_login(people.lead)
    data = _form(title=resource.title, kind=resource.kind, group=people.group.pk)
    client.post(reverse("resources:edit", args=[resource.slug]), data)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PENDING


@pytest.mark.parametrize("who", ["lead", "other_rep", "activist"])
def test_only_reviewers_of_the_group_may_publish(client, people, who):
    resource = ResourceFactory(
        status=Resource.Status.PENDING, group=people.group, submitted_by=people.lead
    )
    login_as(client, people, who)
    response = client.post(reverse("resources:publish", args=[resource.slug]))
    assert response.status_code in (403, 404)
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PENDING


def test_a_decision_is_taken_once(people):
    resource = ResourceFactory(status=Resource.Status.PENDING, group=people.group)
    services.publish_resource(resource=resource, by=people.rep)
    stale = Resource.objects.get(pk=resource.pk)
    stale.status = Resource.Status.PENDING
    with pytest.raises(services.ResourceError):
        services.decline_resource(resource=stale, by=people.staff, note="No")
    assert Resource.objects.get(pk=resource.pk).status == Resource.Status.PUBLISHED


def test_lead_cannot_edit_once_published(client, people):
    resource = ResourceFactory(group=people.group, submitted_by=people.lead)
    client.force_login(people.lead)
    assert client.get(reverse("resources:edit", args=[resource.slug])).status_code == 403


# --- versions, downloads --------------------------------------------------------------


def test_new_version_keeps_the_old_one_and_tells_subscribers(
    client, people, django_capture_on_commit_callbacks
):
    resource = ResourceFactory(title="Lift the Ban briefing")
    first = add_pdf(resource, by=people.staff)
    fan, kind_fan, both = UserFactory(), UserFactory(), UserFactory()
    services.subscribe(user=fan, resource=resource)
    services.subscribe(user=kind_fan, kind=resource.kind)
    services.subscribe(user=both, resource=resource)
    services.subscribe(user=both, kind=resource.kind)
    client.force_login(people.staff)
    url = reverse("resources:version_add", args=[resource.slug, first.file_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"upload": upload(pdf_bytes(pages=2)), "note": "New figures"})
    second = FileVersion.objects.get(number=2)
    resource.refresh_from_db()
    assert resource.updated_at == second.uploaded_at
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "updated on" in page
    assert reverse("resources:download", args=[resource.slug, first.pk]) in page
    assert reverse("resources:download", args=[resource.slug, second.pk]) in page
    old = client.get(reverse("resources:download", args=[resource.slug, first.pk]))
    assert b"".join(old.streaming_content).startswith(b"%PDF-")
    send_news()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([fan.email, kind_fan.email, both.email])
    assert {m.subject for m in mail.outbox} == {"Updated: Lift the Ban briefing"}
    assert "What changed: New figures" in mail.outbox[0].body


def test_subscribers_are_told_once_and_not_after_leaving_the_email_list(client, people):
    resource = ResourceFactory()
    stays, leaves = UserFactory(), UserFactory()
    for user in (stays, leaves):
        services.subscribe(user=user, resource=resource)
    version = add_pdf(resource, by=people.staff)
    services.add_version(
        file=version.file, checked=check_upload(upload(pdf_bytes())), by=people.staff
    )
    token = notifications.unsubscribe_token(leaves, "resources")
    client.post(reverse("notifications:unsubscribe", args=[token]))
    send_news()
    send_news()
    assert [m.to for m in mail.outbox] == [[stays.email]]


@pytest.mark.parametrize("count", [1, 3])
def test_building_a_batch_of_news_is_a_fixed_number_of_queries(
    people, django_assert_num_queries, count
):

    resource = ResourceFactory()
    users = [UserFactory() for _ in range(count)]
    for user in users:
        services.subscribe(user=user, resource=resource)
    version = add_pdf(resource, by=people.staff)
    run = BulkRun.objects.create(
        kind=services.NEWS_KIND,
        key="test",
        params={"resource_id": resource.pk, "version_id": version.pk},
    )
    with django_assert_num_queries(4):
        messages = services.build_news(run, [u.pk for u in users], timezone.now())
    assert len(messages) == count


def test_download_is_counted_without_storing_who(client, people):
    resource = ResourceFactory()
    version = add_pdf(resource, by=people.staff)
    url = reverse("resources:download", args=[resource.slug, version.pk])
    rows_before = OutboxMessage.objects.count()
    client.force_login(people.member)
    response = client.get(url)
    client.logout()
    client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{version.filename}"'
    assert version.filename.startswith(f"{resource.slug}-briefing-pdf-v1")
    assert version.filename.endswith(".pdf")
    version.refresh_from_db()
    resource.refresh_from_db()
    assert (version.download_count, resource.download_count) == (2, 2)
    assert OutboxMessage.objects.count() == rows_before
    assert not any("user" in f.name for f in FileVersion._meta.get_fields() if "download" in f.name)


def test_download_of_another_resources_version_is_404(client, people):
    mine, other = ResourceFactory(), ResourceFactory()
    version = add_pdf(other, by=people.staff)
    url = reverse("resources:download", args=[mine.slug, version.pk])
    assert client.get(url).status_code == 404


def test_picture_upload_is_served_re_encoded_with_a_preview(people):
    resource = ResourceFactory(kind=Resource.Kind.POSTER)
    version = services.add_file(
        resource=resource,
        title="Poster",
        checked=check_upload(upload(image_bytes("PNG"), name="p.png", content_type="image/png")),
        by=people.staff,
    )
    assert (version.format, version.upload.name.endswith(".png")) == ("png", True)
    assert version.preview.name.endswith(".png")


# --- subscriptions --------------------------------------------------------------------


def test_subscribe_to_a_kind_and_a_resource_and_stop(client, people):
    resource = ResourceFactory()
    client.force_login(people.activist)
    client.post(reverse("resources:subscribe_kind", args=["guide"]))
    client.post(reverse("resources:subscribe_kind", args=["guide"]))
    client.post(reverse("resources:subscribe", args=[resource.slug]))
    assert Subscription.objects.filter(user=people.activist).count() == 2
    page = client.get(reverse("resources:subscriptions")).content.decode()
    assert resource.title in page
    client.post(reverse("resources:unsubscribe_kind", args=["guide"]))
    client.post(reverse("resources:unsubscribe", args=[resource.slug]))
    assert Subscription.objects.filter(user=people.activist).count() == 0


def test_subscribe_to_an_unknown_kind_is_404(client, people):
    client.force_login(people.activist)
    assert client.post(reverse("resources:subscribe_kind", args=["spam"])).status_code == 404
