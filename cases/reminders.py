"""Deadline reminders: a week before an urgent action closes, the leads of each group
adopting the case get one email if the group has written fewer letters for it than it did
for the previous action (or none yet).

A group's letters for an action: letters counted online by its current members, plus the
letters its events' reports counted on paper while the action was open. "The previous
action": the latest urgent action, on any case the group adopts, whose deadline came
before this one's.

Each (action, group) is decided once: the DeadlineReminder row is the claim, inserted in
the transaction that queues the emails, so two ticks at once (or a tick run again after a
crash) never send twice."""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from groups.models import LocalGroup, Membership
from portal import notifications
from portal.services import queue_email, render_email

from .followups import DEADLINES
from .models import AppealLetter, Case, DeadlineReminder, OfflineTally, UrgentAction

DAYS_BEFORE = 7


def group_letters(urgent_action: UrgentAction, group_ids: list[int]) -> dict[int, int]:
    """Letters for the action per group (two queries)."""
    counts = dict.fromkeys(group_ids, 0)
    online = (
        AppealLetter.objects.filter(
            urgent_action=urgent_action,
            counted_at__isnull=False,
            user__memberships__group_id__in=group_ids,
            user__memberships__left_at__isnull=True,
        )
        .order_by()
        .values("user__memberships__group_id")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in online:
        counts[row["user__memberships__group_id"]] += row["n"]
    offline = (
        OfflineTally.objects.filter(urgent_action=urgent_action, group_id__in=group_ids)
        .order_by()
        .values("group_id")
        .annotate(n=Sum("letters"))
    )
    for row in offline:
        counts[row["group_id"]] += row["n"]
    return counts


def previous_action(urgent_action: UrgentAction, group: LocalGroup) -> UrgentAction | None:
    return (
        UrgentAction.objects.filter(
            case__adoptions__group=group, deadline__lt=urgent_action.deadline
        )
        .exclude(pk=urgent_action.pk)
        .order_by("-deadline", "-pk")
        .first()
    )


def _email_leads(*, urgent_action: UrgentAction, group: LocalGroup, reminder) -> int:
    leads = [m.user for m in Membership.objects.leads().filter(group=group).select_related("user")]
    wanted = notifications.subscribed_user_ids(DEADLINES.name, [lead.pk for lead in leads])
    link = settings.SITE_URL + reverse(
        "cases:action", args=[urgent_action.case.slug, urgent_action.pk]
    )
    sent = 0
    for lead in leads:
        if lead.pk not in wanted:
            continue
        subject, text, html = render_email(
            "cases_deadline_reminder",
            {
                "lead": lead,
                "group": group,
                "urgent_action": urgent_action,
                "case": urgent_action.case,
                "reminder": reminder,
                "link": link,
                "unsubscribe_url": notifications.unsubscribe_url(lead, DEADLINES.name),
                "settings_url": settings.SITE_URL + reverse("notifications:settings"),
            },
        )
        queue_email(
            key=f"cases-deadline:{urgent_action.pk}:{group.pk}:{lead.pk}",
            to=lead.email,
            subject=subject,
            text=text,
            html=html,
            kind="cases_deadline_reminder",
            user=lead,
            headers=notifications.unsubscribe_headers(lead, DEADLINES.name),
        )
        sent += 1
    return sent


def run_deadline_reminders(*, today: date | None = None) -> dict[str, int]:
    """Beat: decide every (action, group) whose deadline is within the week."""
    today = today or timezone.localdate()
    due = UrgentAction.objects.filter(
        deadline__gte=today,
        deadline__lte=today + timedelta(days=DAYS_BEFORE),
        case__is_published=True,
        case__status__in=[Case.Status.ACTIVE, Case.Status.IMPROVED],
    ).select_related("case")
    outcome = {"decided": 0, "emails": 0}
    for urgent_action in due:
        decided = DeadlineReminder.objects.filter(urgent_action=urgent_action).values("group_id")
        groups = list(
            LocalGroup.objects.active()
            .filter(case_adoptions__case=urgent_action.case)
            .exclude(pk__in=decided)
        )
        now_counts = group_letters(urgent_action, [g.pk for g in groups])
        for group in groups:
            previous = previous_action(urgent_action, group)
            last = group_letters(previous, [group.pk])[group.pk] if previous else 0
            letters = now_counts[group.pk]
            try:
                with transaction.atomic():
                    reminder = DeadlineReminder.objects.create(
                        urgent_action=urgent_action,
                        group=group,
                        sent=letters == 0 or letters < last,
                        letters_now=letters,
                        letters_last_time=last,
                    )
                    if reminder.sent:
                        reminder.previous = previous
                        outcome["emails"] += _email_leads(
                            urgent_action=urgent_action, group=group, reminder=reminder
                        )
            except IntegrityError:  # another tick decided this one first
                continue
            outcome["decided"] += 1
    return outcome
