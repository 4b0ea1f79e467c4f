"""Resolution news: every answer reaches everyone involved, once.

The agenda decision, the result and each progress update of a resolution go by email to
its proposer, the current leads of its co-sponsoring groups and every supporter (each
person once, whatever their reasons), through the core's bulk send (portal.bulk): the
run's key names the news (``agenda-12``, ``result-12``, ``progress-40``), so it starts
once, and each email's dedupe key is per news and person, so nobody gets two. People on
the ``resolution_news`` list get them (on by default), with one-click unsubscribe.

Also here, for the digests (wired in by front/): resolutions newly open for support and
results recorded lately, each with its meeting's region (None for the AGM)."""

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from groups.models import Membership
from portal import bulk, notifications
from portal.markdown import render_markdown
from portal.models import BulkRun, OutboxMessage, User
from portal.services import render_email

from .models import ProgressUpdate, Resolution, Support

KIND = "resolution_news"
AGENDA, RESULT, PROGRESS = "agenda", "result", "progress"
NEWS = notifications.EmailList(
    name="resolution_news",
    label="news of the resolutions you proposed, co-sponsored or supported",
    choice="Email me the agenda decision, the result and the progress of resolutions I "
    "proposed, co-sponsored or supported",
    help_text="One email for each answer: whether it is on the agenda, how the vote went, and "
    "each progress update afterwards.",
)
# Stand-ins for what differs per person in an email rendered once per batch.


def register() -> None:
    """Called once from ResolutionsConfig.ready."""
    notifications.register_list(NEWS)
    bulk.register(bulk.BulkKind(name=KIND, recipients=recipients, build=build_messages))


def announce(*, resolution: Resolution, what: str, update: ProgressUpdate | None = None) -> None:
    """Inside the transaction of the write; planned and sent after commit."""
    key = f"{what}-{update.pk if update else resolution.pk}"
    params = {"resolution_id": resolution.pk, "what": what}
    if update:
        params["update_id"] = update.pk
    bulk.start_bulk_send(kind=KIND, key=key, params=params)


def recipient_ids(resolution_id: int) -> QuerySet:
    """Proposer, co-sponsoring groups' current leads and supporters: each once, by id."""
    active = {"user__is_active": True, "user__email_verified": True}
    proposer = Resolution.objects.filter(
        pk=resolution_id,
        proposer__isnull=False,
        proposer__is_active=True,
        proposer__email_verified=True,
    ).values_list("proposer_id", flat=True)
    leads = (
        Membership.objects.leads()
        .filter(group__cosponsored_resolutions__resolution_id=resolution_id, **active)
        .values_list("user_id", flat=True)
    )
    supporters = Support.objects.filter(resolution_id=resolution_id, **active).values_list(
        "user_id", flat=True
    )
    return proposer.union(leads, supporters).order_by("proposer_id")


def recipients(run: BulkRun) -> list[int]:
    return list(recipient_ids(run.params["resolution_id"]))


def _render(resolution: Resolution, what: str, update: ProgressUpdate | None):
    return render_email(
        f"resolutions_{what}",
        {
            "resolution": resolution,
            "meeting": resolution.meeting,
            "update": update,
            "note_html": render_markdown(update.note) if update else "",
            "url": settings.SITE_URL + resolution.get_absolute_url(),
            "name": bulk.NAME,
            "unsubscribe_url": bulk.UNSUBSCRIBE,
            "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        },
    )


def build_messages(run: BulkRun, user_ids: list[int], now: datetime) -> list[OutboxMessage]:
    """One batch as unsaved outbox rows: three queries (four with a progress update),
    whatever its size."""
    resolution = Resolution.objects.select_related("meeting", "composited_into").get(
        pk=run.params["resolution_id"]
    )
    update = None
    if "update_id" in run.params:
        update = ProgressUpdate.objects.get(pk=run.params["update_id"])
    what = run.params["what"]
    users = User.objects.filter(pk__in=user_ids, is_active=True, email_verified=True).only(
        "pk", "email", "display_name"
    )
    wanted = notifications.subscribed_user_ids(NEWS.name, user_ids)
    subject, text, html = _render(resolution, what, update)
    url_of = notifications.unsubscribe_url_maker(NEWS.name)
    messages = []
    for user in users:
        if user.pk not in wanted:
            continue  # they chose not to get it
        messages.append(
            bulk.personal_message(
                key=f"resolutions:{run.key}:{user.pk}",
                kind=KIND,
                user=user,
                unsubscribe_url=url_of(user.pk),
                rendered=(subject, text, html),
                now=now,
            )
        )
    return messages


# --- for the digests ------------------------------------------------------------------


def opened_between(since: datetime, until: datetime) -> list[Resolution]:
    """Resolutions endorsed in the period and still open for support (one query)."""
    return list(
        Resolution.objects.filter(
            status=Resolution.Status.OPEN, endorsed_at__gte=since, endorsed_at__lt=until
        )
        .select_related("meeting", "group")
        .order_by("-endorsed_at", "-pk")
    )


def results_between(since: datetime, until: datetime) -> list[Resolution]:
    """Results recorded in the period (one query)."""
    return list(
        Resolution.objects.filter(result_at__gte=since, result_at__lt=until)
        .select_related("meeting")
        .order_by("-result_at", "-pk")
    )


def concerns_region(resolution: Resolution, region_ids: set[int]) -> bool:
    """The AGM concerns everyone; a regional conference, the members of its region."""
    return resolution.meeting.region_id is None or resolution.meeting.region_id in region_ids
