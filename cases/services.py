"""Every write to cases: status and publishing, letters, solidarity messages and their
moderation, adoptions, offline tallies and updates."""

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from groups.models import LocalGroup
from portal import pagecache
from portal.models import User
from portal.services import queue_email, render_email

from . import followups
from .models import (
    AppealLetter,
    Case,
    CaseAdoption,
    CaseParticipant,
    CaseUpdate,
    OfflineTally,
    SolidarityBatch,
    SolidarityMessage,
    Target,
    UrgentAction,
    mentions,
)

Status = Case.Status
Letter = AppealLetter.Status
Message = SolidarityMessage.Status


class CaseError(Exception):
    """A request that cannot be carried out; str() is a message for the person."""


class LetterLimitError(CaseError):
    """Past the daily letter limit of the writer or of the target's address."""


# --- status and publishing -------------------------------------------------------------


@transaction.atomic
def change_status(*, case: Case, to: str) -> bool:
    """Set the case's status; False if it already had it. Pausing takes effect on the
    next page load: every page reads the status from the database."""
    pagecache.touch(*case.page_scopes())
    if to not in Status.values:
        raise CaseError(f'"{to}" is not a case status.')
    now = timezone.now()
    changed = (
        Case.objects.filter(pk=case.pk)
        .exclude(status=to)
        .update(status=to, status_changed_at=now, updated_at=now)
    )
    if changed:
        case.status, case.status_changed_at, case.updated_at = to, now, now
    return changed == 1


@transaction.atomic
def set_published(*, case: Case, published: bool) -> bool:
    """Publish or take back a case; False if it already was so."""
    pagecache.touch(*case.page_scopes())
    now = timezone.now()
    fields = {"is_published": published, "updated_at": now}
    if published and case.published_at is None:
        fields["published_at"] = now
    changed = Case.objects.filter(pk=case.pk, is_published=not published).update(**fields) == 1
    if changed:
        for name, value in fields.items():
            setattr(case, name, value)
    return changed


# --- who acted --------------------------------------------------------------------------


def _record_participant(*, case: Case, user: User) -> None:
    """Remember that this person acted on the case (once), for the follow-ups."""
    try:
        with transaction.atomic():
            CaseParticipant.objects.create(case=case, user=user)
    except IntegrityError:
        return
    Case.objects.filter(pk=case.pk).update(people_count=F("people_count") + 1)


# --- appeal letters ---------------------------------------------------------------------


def letter_template(*, urgent_action: UrgentAction, target: Target) -> str:
    """The letter the writer starts from: the target's salutation, the action's text."""
    return f"{target.salutation},\n\n{urgent_action.letter_template.strip()}\n\nYours sincerely,"


def _check_can_write(urgent_action: UrgentAction) -> None:
    case = urgent_action.case
    if case.actions_hidden:
        raise CaseError("Action on this case is paused for the person's safety.")
    if not urgent_action.is_open():
        raise CaseError("This urgent action is closed: its deadline has passed.")


def _letter_for_update(*, target: Target, user: User) -> AppealLetter | None:
    return AppealLetter.objects.select_for_update().filter(target=target, user=user).first()


def _count_letter(letter: AppealLetter, *, user: User) -> None:
    urgent_action = letter.urgent_action
    UrgentAction.objects.filter(pk=urgent_action.pk).update(letter_count=F("letter_count") + 1)
    Case.objects.filter(pk=urgent_action.case_id).update(letters_online=F("letters_online") + 1)
    _record_participant(case=urgent_action.case, user=user)


@transaction.atomic
def send_letter(
    *,
    urgent_action: UrgentAction,
    target: Target,
    user: User,
    body: str,
    within_limits: Callable[[], bool],
) -> bool:
    """Email the letter to the target's published address, with the writer as Reply-To.
    True if it went now; False if this person's letter to this target was already sent or
    posted (it counts once).

    ``within_limits`` spends one letter of the daily budgets (the view's, per writer and
    per address, shared with campaign letters) and says whether there was one left. It is
    called only once this person's letter is claimed, so a replayed or doubled POST, which
    finds the letter sent, costs nothing; over the limit, the claim is rolled back."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    _check_can_write(urgent_action)
    if not target.email:
        raise CaseError("This authority has no published email address: print and post it.")
    now = timezone.now()
    letter = _letter_for_update(target=target, user=user)
    if letter is not None and letter.counts:
        return False
    if letter is None:
        try:
            with transaction.atomic():
                letter = AppealLetter.objects.create(
                    urgent_action=urgent_action,
                    target=target,
                    user=user,
                    method=AppealLetter.Method.EMAIL,
                    status=Letter.SENT,
                    counted_at=now,
                )
        except IntegrityError:  # the same person's other request got there first
            return False
    else:  # printed earlier, sent by email instead
        AppealLetter.objects.filter(pk=letter.pk).update(
            method=AppealLetter.Method.EMAIL, status=Letter.SENT, body="", counted_at=now
        )
    letter.urgent_action = urgent_action
    if not within_limits():
        raise LetterLimitError(
            "You have reached today's limit of letters we can send for you, or this "
            "authority has had as many as we send in a day. Please try again tomorrow, "
            "or print your letter and post it."
        )
    _count_letter(letter, user=user)
    text = (
        f"{body.strip()}\n\n{user.public_name}\n\n"
        f"--\nSent by {user.public_name} through {settings.SITE_NAME}. "
        "Reply to this email to reach the writer directly.\n"
    )
    queue_email(
        key=f"cases-letter:{letter.pk}",
        to=target.email,
        subject=f"{urgent_action.reference}: {urgent_action.title}",
        text=text,
        kind="cases_letter",
        user=user,
        headers={"Reply-To": user.email},
    )
    return True


@transaction.atomic
def print_letter(
    *, urgent_action: UrgentAction, target: Target, user: User, body: str
) -> AppealLetter | None:
    """Keep the letter for its print page until the writer says it is posted. None if this
    person's letter to this target already counts."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    _check_can_write(urgent_action)
    letter = _letter_for_update(target=target, user=user)
    if letter is not None and letter.counts:
        return None
    if letter is not None:
        letter.body = body.strip()
        letter.save(update_fields=["body"])
        return letter
    try:
        with transaction.atomic():
            return AppealLetter.objects.create(
                urgent_action=urgent_action,
                target=target,
                user=user,
                method=AppealLetter.Method.POST,
                status=Letter.PRINTED,
                body=body.strip(),
            )
    except IntegrityError:
        return None


@transaction.atomic
def mark_posted(*, letter: AppealLetter, user: User) -> bool:
    """The writer posted their printed letter: it counts now, once. Its text, needed only
    for printing, is not kept."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    posted = (
        AppealLetter.objects.filter(pk=letter.pk, user=user, status=Letter.PRINTED).update(
            status=Letter.POSTED, body="", counted_at=timezone.now()
        )
        == 1
    )
    if posted:
        _count_letter(letter, user=user)
    return posted


# --- solidarity messages ----------------------------------------------------------------


@transaction.atomic
def write_message(
    *,
    case: Case,
    user: User,
    first_name: str,
    surname: str = "",
    show_surname: bool = False,
    place: str = "",
    body: str,
) -> SolidarityMessage:
    """A message to the person, kept for moderation. One per person per case."""
    pagecache.touch(pagecache.person(user.pk))  # waits for the moderators
    if not case.is_open:
        raise CaseError("This case is not taking messages now.")
    try:
        with transaction.atomic():
            message = SolidarityMessage.objects.create(
                case=case,
                user=user,
                first_name=first_name.strip(),
                surname=surname.strip(),
                show_surname=show_surname and bool(surname.strip()),
                place=place.strip(),
                body=body.strip(),
            )
    except IntegrityError:
        raise CaseError("You have already written a message for this case. Thank you!") from None
    _record_participant(case=case, user=user)
    return message


def _decide(*, message: SolidarityMessage, by: User, to: str, reason: str = "") -> bool:
    now = timezone.now()
    decided = (
        SolidarityMessage.objects.filter(pk=message.pk, status=Message.PENDING).update(
            status=to, decided_by=by, decided_at=now, decision_reason=reason
        )
        == 1
    )
    if decided:
        message.status, message.decided_by, message.decided_at = to, by, now
        message.decision_reason = reason
    return decided


@transaction.atomic
def approve_message(*, message: SolidarityMessage, by: User) -> bool:
    """Pass the message on; the writer is told. False if it was already decided."""
    pagecache.touch(pagecache.person(message.user_id) if message.user_id else "")
    if not _decide(message=message, by=by, to=Message.APPROVED):
        return False
    Case.objects.filter(pk=message.case_id).update(messages_approved=F("messages_approved") + 1)
    writer = message.user
    address = writer.email if writer else message.guest_email
    if address:
        subject, text, html = render_email(
            "cases_message_approved", {"message": message, "case": message.case}
        )
        queue_email(
            key=f"cases-message-approved:{message.pk}",
            to=address,
            subject=subject,
            text=text,
            html=html,
            kind="cases_message_approved",
            user=writer,
        )
    return True


@transaction.atomic
def reject_message(*, message: SolidarityMessage, by: User, reason: str) -> bool:
    """Keep the message back, with the reason logged. False if it was already decided."""
    pagecache.touch(pagecache.person(message.user_id) if message.user_id else "")
    if not reason.strip():
        raise CaseError("Please give a reason: it is kept with the decision.")
    return _decide(message=message, by=by, to=Message.REJECTED, reason=reason.strip())


@transaction.atomic
def compile_batch(*, case: Case, by: User) -> SolidarityBatch | None:
    """Gather the approved messages not yet in a batch into a new one, for printing and
    delivery. None when there is nothing new."""
    pagecache.touch()
    # The case row lock orders two compilers: the second sees the first's batch.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    waiting = SolidarityMessage.objects.filter(
        case=case, status=Message.APPROVED, batch__isnull=True
    )
    if not waiting.exists():
        return None
    last = case.solidarity_batches.aggregate(n=Max("number"))["n"] or 0
    batch = SolidarityBatch.objects.create(case=case, number=last + 1, created_by=by)
    waiting.update(batch=batch)
    return batch


# --- adoption ---------------------------------------------------------------------------


@transaction.atomic
def adopt_case(*, case: Case, group: LocalGroup, by: User) -> bool:
    """The group adopts the case; False if it already had."""
    pagecache.touch(f"group:{group.slug}")  # the group page lists its adopted cases
    if not case.is_published or not case.is_open:
        raise CaseError("Only an active case can be adopted.")
    try:
        with transaction.atomic():
            CaseAdoption.objects.create(case=case, group=group, adopted_by=by)
    except IntegrityError:
        return False
    Case.objects.filter(pk=case.pk).update(groups_count=F("groups_count") + 1)
    return True


@transaction.atomic
def drop_adoption(*, case: Case, group: LocalGroup) -> bool:
    pagecache.touch(f"group:{group.slug}")
    deleted, _ = CaseAdoption.objects.filter(case=case, group=group).delete()
    if deleted:
        Case.objects.filter(pk=case.pk, groups_count__gt=0).update(
            groups_count=F("groups_count") - 1
        )
    return bool(deleted)


# --- offline tallies --------------------------------------------------------------------


@transaction.atomic
def record_offline_tally(
    *,
    case: Case,
    group: LocalGroup,
    source_key: str,
    label: str,
    on: date,
    letters: int,
    cards: int,
    by: User | None,
) -> OfflineTally | None:
    """Letters and cards written on paper for the case (e.g. at an event), counted into its
    offline totals. Recording the same source again replaces its figures."""
    pagecache.touch(private=False)  # the case page, which is not cached
    if letters < 0 or cards < 0:
        raise CaseError("Counts cannot be negative.")
    # Tallies of one case are written one at a time, so the totals move by exact deltas.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    existing = OfflineTally.objects.filter(case=case, source_key=source_key).first()
    if existing is None and not (letters or cards):
        return None
    before = (existing.letters, existing.cards) if existing else (0, 0)
    open_then = (
        case.urgent_actions.filter(issued_on__lte=on, deadline__gte=on)
        .order_by("-issued_on", "-pk")
        .first()
    )
    tally, _ = OfflineTally.objects.update_or_create(
        case=case,
        source_key=source_key,
        defaults={
            "group": group,
            "label": label[:200],
            "written_on": on,
            "urgent_action": open_then,
            "letters": letters,
            "cards": cards,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    Case.objects.filter(pk=case.pk).update(
        letters_offline=F("letters_offline") + letters - before[0],
        cards_offline=F("cards_offline") + cards - before[1],
    )
    return tally


# --- updates ----------------------------------------------------------------------------


@transaction.atomic
def publish_update(
    *,
    case: Case,
    author: User,
    title: str,
    body: str,
    new_status: str = "",
    notify: bool = True,
) -> CaseUpdate:
    """Publish a follow-up or outcome, change the status if it says so, and (if notify)
    email it once to everyone who acted, in batches after commit."""
    pagecache.touch()  # the case page; a new status touches its own pages
    if case.hide_real_name and mentions(case.real_name, title, body):
        raise CaseError("This update names the person: use the pseudonym.")
    update = CaseUpdate.objects.create(
        case=case,
        title=title.strip(),
        body=body.strip(),
        new_status=new_status,
        notify=notify,
        author=author,
    )
    if new_status:
        change_status(case=case, to=new_status)
    if notify and case.is_published:
        followups.start_followup(update=update)
    return update
