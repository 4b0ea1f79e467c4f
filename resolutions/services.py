"""Every write to resolutions. Each takes the resolution's row lock first (the one lock
order: resolution, then its supports and co-sponsors), so counts stay exact and the
agenda threshold is crossed once however many people support at the same moment.
Refusals raise ResolutionError with a message for the person."""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from groups.models import LocalGroup, Membership
from portal import hooks, pagecache
from portal.models import User

from . import news
from .models import CoSponsor, LogEntry, Meeting, ProgressUpdate, Resolution, Support
from .permissions import is_organiser, leads_group

# Resolutions show on no cached public page; My portal lists the ones a person proposed
# or supports (and, for leads, drafts to endorse), so every resolution write bumps this.
RESOLUTIONS = "resolutions"

Status = Resolution.Status
# Where supports and co-sponsorships are still taken (a submitted resolution keeps
# gathering them until the deadline; the figures are shown to the organisers).
GATHERING = (Status.OPEN, Status.SUBMITTED)


class ResolutionError(Exception):
    """A rule refused the request; the message says which, for the person."""


def _log(resolution: Resolution, action: str, by: User | None, detail: str = "", at=None):
    LogEntry.objects.create(
        resolution=resolution, action=action, by=by, detail=detail[:500], at=at or timezone.now()
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _lock(resolution: Resolution) -> Resolution:
    return (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("meeting__region", "group")
        .get(pk=resolution.pk)
    )


def _deadline_passed(resolution: Resolution, now: datetime) -> bool:
    return now >= resolution.meeting.submission_deadline


def _deadline_text(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.submission_deadline):%-d %B %Y, %H:%M}"


def in_region(user: User, meeting: Meeting) -> bool:
    """For a regional conference: the person is a current member of a group of its region."""
    if meeting.is_agm:
        return True
    return (
        Membership.objects.current()
        .filter(user=user, group__area__region_id=meeting.region_id)
        .exists()
    )


def _submit_if_ready(resolution: Resolution, by: User | None, now: datetime) -> bool:
    """Under the resolution's lock: the one place the threshold is crossed."""
    if resolution.status != Status.OPEN or not resolution.thresholds_met:
        return False
    if _deadline_passed(resolution, now):
        return False
    resolution.status, resolution.submitted_at = Status.SUBMITTED, now
    resolution.save(update_fields=["status", "submitted_at"])
    _log(
        resolution,
        "submitted",
        by,
        f"{_plural(resolution.group_count, 'group')} and "
        f"{_plural(resolution.support_count, 'member')}: sent to the organisers",
        at=now,
    )
    return True


# --- drafting -------------------------------------------------------------------------


def _check_group(meeting: Meeting, group: LocalGroup, what: str) -> None:
    if not group.is_active:
        raise ResolutionError(f"{group.name} is not an active group, so it cannot {what}.")
    if not meeting.is_agm and group.area.region_id != meeting.region_id:
        raise ResolutionError(
            f"{group.name} is not in the {meeting.region.name} region, so it cannot {what} "
            f"for the {meeting.name}."
        )


@transaction.atomic
def draft_resolution(
    *,
    meeting: Meeting,
    proposer: User,
    group: LocalGroup,
    title: str,
    notes: str,
    believes: str,
    resolves: str,
    now: datetime | None = None,
) -> Resolution:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    if not meeting.is_open(now):
        raise ResolutionError(
            f"The submission deadline of the {meeting.name} has passed ({_deadline_text(meeting)})."
        )
    if not Membership.objects.current().filter(user=proposer, group=group).exists():
        raise ResolutionError(f"You are not a member of {group.name}: propose for your own group.")
    _check_group(meeting, group, "propose a resolution")
    resolution = Resolution.objects.create(
        meeting=meeting,
        proposer=proposer,
        group=group,
        title=title,
        notes=notes,
        believes=believes,
        resolves=resolves,
        created_at=now,
    )
    _log(resolution, "drafted", proposer, f"proposed for {group.name}", at=now)
    return resolution


@transaction.atomic
def edit_draft(
    *, resolution: Resolution, by: User, title: str, notes: str, believes: str, resolves: str
) -> Resolution:
    pagecache.touch(RESOLUTIONS)
    resolution = _lock(resolution)
    if not resolution.is_draft:
        raise ResolutionError(
            "This resolution was endorsed by its group, so its text can no longer change."
        )
    resolution.title, resolution.notes = title, notes
    resolution.believes, resolution.resolves = believes, resolves
    resolution.save(update_fields=["title", "notes", "believes", "resolves"])
    _log(resolution, "edited", by)
    return resolution


@transaction.atomic
def endorse(*, resolution: Resolution, by: User, now: datetime | None = None) -> Resolution:
    """The proposing group's lead makes the draft public and open for support."""
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    if not leads_group(by, resolution.group_id):
        raise ResolutionError(f"Only a lead of {resolution.group.name} can endorse this draft.")
    if not resolution.is_draft:
        raise ResolutionError("This resolution has already been endorsed.")
    if _deadline_passed(resolution, now):
        raise ResolutionError(
            f"The submission deadline ({_deadline_text(resolution.meeting)}) has passed."
        )
    resolution.status, resolution.endorsed_at = Status.OPEN, now
    resolution.save(update_fields=["status", "endorsed_at"])
    _log(resolution, "endorsed", by, f"endorsed by {resolution.group.name}", at=now)
    # Public from now on: apps above react (conversations opens its discussion).
    hooks.emit("resolution.endorsed", group_id=resolution.group_id, resolution=resolution)
    _submit_if_ready(resolution, by, now)
    return resolution


# --- co-sponsors and supporters -------------------------------------------------------


def _check_gathering(resolution: Resolution, now: datetime, what: str) -> None:
    if resolution.status not in GATHERING:
        raise ResolutionError(
            f"This resolution is {resolution.get_status_display().lower()}: it takes no more "
            f"{what}."
        )
    if _deadline_passed(resolution, now):
        raise ResolutionError(
            f"The submission deadline ({_deadline_text(resolution.meeting)}) has passed: "
            f"no more {what}."
        )


@transaction.atomic
def cosponsor(
    *, resolution: Resolution, group: LocalGroup, by: User, now: datetime | None = None
) -> CoSponsor:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    _check_gathering(resolution, now, "co-sponsors")
    if group.pk == resolution.group_id:
        raise ResolutionError(
            f"{group.name} proposes this resolution: the proposing group already counts once."
        )
    if not leads_group(by, group.pk):
        raise ResolutionError(f"Only a lead of {group.name} can co-sponsor for it.")
    _check_group(resolution.meeting, group, "co-sponsor")
    try:
        with transaction.atomic():
            sponsor = CoSponsor.objects.create(
                resolution=resolution, group=group, by=by, created_at=now
            )
    except IntegrityError:
        raise ResolutionError(f"{group.name} already co-sponsors this resolution.") from None
    resolution.group_count = F("group_count") + 1
    resolution.save(update_fields=["group_count"])
    resolution.refresh_from_db(fields=["group_count"])
    _log(resolution, "co-sponsored", by, f"{group.name} co-sponsors", at=now)
    _submit_if_ready(resolution, by, now)
    return sponsor


@transaction.atomic
def support(
    *, resolution: Resolution, user: User, comment: str = "", now: datetime | None = None
) -> Support:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    _check_gathering(resolution, now, "supporters")
    if not user.email_verified:
        raise ResolutionError("Please confirm your email address before supporting.")
    meeting = resolution.meeting
    if not in_region(user, meeting):
        raise ResolutionError(
            f"The {meeting.name} is the {meeting.region.name} region's conference: only "
            "members of a group in that region can support its resolutions."
        )
    try:
        with transaction.atomic():
            row = Support.objects.create(
                resolution=resolution, user=user, comment=comment.strip(), created_at=now
            )
    except IntegrityError:
        raise ResolutionError(
            "You already support this resolution: each member counts once."
        ) from None
    resolution.support_count = F("support_count") + 1
    resolution.save(update_fields=["support_count"])
    resolution.refresh_from_db(fields=["support_count"])
    _submit_if_ready(resolution, user, now)
    return row


@transaction.atomic
def withdraw_support(*, resolution: Resolution, user: User, now: datetime | None = None) -> None:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    if _deadline_passed(resolution, now) or resolution.status not in GATHERING:
        raise ResolutionError("Supports can be withdrawn only before the submission deadline.")
    deleted, _ = Support.objects.filter(resolution=resolution, user=user).delete()
    if not deleted:
        raise ResolutionError("You do not support this resolution.")
    resolution.support_count = F("support_count") - 1
    resolution.save(update_fields=["support_count"])


# --- the agenda -----------------------------------------------------------------------


class Decision:
    ACCEPT, COMPOSITE, OUT_OF_ORDER = "accept", "composite", "out_of_order"
    CHOICES = [
        (ACCEPT, "Accept onto the agenda"),
        (COMPOSITE, "Composite with another resolution"),
        (OUT_OF_ORDER, "Rule out of order"),
    ]


def _check_organiser(resolution: Resolution, by: User) -> None:
    if not is_organiser(by, resolution.meeting):
        raise ResolutionError("Only the organisers of this meeting decide its agenda.")


def _next_position(meeting: Meeting) -> int:
    Meeting.objects.select_for_update().get(pk=meeting.pk)  # positions are per meeting
    top = meeting.resolutions.aggregate(top=Max("agenda_position"))["top"]
    return (top or 0) + 1


@transaction.atomic
def decide(
    *,
    resolution: Resolution,
    by: User,
    decision: str,
    reason: str = "",
    into: Resolution | None = None,
    now: datetime | None = None,
) -> Resolution:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    _check_organiser(resolution, by)
    if resolution.status != Status.SUBMITTED:
        raise ResolutionError(
            f"This resolution is {resolution.get_status_display().lower()}: only submitted "
            "resolutions wait for an agenda decision."
        )
    reason = reason.strip()
    if decision == Decision.ACCEPT:
        resolution.status = Status.ACCEPTED
        resolution.agenda_position = _next_position(resolution.meeting)
        detail = f"accepted onto the agenda as item {resolution.agenda_position}"
    elif decision == Decision.COMPOSITE:
        if into is None or into.pk == resolution.pk or into.meeting_id != resolution.meeting_id:
            raise ResolutionError(
                "Choose another resolution of the same meeting to composite with."
            )
        if into.status not in (Status.SUBMITTED, Status.ACCEPTED):
            raise ResolutionError(
                "A resolution is composited into one that is submitted or on the agenda."
            )
        resolution.status, resolution.composited_into = Status.COMPOSITED, into
        detail = f"composited into “{into.title}”"
    elif decision == Decision.OUT_OF_ORDER:
        if not reason:
            raise ResolutionError("Give the reason for ruling it out of order.")
        resolution.status = Status.OUT_OF_ORDER
        detail = "ruled out of order"
    else:
        raise ResolutionError("Choose accept, composite or rule out of order.")
    resolution.decided_at, resolution.decision_reason = now, reason
    resolution.save(
        update_fields=[
            "status",
            "agenda_position",
            "composited_into",
            "decided_at",
            "decision_reason",
        ]
    )
    _log(resolution, decision, by, f"{detail}: {reason}" if reason else detail, at=now)
    news.announce(resolution=resolution, what=news.AGENDA)
    return resolution


@transaction.atomic
def close_short_resolutions(*, now: datetime | None = None) -> int:
    """After each meeting's deadline, close the open resolutions that fell short (with their
    figures in the log). Safe to run again: closed ones are no longer open."""
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    # One being supported at this very moment is skipped (SKIP LOCKED) and closed at the
    # next tick, unless that support made it before the deadline.
    short = list(
        Resolution.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("meeting")
        .filter(status=Status.OPEN, meeting__submission_deadline__lte=now)
    )
    for resolution in short:
        resolution.status = Status.CLOSED
        resolution.save(update_fields=["status"])
        meeting = resolution.meeting
        _log(
            resolution,
            "closed",
            None,
            f"fell short at the deadline: {resolution.group_count} of {meeting.groups_needed} "
            f"groups, {resolution.support_count} of {meeting.members_needed} members",
            at=now,
        )
    return len(short)


# --- results and accountability -------------------------------------------------------


@transaction.atomic
def record_result(
    *,
    resolution: Resolution,
    by: User,
    result: str,
    votes_for: int | None,
    votes_against: int | None,
    abstentions: int | None,
    now: datetime | None = None,
) -> Resolution:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    _check_organiser(resolution, by)
    if resolution.status != Status.ACCEPTED:
        raise ResolutionError("A result is recorded for a resolution on the agenda.")
    if resolution.result:
        raise ResolutionError("The result of this resolution is already recorded.")
    if result not in Resolution.Result.values:
        raise ResolutionError("Choose passed, failed, withdrawn or remitted.")
    resolution.result, resolution.result_at = result, now
    resolution.votes_for, resolution.votes_against = votes_for, votes_against
    resolution.abstentions = abstentions
    resolution.save(
        update_fields=["result", "result_at", "votes_for", "votes_against", "abstentions"]
    )
    figures = f"{votes_for or 0} for, {votes_against or 0} against, {abstentions or 0} abstaining"
    _log(resolution, "result", by, f"{resolution.get_result_display().lower()}: {figures}", at=now)
    news.announce(resolution=resolution, what=news.RESULT)
    return resolution


@transaction.atomic
def post_progress(
    *,
    resolution: Resolution,
    by: User,
    responsible: str,
    dated: date,
    status: str,
    percent: int,
    note: str,
    now: datetime | None = None,
) -> ProgressUpdate:
    pagecache.touch(RESOLUTIONS)
    now = now or timezone.now()
    resolution = _lock(resolution)
    _check_organiser(resolution, by)
    if resolution.result != Resolution.Result.PASSED:
        raise ResolutionError("Progress is tracked for passed resolutions only.")
    if not 0 <= percent <= 100:
        raise ResolutionError("The percentage is between 0 and 100.")
    if status == ProgressUpdate.Status.DONE and percent != 100:
        raise ResolutionError("A resolution that is done is 100% done.")
    responsible = responsible.strip()
    if responsible != resolution.responsible:
        resolution.responsible = responsible
        resolution.save(update_fields=["responsible"])
        _log(resolution, "responsible", by, f"responsible: {responsible}", at=now)
    update = ProgressUpdate.objects.create(
        resolution=resolution,
        dated=dated,
        status=status,
        percent=percent,
        note=note,
        author=by,
        created_at=now,
    )
    _log(resolution, "progress", by, f"{update.get_status_display().lower()}, {percent}%", at=now)
    news.announce(resolution=resolution, what=news.PROGRESS, update=update)
    return update
