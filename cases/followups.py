"""Follow-ups: an update staff publish on a case goes by email, once, to everyone who acted
on it, through the core's bulk send (portal.bulk), in Celery batches.

Who gets it: people who acted on the case (a letter, a solidarity message) and are on the
``case_updates`` list, and current members of the groups adopting it who chose the
``case_group_news`` list. Someone who is both gets one email. Each email's dedupe key is
per update and person, so a second start, a task run twice or a worker killed mid-batch
sends nobody two. Guests who act (the guest-actions issue) will join through their
confirmed CaseParticipant rows, with an unsubscribe link of their own.

A batch is built with a fixed number of queries, and the update is rendered once per
batch (for each of the two reasons someone gets it): only the greeting and the
unsubscribe link differ between people, and they are put in by string replacement."""

from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from groups.models import Membership
from portal import bulk, notifications
from portal.markdown import render_markdown
from portal.models import BulkRun, OutboxMessage, User
from portal.services import render_email

from .models import CaseParticipant, CaseUpdate

KIND = "cases_update"
ACTED = notifications.EmailList(
    name="case_updates",
    label="updates on the Individuals at Risk cases you acted on",
    choice="Email me updates on the Individuals at Risk cases I wrote for",
    help_text="Follow-ups and outcomes, once each, for the cases you wrote a letter or a "
    "message for.",
)
GROUP_NEWS = notifications.EmailList(
    name="case_group_news",
    label="news of the Individuals at Risk cases your groups adopt",
    choice="Email me news of the Individuals at Risk cases my groups adopt",
    help_text="Follow-ups and outcomes of the cases your local groups have adopted.",
    default=False,
    applies_to=lambda user: user.memberships.filter(left_at__isnull=True).exists(),
)
DEADLINES = notifications.EmailList(
    name="case_deadlines",
    label="reminders before the deadlines of cases your groups adopt",
    choice="Remind me a week before an urgent action closes, if my group has written little",
    help_text="For the leads of groups adopting Individuals at Risk cases.",
    applies_to=lambda user: user.leads_a_group,
)
# Stand-ins for what differs per person in an email rendered once per batch: words that
# no template, escaping or Markdown changes.


def register() -> None:
    """Called once from CasesConfig.ready."""
    notifications.register_list(ACTED)
    notifications.register_list(GROUP_NEWS)
    notifications.register_list(DEADLINES)
    bulk.register(bulk.BulkKind(name=KIND, recipients=recipients, build=build_messages))


def start_followup(*, update: CaseUpdate) -> None:
    """Inside the transaction that publishes the update; planned after commit."""
    bulk.start_bulk_send(kind=KIND, key=f"update-{update.pk}", params={"update_id": update.pk})


def _emailable(users: QuerySet) -> QuerySet:
    return users.filter(user__is_active=True, user__email_verified=True)


def recipient_ids(case_id: int) -> QuerySet:
    """The people who acted on the case and the current members of its adopting groups, each
    once, in id order (their email choices are read when each batch is built)."""
    acted = _emailable(CaseParticipant.objects.filter(case_id=case_id, user__isnull=False))
    members = _emailable(
        Membership.objects.current().filter(group__case_adoptions__case_id=case_id)
    )
    return (
        acted.values_list("user_id", flat=True)
        .union(members.values_list("user_id", flat=True))
        .order_by("user_id")
    )


def recipients(run: BulkRun) -> QuerySet:
    return recipient_ids(CaseUpdate.objects.get(pk=run.params["update_id"]).case_id)


def _render(update: CaseUpdate, reason: str) -> tuple[str, str, str]:
    return render_email(
        "cases_update",
        {
            "update": update,
            "case": update.case,
            "body_html": render_markdown(update.body),
            "reason": reason,
            "name": bulk.NAME,
            "unsubscribe_url": bulk.UNSUBSCRIBE,
            "settings_url": settings.SITE_URL + reverse("notifications:settings"),
        },
    )


def build_messages(run: BulkRun, user_ids: list[int], now: datetime) -> list[OutboxMessage]:
    """One batch of the follow-up as unsaved outbox rows: six queries, whatever its size."""
    update = CaseUpdate.objects.select_related("case").get(pk=run.params["update_id"])
    case = update.case
    users = User.objects.filter(pk__in=user_ids, is_active=True, email_verified=True).only(
        "pk", "email", "display_name"
    )
    acted = set(
        CaseParticipant.objects.filter(case=case, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    lists = {pk: ACTED.name for pk in notifications.subscribed_user_ids(ACTED.name, acted)}
    members = set(
        Membership.objects.current()
        .filter(group__case_adoptions__case=case, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    for pk in notifications.subscribed_user_ids(GROUP_NEWS.name, members - set(lists)):
        lists[pk] = GROUP_NEWS.name
    rendered = {
        ACTED.name: _render(update, "acted"),
        GROUP_NEWS.name: _render(update, "group"),
    }
    # notifications.unsubscribe_url's address, with the URL reversed once per batch rather
    # than once per person (reversing was the most expensive part of a message).
    url_of = {name: notifications.unsubscribe_url_maker(name) for name in rendered}
    messages = []
    for user in users:
        list_name = lists.get(user.pk)
        if list_name is None:
            continue  # they chose not to get it
        messages.append(
            bulk.personal_message(
                key=f"cases-update:{update.pk}:{user.pk}",
                kind=KIND,
                user=user,
                unsubscribe_url=url_of[list_name](user.pk),
                rendered=rendered[list_name],
                now=now,
            )
        )
    return messages
