"""Writes for the curriculum: whether a person keeps a learning record, and completions
(at a training event, or by self-study).

Consent comes first. Nothing about a person's learning is stored until they agree to keep
a record: at their first completion they are asked (by email, and on My portal). If they
agree, what they already did is read back from their check-ins at training events (which
the events app keeps anyway), so saying yes later loses nothing; if they say no, or later
withdraw, their completions are deleted."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from portal import pagecache
from portal.models import User
from portal.services import queue_email, render_email

from .models import Completion, LearningRecordChoice, Module


class LearningError(Exception):
    """A request that cannot be carried out; str() is a message for the person."""


def _locked_choice(user: User) -> LearningRecordChoice:
    LearningRecordChoice.objects.get_or_create(user=user)
    # The row is the lock: a check-in and the person's own answer cannot interleave.
    return LearningRecordChoice.objects.select_for_update().get(user=user)


def _complete(*, user: User, module_ids, how: str, event_id=None, when=None) -> int:
    when = when or timezone.now()
    done = set(
        Completion.objects.filter(user=user, module_id__in=module_ids).values_list(
            "module_id", flat=True
        )
    )
    rows = [
        Completion(user=user, module_id=pk, how=how, event_id=event_id, completed_at=when)
        for pk in module_ids
        if pk not in done
    ]
    Completion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _ask(user: User, choice: LearningRecordChoice) -> None:
    choice.asked_at = timezone.now()
    choice.save(update_fields=["asked_at"])
    subject, text, html = render_email(
        "resources_learning_ask",
        {"user": user, "choose_url": settings.SITE_URL + reverse("resources:learning_record")},
    )
    queue_email(
        key=f"resources-learning-ask:{user.pk}",
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        kind="resources_learning_ask",
        user=user,
    )


@transaction.atomic
def record_attendance(*, user: User, event_id: int, module_ids: list[int], when=None) -> str:
    """A person came to a training event linked to these modules (checked in, or ticked in
    the event's report). Returns "recorded", "asked" (undecided: asked once, nothing
    stored), "not_kept" (they chose no record) or "nothing" (no modules)."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    if not module_ids:
        return "nothing"
    choice = _locked_choice(user)
    if choice.keep_record:
        _complete(
            user=user, module_ids=module_ids, how=Completion.How.EVENT, event_id=event_id, when=when
        )
        return "recorded"
    if choice.keep_record is False:
        return "not_kept"
    if choice.asked_at is None:
        _ask(user, choice)
    return "asked"


@transaction.atomic
def forget_attendance(*, user: User, event_id: int) -> int:
    """A check-in undone: the completions it recorded go with it."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    deleted, _ = Completion.objects.filter(
        user=user, event_id=event_id, how=Completion.How.EVENT
    ).delete()
    return deleted


def _attended(user: User) -> list[tuple[int, int, object]]:
    """(module, event, checked in at) for every training event linked to a module that the
    person was checked in at: read through the events app's reverse relations."""
    return list(
        Module.objects.filter(events__rsvps__user=user, events__rsvps__checked_in_at__isnull=False)
        .values_list("pk", "events__pk", "events__rsvps__checked_in_at")
        .order_by("events__rsvps__checked_in_at")
    )


@transaction.atomic
def decide_learning_record(
    *, user: User, keep: bool, visible_to_region: bool = False
) -> LearningRecordChoice:
    pagecache.touch(pagecache.person(user.pk), private=False)  # reps may see it
    choice = _locked_choice(user)
    choice.keep_record = keep
    choice.visible_to_region = keep and visible_to_region
    choice.decided_at = timezone.now()
    choice.save(update_fields=["keep_record", "visible_to_region", "decided_at"])
    if keep:
        for module_id, event_id, when in _attended(user):
            _complete(
                user=user,
                module_ids=[module_id],
                how=Completion.How.EVENT,
                event_id=event_id,
                when=when,
            )
    else:
        Completion.objects.filter(user=user).delete()
    return choice


@transaction.atomic
def mark_done(*, user: User, module: Module) -> bool:
    """Self-study: True if newly recorded. Needs a learning record."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    if not module.self_study:
        raise LearningError("This module is done at a training event, not alone.")
    choice = _locked_choice(user)
    if not choice.keep_record:
        raise LearningError("Choose to keep a learning record first.")
    return bool(_complete(user=user, module_ids=[module.pk], how=Completion.How.SELF_STUDY))


@transaction.atomic
def mark_not_done(*, user: User, module: Module) -> bool:
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    deleted, _ = Completion.objects.filter(
        user=user, module=module, how=Completion.How.SELF_STUDY
    ).delete()
    return bool(deleted)
