"""Every write to resources: submitting, reviewing, files and their versions, downloads,
subscriptions, and telling subscribers."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from groups.models import LocalGroup
from portal.models import User
from portal.services import queue_email, render_email

from . import tasks
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
        tasks.tell_subscribers.delay_on_commit(resource.pk, None)
    return resource


@transaction.atomic
def update_resource(*, resource: Resource, data: dict, topics=(), campaigns=()) -> Resource:
    """Edit the text and tags. A declined submission edited by its lead goes back to the
    review queue."""
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
    file = ResourceFile.objects.create(resource=resource, title=title)
    file.resource = resource
    return _save_version(file=file, number=1, checked=checked, by=by, note="")


@transaction.atomic
def add_version(
    *, file: ResourceFile, checked: CheckedFile, by: User, note: str = ""
) -> FileVersion:
    """A new version; the old ones stay downloadable. Subscribers of a published resource
    are told."""
    # The file row is the lock: two uploads at once get numbers one after the other.
    ResourceFile.objects.select_for_update().get(pk=file.pk)
    latest = file.versions.aggregate(n=Max("number"))["n"] or 0
    version = _save_version(file=file, number=latest + 1, checked=checked, by=by, note=note)
    resource = file.resource
    resource.updated_at = version.uploaded_at
    Resource.objects.filter(pk=resource.pk).update(updated_at=resource.updated_at)
    if resource.is_published:
        tasks.tell_subscribers.delay_on_commit(resource.pk, version.pk)
    return version


@transaction.atomic
def count_download(*, version: FileVersion) -> None:
    """One more download, counted by the database; nothing about who is kept."""
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
    tasks.tell_subscribers.delay_on_commit(resource.pk, None)
    return resource


@transaction.atomic
def decline_resource(*, resource: Resource, by: User, note: str) -> Resource:
    if not note.strip():
        raise ResourceError("Please tell the lead why, so they can improve it.")
    _decide(resource=resource, by=by, to=Resource.Status.DECLINED, note=note.strip())
    _email_submitter(resource=resource, outcome="declined")
    return resource


# --- subscriptions --------------------------------------------------------------------


@transaction.atomic
def subscribe(*, user: User, resource: Resource | None = None, kind: str = "") -> bool:
    """True if this is a new subscription; subscribing twice does nothing."""
    try:
        with transaction.atomic():
            Subscription.objects.create(user=user, resource=resource, kind=kind)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def unsubscribe(*, user: User, resource: Resource | None = None, kind: str = "") -> bool:
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


def tell_subscribers(*, resource: Resource, version: FileVersion | None) -> int:
    """Email everyone subscribed that the resource is new (version None) or has a new
    version. Each email has a dedupe key, so running this twice sends nothing twice.
    Returns how many were newly queued."""
    if not resource.is_published:
        return 0
    what = f"v{version.pk}" if version else "published"
    template = "resources_updated" if version else "resources_new"
    link = settings.SITE_URL + resource.get_absolute_url()
    queued = 0
    for user in subscribers(resource).order_by("pk").iterator(chunk_size=500):
        subject, text, html = render_email(
            template,
            {
                "resource": resource,
                "version": version,
                "user": user,
                "link": link,
                "manage_url": settings.SITE_URL + reverse("resources:subscriptions"),
            },
        )
        with transaction.atomic():
            _message, new = queue_email(
                key=f"resources-{what}:{resource.pk}:{user.pk}",
                to=user.email,
                subject=subject,
                text=text,
                html=html,
                kind=template,
                user=user,
            )
        queued += new
    return queued
