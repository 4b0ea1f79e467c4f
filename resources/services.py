"""Every write to resources: submitting, reviewing, files and their versions, downloads,
subscriptions, and telling subscribers."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from groups.models import LocalGroup
from portal import bulk, notifications, pagecache
from portal.models import BulkRun, OutboxMessage, User
from portal.services import queue_email, render_email

from .files import CheckedFile
from .models import FileVersion, Resource, ResourceFile, Subscription

# Paths under /resources/ that a resource's slug must never shadow.
RESERVED_SLUGS = {"new", "review", "learning", "subscriptions", "kinds"}


class ResourceError(Exception):
    """A request that cannot be carried out; str() is a message for the person."""


def unique_slug(title: str) -> str:
    base = slugify(title)[:200].strip("-") or "resource"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Resource.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_resource(
    *,
    by: User,
    data: dict,
    topics=(),
    campaigns=(),
    group: LocalGroup | None = None,
    first_file: tuple[str, CheckedFile] | None = None,
) -> Resource:
    """Staff publish at once; anyone else's resource waits for review."""
    now = timezone.now()
    resource = Resource(**data, group=group, submitted_by=by, created_at=now, updated_at=now)
    if by.is_staff:
        resource.status = Resource.Status.PUBLISHED
        resource.published_at = now
        resource.decided_by, resource.decided_at = by, now
    else:
        resource.status = Resource.Status.PENDING
    for _attempt in range(2):  # two resources with one title at once: the loser retries
        resource.slug = unique_slug(data["title"])
        try:
            with transaction.atomic():
                resource.save()
            break
        except IntegrityError:
            continue
    else:
        raise ResourceError("Please try again.")
    resource.topics.set(topics)
    resource.campaigns.set(campaigns)
    if first_file is not None:
        title, checked = first_file
        add_file(resource=resource, title=title, checked=checked, by=by)
    if resource.is_published:
        _start_news(resource)
    # A submission waiting for review shows to the reviewers only.
    pagecache.touch(*(_campaign_pages(resource) if resource.is_published else ()))
    return resource


def _campaign_pages(resource: Resource) -> list[str]:
    """The cached pages that list a resource: its campaigns' pages."""
    return [f"campaign:{slug}" for slug in resource.campaigns.values_list("slug", flat=True)]


@transaction.atomic
def update_resource(*, resource: Resource, data: dict, topics=(), campaigns=()) -> Resource:
    """Edit the text and tags. A declined submission edited by its lead goes back to the
    review queue."""
    before = _campaign_pages(resource)  # the pages it may leave
    for name, value in data.items():
        setattr(resource, name, value)
    resource.updated_at = timezone.now()
    fields = [*data, "updated_at"]
    if resource.status == Resource.Status.DECLINED:
        resource.status = Resource.Status.PENDING
        fields.append("status")
    resource.save(update_fields=fields)
    resource.topics.set(topics)
    resource.campaigns.set(campaigns)
    pagecache.touch(*before, *_campaign_pages(resource))
    return resource


def _stem(resource: Resource, title: str, number: int) -> str:
    return f"{slugify(f'{resource.title} {title}')[:80].strip('-') or 'file'}-v{number}"


def _save_version(*, file: ResourceFile, number: int, checked: CheckedFile, by: User, note: str):
    stem = _stem(file.resource, file.title, number)
    version = FileVersion(
        file=file,
        number=number,
        format=checked.format,
        size=checked.size,
        note=note,
        uploaded_by=by,
    )
    content = checked.as_content_file(stem)
    version.upload.save(content.name, content, save=False)
    preview = checked.preview_file(f"{stem}-preview")
    if preview is not None:
        version.preview.save(preview.name, preview, save=False)
    version.save()
    return version


@transaction.atomic
def add_file(*, resource: Resource, title: str, checked: CheckedFile, by: User) -> FileVersion:
    pagecache.touch(*_campaign_pages(resource))
    file = ResourceFile.objects.create(resource=resource, title=title)
    file.resource = resource
    return _save_version(file=file, number=1, checked=checked, by=by, note="")


@transaction.atomic
def add_version(
    *, file: ResourceFile, checked: CheckedFile, by: User, note: str = ""
) -> FileVersion:
    """A new version; the old ones stay downloadable. Subscribers of a published resource
    are told."""
    pagecache.touch(*_campaign_pages(file.resource))
    # The file row is the lock: two uploads at once get numbers one after the other.
    ResourceFile.objects.select_for_update().get(pk=file.pk)
    latest = file.versions.aggregate(n=Max("number"))["n"] or 0
    version = _save_version(file=file, number=latest + 1, checked=checked, by=by, note=note)
    resource = file.resource
    resource.updated_at = version.uploaded_at
    Resource.objects.filter(pk=resource.pk).update(updated_at=resource.updated_at)
    if resource.is_published:
        _start_news(resource, version)
    return version


@transaction.atomic
def count_download(*, version: FileVersion) -> None:
    """One more download, counted by the database; nothing about who is kept."""
    pagecache.touch(private=False, review=False)  # a count no cached page shows
    FileVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)
    Resource.objects.filter(pk=version.file.resource_id).update(
        download_count=F("download_count") + 1
    )


# --- review ---------------------------------------------------------------------------


def _decide(*, resource: Resource, by: User, to: str, note: str) -> None:
    now = timezone.now()
    fields = {"status": to, "decided_by": by, "decided_at": now, "decision_note": note}
    if to == Resource.Status.PUBLISHED:
        fields.update(published_at=now, updated_at=now)
    # Conditional on PENDING: of two reviewers deciding at once, one wins.
    updated = Resource.objects.filter(pk=resource.pk, status=Resource.Status.PENDING).update(
        **fields
    )
    if updated != 1:
        raise ResourceError("This submission has already been decided; reload the page.")
    for name, value in fields.items():
        setattr(resource, name, value)


def _email_submitter(*, resource: Resource, outcome: str) -> None:
    submitter = resource.submitted_by
    if submitter is None or submitter.pk == resource.decided_by_id:
        return
    subject, text, html = render_email(
        f"resources_review_{outcome}", {"resource": resource, "submitter": submitter}
    )
    queue_email(
        key=f"resources-review-{outcome}:{resource.pk}:{resource.decided_at.isoformat()}",
        to=submitter.email,
        subject=subject,
        text=text,
        html=html,
        kind=f"resources_review_{outcome}",
        user=submitter,
    )


@transaction.atomic
def publish_resource(*, resource: Resource, by: User, note: str = "") -> Resource:
    _decide(resource=resource, by=by, to=Resource.Status.PUBLISHED, note=note.strip())
    _email_submitter(resource=resource, outcome="published")
    _start_news(resource)
    pagecache.touch(*_campaign_pages(resource))
    return resource


@transaction.atomic
def decline_resource(*, resource: Resource, by: User, note: str) -> Resource:
    pagecache.touch()  # a submission shows to its lead and the reviewers only
    if not note.strip():
        raise ResourceError("Please tell the lead why, so they can improve it.")
    _decide(resource=resource, by=by, to=Resource.Status.DECLINED, note=note.strip())
    _email_submitter(resource=resource, outcome="declined")
    return resource


# --- subscriptions --------------------------------------------------------------------


@transaction.atomic
def subscribe(*, user: User, resource: Resource | None = None, kind: str = "") -> bool:
    """True if this is a new subscription; subscribing twice does nothing."""
    pagecache.touch(private=False, review=False)  # the person's own settings
    try:
        with transaction.atomic():
            Subscription.objects.create(user=user, resource=resource, kind=kind)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def unsubscribe(*, user: User, resource: Resource | None = None, kind: str = "") -> bool:
    pagecache.touch(private=False, review=False)
    rows = Subscription.objects.filter(user=user)
    rows = rows.filter(resource=resource) if resource is not None else rows.filter(kind=kind)
    deleted, _ = rows.delete()
    return bool(deleted)


def subscribers(resource: Resource):
    """People subscribed to this resource or to its kind, once each."""
    return User.objects.filter(
        Q(resource_subscriptions__resource=resource)
        | Q(resource_subscriptions__kind=resource.kind),
        is_active=True,
    ).distinct()


# --- telling subscribers (a bulk send: portal.bulk) -----------------------------------

NEWS_KIND = "resources_news"
NEWS_LIST = "resources"


def _start_news(resource: Resource, version: FileVersion | None = None) -> None:
    """Inside the caller's transaction: one bulk send per new resource or new version (a
    second start with the same key does nothing)."""
    what = f"v{version.pk}" if version else "published"
    bulk.start_bulk_send(
        kind=NEWS_KIND,
        key=f"resource-{resource.pk}-{what}",
        params={"resource_id": resource.pk, "version_id": version.pk if version else None},
    )


def news_recipients(run: BulkRun):
    resource = Resource.objects.filter(pk=run.params["resource_id"]).first()
    if resource is None:
        return []
    return subscribers(resource).order_by("pk").values_list("pk", flat=True)


def build_news(run: BulkRun, user_ids: list[int], now) -> list[OutboxMessage]:
    """One batch of subscribers as unsaved outbox rows: four queries whatever its size.
    People who left the email list (one click in any of these emails) are skipped."""
    resource = Resource.objects.published().filter(pk=run.params["resource_id"]).first()
    if resource is None:
        return []
    version_id = run.params.get("version_id")
    version = None
    if version_id:
        version = FileVersion.objects.select_related("file").filter(pk=version_id).first()
        if version is None:
            return []
    what = f"v{version.pk}" if version else "published"
    template = "resources_updated" if version else "resources_new"
    wanted = notifications.subscribed_user_ids(NEWS_LIST, user_ids)
    link = settings.SITE_URL + resource.get_absolute_url()
    manage_url = settings.SITE_URL + reverse("resources:subscriptions")
    messages = []
    for user in User.objects.filter(pk__in=wanted, is_active=True).order_by("pk"):
        unsubscribe_url = notifications.unsubscribe_url(user.pk, NEWS_LIST)
        subject, text, html = render_email(
            template,
            {
                "resource": resource,
                "version": version,
                "user": user,
                "link": link,
                "manage_url": manage_url,
                "unsubscribe_url": unsubscribe_url,
            },
        )
        messages.append(
            OutboxMessage(
                dedupe_key=f"resources-{what}:{resource.pk}:{user.pk}",
                kind=template,
                user=user,
                to=user.email,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                headers=notifications.unsubscribe_headers(user.pk, NEWS_LIST),
                created_at=now,
                next_attempt_at=now,
            )
        )
    return messages
