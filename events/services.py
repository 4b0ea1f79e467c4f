"""Every write to events, festivals, venues and RSVPs.

Lock order, everywhere: the Event row first (select_for_update), then its RSVP rows. The
event row is the one lock every RSVP change takes, so changes to one event's attendance
run one at a time and the counters on it are always exact."""

import secrets
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cases import services as case_services
from groups.models import LocalGroup, Membership
from partners.models import Partnership
from portal import hooks, pagecache
from portal.models import GuestContact, User
from portal.services import queue_email, render_email
from resources import learning

from .calendar_links import calendar_links
from .ical import ics_attachment
from .links import cancel_url_for
from .models import (
    RSVP,
    CalendarFeedToken,
    CohostInvitation,
    Event,
    EventReport,
    Festival,
    Venue,
    WalkIn,
)

# A change to any of these is one calendar programs must pick up (SEQUENCE goes up).
SIGNIFICANT_FIELDS = {"title", "starts_at", "ends_at", "venue", "mode", "online_url", "status"}
# A change to one of these is worth an email to everyone with a place or on the waitlist.
TIME_OR_PLACE = {"starts_at", "ends_at", "venue", "mode", "online_url"}


class RSVPError(Exception):
    """Why someone can't RSVP; str() is shown to them."""


class ProposalError(Exception):
    """A decision on a member's proposal that cannot be carried out; str() is shown."""


class CohostError(Exception):
    """An answer to a co-hosting invitation that cannot be carried out; str() is shown."""


def unique_slug(model, text: str, *, max_length: int = 200) -> str:
    base = slugify(text)[: max_length - 6].strip("-") or "event"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _email_rsvp(*, event: Event, rsvp: RSVP, template: str, key: str) -> None:
    person = rsvp.person
    if person is None:
        return
    subject, text, html = render_email(
        template,
        {
            "event": event,
            "rsvp": rsvp,
            "user": person,
            "cancel_url": cancel_url_for(rsvp),
            "calendar_links": calendar_links(event),
        },
    )
    online = rsvp.status == RSVP.Status.CONFIRMED and event.status != Event.Status.CANCELLED
    queue_email(
        key=key,
        to=person.email,
        subject=subject,
        text=text,
        html=html,
        kind=template,
        user=rsvp.user,
        attachments=[ics_attachment(event, online_link=online)],
    )


def _locked(event: Event) -> Event:
    return Event.objects.select_related("venue").select_for_update(of=("self",)).get(pk=event.pk)


def _confirm(event: Event, rsvp: RSVP, *, now: datetime) -> None:
    rsvp.status = RSVP.Status.CONFIRMED
    rsvp.waitlisted_at = None
    rsvp.updated_at = now
    rsvp.save()
    event.confirmed_count += 1
    _email_rsvp(
        event=event,
        rsvp=rsvp,
        template="events_rsvp_confirmed",
        key=f"events:rsvp-confirmed:{rsvp.pk}:{now.isoformat()}",
    )


def _fill_from_waitlist(event: Event, *, now: datetime) -> list[RSVP]:
    """Promote the longest-waiting people while there is room. The event row is locked."""
    promoted = []
    while event.capacity is None or event.confirmed_count < event.capacity:
        rsvp = (
            RSVP.objects.select_for_update(of=("self",))
            .select_related("user", "guest")
            .filter(event=event, status=RSVP.Status.WAITLISTED)
            .order_by("waitlisted_at", "pk")
            .first()
        )
        if rsvp is None:
            break
        rsvp.status = RSVP.Status.CONFIRMED
        rsvp.waitlisted_at = None
        rsvp.updated_at = now
        rsvp.save()
        event.confirmed_count += 1
        event.waitlist_count -= 1
        _email_rsvp(
            event=event,
            rsvp=rsvp,
            template="events_waitlist_promoted",
            key=f"events:promoted:{rsvp.pk}:{now.isoformat()}",
        )
        promoted.append(rsvp)
    Event.objects.filter(pk=event.pk).update(
        confirmed_count=event.confirmed_count, waitlist_count=event.waitlist_count
    )
    return promoted


def _owner(user: User | None, guest: GuestContact | None) -> dict:
    if (user is None) == (guest is None):
        raise RSVPError("An RSVP is for one person.")
    return {"user": user} if user is not None else {"guest": guest}


@transaction.atomic
def rsvp_to_event(
    *,
    event: Event,
    user: User | None = None,
    guest: GuestContact | None = None,
    show_name: bool = False,
) -> RSVP:
    """Say "I'm coming": a place if there is room, else the end of the waitlist. The
    person is an account or a guest contact who confirmed by email (guests app); a guest's
    place is taken when they confirm, so this runs then. ``show_name``: they chose to be
    seen among who's going."""
    owner = _owner(user, guest)
    event = _locked(event)
    now = timezone.now()
    if event.status != Event.Status.PUBLISHED:
        raise RSVPError("This event is not open for RSVPs.")
    if event.ends_at <= now:
        raise RSVPError("This event has already happened.")
    if event.visibility == Event.Visibility.MEMBERS and (
        user is None
        or not Membership.objects.current().filter(group_id=event.group_id, user=user).exists()
    ):
        raise RSVPError(f"This event is for members of {event.group.name} only.")
    rsvp = RSVP.objects.filter(event=event, **owner).first() or RSVP(
        event=event, created_at=now, **owner
    )
    if rsvp.pk and rsvp.status != RSVP.Status.CANCELLED:
        return rsvp
    before = event.rsvp_state()
    rsvp.show_name = show_name
    if event.capacity is None or event.confirmed_count < event.capacity:
        _confirm(event, rsvp, now=now)
    else:
        rsvp.status = RSVP.Status.WAITLISTED
        rsvp.waitlisted_at = now
        rsvp.updated_at = now
        rsvp.save()
        event.waitlist_count += 1
        _email_rsvp(
            event=event,
            rsvp=rsvp,
            template="events_waitlisted",
            key=f"events:waitlisted:{rsvp.pk}:{now.isoformat()}",
        )
    Event.objects.filter(pk=event.pk).update(
        confirmed_count=event.confirmed_count, waitlist_count=event.waitlist_count
    )
    hooks.emit("attendance.created", group_id=event.group_id, event=event, rsvp=rsvp)
    pagecache.touch(*event.rsvp_scopes(was=before), review=False)
    return rsvp


def waitlist_position(rsvp: RSVP) -> int | None:
    """1 for the next person to get a place; None when not on the waitlist."""
    if rsvp.status != RSVP.Status.WAITLISTED:
        return None
    return (
        RSVP.objects.filter(
            event_id=rsvp.event_id,
            status=RSVP.Status.WAITLISTED,
            waitlisted_at__lte=rsvp.waitlisted_at,
        )
        .exclude(waitlisted_at=rsvp.waitlisted_at, pk__gt=rsvp.pk)
        .count()
    )


@transaction.atomic
def cancel_rsvp(
    *, event: Event, user: User | None = None, guest: GuestContact | None = None
) -> RSVP | None:
    """Say "I'm not coming" (or leave the waitlist); a freed place goes to the waitlist."""
    owner = _owner(user, guest)
    event = _locked(event)
    rsvp = (
        RSVP.objects.select_for_update()
        .filter(event=event, **owner)
        .exclude(status=RSVP.Status.CANCELLED)
        .first()
    )
    if rsvp is None:
        return None
    before = event.rsvp_state()
    now = timezone.now()
    was = rsvp.status
    rsvp.status = RSVP.Status.CANCELLED
    rsvp.waitlisted_at = None
    rsvp.checked_in_at = None
    rsvp.updated_at = now
    rsvp.save()
    if was == RSVP.Status.CONFIRMED:
        event.confirmed_count -= 1
    else:
        event.waitlist_count -= 1
    if event.status == Event.Status.PUBLISHED and event.ends_at > now:
        _fill_from_waitlist(event, now=now)
    else:
        Event.objects.filter(pk=event.pk).update(
            confirmed_count=event.confirmed_count, waitlist_count=event.waitlist_count
        )
    hooks.emit("attendance.cancelled", group_id=event.group_id, event=event, rsvp=rsvp)
    # Whoever waits moves up the queue, or gets the freed place (their My portal).
    queue = f"waitlist:{event.slug}" if before[1] else ""
    pagecache.touch(*event.rsvp_scopes(was=before), queue, review=False)
    return rsvp


@transaction.atomic
def claim_guest_rsvps(*, guest: GuestContact, user: User) -> int:
    """Give a guest contact's RSVPs to the account that now owns its address. Where the
    account already has an RSVP for the same event, the guest's place is given up (through
    cancel_rsvp, so a freed place goes to the waitlist) and the account's stays: one
    person, one place. Returns the RSVPs moved."""
    moved = 0
    for rsvp in RSVP.objects.filter(guest=guest).select_related("event").order_by("pk"):
        RSVP.objects.filter(
            event_id=rsvp.event_id, user=user, status=RSVP.Status.CANCELLED
        ).delete()
        if RSVP.objects.filter(event_id=rsvp.event_id, user=user).exists():
            if rsvp.status != RSVP.Status.CANCELLED:
                cancel_rsvp(event=rsvp.event, guest=guest)
            RSVP.objects.filter(pk=rsvp.pk).delete()
        else:
            RSVP.objects.filter(pk=rsvp.pk).update(user=user, guest=None)
            moved += 1
    return moved


@transaction.atomic
def create_event(
    *,
    group: LocalGroup,
    by: User,
    data: dict,
    partners=(),
    cohost_groups=(),
    modules=(),
    cases=(),
    status: str = Event.Status.DRAFT,
    host: User | None = None,
) -> Event:
    now = timezone.now()
    event = Event(**data, group=group, created_by=by, created_at=now, updated_at=now, host=host)
    event.slug = unique_slug(
        Event, f"{data['title']} {timezone.localtime(data['starts_at']):%Y-%m-%d}"
    )
    event.status = status
    event.save()
    event.partners.set(partners)
    invite_cohosts(event=event, groups=cohost_groups, by=by)
    event.modules.set(modules)
    event.cases.set(cases)
    if status == Event.Status.PUBLISHED:
        hooks.emit("event.published", group_id=group.pk, event=event)
    tell_partners(event=event)
    # A draft or a proposal shows only to leads (their My portal, the review queue).
    pagecache.touch(*(event.page_scopes() if status == Event.Status.PUBLISHED else ()))
    return event


@transaction.atomic
def update_event(
    *,
    event: Event,
    data: dict,
    partners=(),
    cohost_groups=(),
    modules=(),
    cases=(),
    by: User | None = None,
) -> Event:
    locked = _locked(event)
    before = locked.page_scopes()  # a moved event leaves its old group's page too
    changed = {name for name, value in data.items() if getattr(locked, name) != value}
    for name, value in data.items():
        setattr(locked, name, value)
    if changed & SIGNIFICANT_FIELDS:
        locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    locked.partners.set(partners)
    invite_cohosts(event=locked, groups=cohost_groups, by=by)
    tell_partners(event=locked)
    locked.modules.set(modules)
    locked.cases.set(cases)
    pagecache.touch(*before, *locked.page_scopes())
    if locked.status == Event.Status.PUBLISHED and locked.ends_at > locked.updated_at:
        # A bigger capacity makes room for people on the waitlist.
        _fill_from_waitlist(locked, now=locked.updated_at)
        if changed & TIME_OR_PLACE:
            _email_change(locked)
    return locked


# --- co-hosting by invitation ----------------------------------------------------------


def _email_invitation(invitation: CohostInvitation) -> None:
    """Tell the invited group's leads (each once per invitation round)."""
    subject_obj = invitation.subject
    host = subject_obj.group if invitation.event_id else None
    leads = Membership.objects.leads().filter(group=invitation.group).select_related("user")
    for membership in leads:
        lead = membership.user
        subject, text, html = render_email(
            "events_cohost_invitation",
            {"invitation": invitation, "subject": subject_obj, "host": host, "lead": lead},
        )
        queue_email(
            key=f"events:cohost-invite:{invitation.pk}:{invitation.created_at.isoformat()}"
            f":{lead.pk}",
            to=lead.email,
            subject=subject,
            text=text,
            html=html,
            kind="events_cohost_invitation",
            user=lead,
        )


def _invite(
    *,
    target: dict,
    invitations,
    hosts,
    own: set[int],
    groups,
    by: User | None,
    email: bool,
) -> None:
    """Make `groups` the co-hosts of an event or festival by invitation. ``target`` names
    it for a new invitation ({"event": e} or {"festival": f}), ``invitations`` and ``hosts``
    are its invitations and its co-hosting relation, ``own`` the groups that host it
    without asking. New groups are invited (their leads emailed), groups no longer wanted
    are withdrawn, accepted ones stay. A group shows as a co-host only when one of its
    leads accepts; a person who leads both groups accepts by inviting. A group that
    declined is not asked again."""
    Status = CohostInvitation.Status
    wanted = {group.pk: group for group in groups if group.pk not in own}
    now = timezone.now()
    existing = {inv.group_id: inv for inv in invitations.select_for_update()}
    current = set(hosts.values_list("pk", flat=True)) - own
    led = (
        set(
            Membership.objects.leads()
            .filter(user=by, group_id__in=wanted)
            .values_list("group_id", flat=True)
        )
        if by is not None
        else set()
    )
    pending = {g for g, inv in existing.items() if inv.status == Status.PENDING}
    dropped = (current | pending) - set(wanted)
    if dropped:
        invitations.filter(
            group_id__in=dropped, status__in=[Status.PENDING, Status.ACCEPTED]
        ).update(status=Status.WITHDRAWN, decided_at=now, decided_by=by)
        hosts.remove(*dropped)
    for group_id, group in wanted.items():
        invitation = existing.get(group_id)
        if group_id in current or (
            invitation is not None and invitation.status != Status.WITHDRAWN
        ):
            continue  # a co-host already, or invited, or declined: unchanged
        accepted = group_id in led
        if invitation is None:
            invitation = CohostInvitation(**target, group=group)
        invitation.status = Status.ACCEPTED if accepted else Status.PENDING
        invitation.invited_by, invitation.created_at = by, now
        invitation.decided_by, invitation.decided_at = (by, now) if accepted else (None, None)
        invitation.save()
        if accepted:
            hosts.add(group_id)
        elif email:
            _email_invitation(invitation)


@transaction.atomic
def invite_cohosts(*, event: Event, groups, by: User | None) -> None:
    """The event's co-hosting groups, by invitation (see _invite). A member's proposal
    asks other groups only once the group's leads approve it."""
    _invite(
        target={"event": event},
        invitations=event.cohost_invitations,
        hosts=event.cohost_groups,
        own={event.group_id},
        groups=groups,
        by=by,
        email=not event.is_proposal,
    )


@transaction.atomic
def invite_festival_hosts(*, festival: Festival, groups, own, by: User | None) -> None:
    """The festival's other host groups, by invitation (see _invite); ``own`` are the
    groups the editor leads, which host without asking."""
    own_ids = {group.pk for group in own}
    festival.host_groups.add(*own_ids)
    _invite(
        target={"festival": festival},
        invitations=festival.cohost_invitations,
        hosts=festival.host_groups,
        own=own_ids,
        groups=groups,
        by=by,
        email=True,
    )


@transaction.atomic
def answer_cohost_invitation(*, invitation: CohostInvitation, by: User, accept: bool) -> None:
    """A lead of the invited group accepts (the group then shows as co-host) or declines."""
    Status = CohostInvitation.Status
    now = timezone.now()
    to = Status.ACCEPTED if accept else Status.DECLINED
    # Conditional on PENDING: two leads answering at once, one wins.
    moved = CohostInvitation.objects.filter(pk=invitation.pk, status=Status.PENDING).update(
        status=to, decided_by=by, decided_at=now
    )
    if moved != 1:
        raise CohostError("This invitation has already been answered or withdrawn.")
    if accept and invitation.event_id:
        invitation.event.cohost_groups.add(invitation.group_id)
        pagecache.touch(*invitation.event.page_scopes())
    elif accept:
        invitation.festival.host_groups.add(invitation.group_id)
        pagecache.touch(*invitation.festival.page_scopes())
    else:
        pagecache.touch()
    invitation.status, invitation.decided_by, invitation.decided_at = to, by, now


@transaction.atomic
def remove_from_space(*, event: Event, by: User, group=None, campaign=None, partner=None) -> None:
    """The owner of a space takes an event out of it: a co-hosting group's lead drops the
    group from the event, a campaign's runners unlink it from the campaign, staff unlink a
    partner. Who may do which is events.permissions.spaces_for_owner."""
    now = timezone.now()
    pagecache.touch(*event.page_scopes())  # before: with the space it leaves
    if group is not None:
        # Declined, not withdrawn: the hosts cannot simply add the group back.
        CohostInvitation.objects.update_or_create(
            event=event,
            group=group,
            defaults={
                "status": CohostInvitation.Status.DECLINED,
                "decided_by": by,
                "decided_at": now,
            },
        )
        event.cohost_groups.remove(group)
    if campaign is not None:
        Event.objects.filter(pk=event.pk, campaign=campaign).update(campaign=None, updated_at=now)
    if partner is not None:
        event.partners.remove(partner)


def _email_change(event: Event) -> None:
    going = RSVP.objects.filter(
        event=event, status__in=[RSVP.Status.CONFIRMED, RSVP.Status.WAITLISTED]
    ).select_related("user")
    for rsvp in going:
        _email_rsvp(
            event=event,
            rsvp=rsvp,
            template="events_event_changed",
            key=f"events:changed:{rsvp.pk}:{event.sequence}",
        )


@transaction.atomic
def publish_event(*, event: Event) -> bool:
    published = (
        Event.objects.filter(pk=event.pk, status=Event.Status.DRAFT).update(
            status=Event.Status.PUBLISHED, updated_at=timezone.now()
        )
        == 1
    )
    if published:
        event.status = Event.Status.PUBLISHED
        hooks.emit("event.published", group_id=event.group_id, event=event)
        tell_partners(event=event)
    pagecache.touch(*event.page_scopes())
    return published


@transaction.atomic
def tell_partners(*, event: Event) -> int:
    """If the hosts chose to, email each of a published event's partners once (the outbox
    key), at the partnership's contact address or the partner's public one. Returns how
    many were newly queued."""
    if not event.tell_partners or event.status != Event.Status.PUBLISHED:
        return 0
    private = dict(
        Partnership.objects.filter(group_id=event.group_id, partner__in=event.partners.all())
        .exclude(contact_email="")
        .values_list("partner_id", "contact_email")
    )
    queued = 0
    for partner in event.partners.all():
        address = private.get(partner.pk) or partner.contact_email
        if not address:
            continue
        subject, text, html = render_email(
            "events_partner_told", {"event": event, "partner": partner}
        )
        _message, created = queue_email(
            key=f"events:partner-told:{event.pk}:{partner.pk}",
            to=address,
            subject=subject,
            text=text,
            html=html,
            kind="events_partner_told",
        )
        queued += created
    return queued


@transaction.atomic
def cancel_event(*, event: Event, reason: str) -> int:
    """Cancel and tell everyone with a place or on the waitlist. Returns how many."""
    event = _locked(event)
    if event.status == Event.Status.CANCELLED:
        return 0
    event.status = Event.Status.CANCELLED
    event.cancel_reason = reason
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    pagecache.touch(*event.page_scopes())
    rsvps = list(
        RSVP.objects.select_related("user").filter(
            event=event, status__in=[RSVP.Status.CONFIRMED, RSVP.Status.WAITLISTED]
        )
    )
    for rsvp in rsvps:
        _email_rsvp(
            event=event,
            rsvp=rsvp,
            template="events_event_cancelled",
            key=f"events:cancelled:{event.pk}:{rsvp.pk}",
        )
    hooks.emit("event.cancelled", group_id=event.group_id, event=event)
    return len(rsvps)


def _record_learning(rsvp: RSVP, module_ids: list[int]) -> str:
    """Coming to a training event completes its curriculum modules, for people who keep a
    learning record (resources.learning asks the others, once, and stores nothing)."""
    if rsvp.user is None or not module_ids:
        return "nothing"
    if rsvp.checked_in_at:
        return learning.record_attendance(
            user=rsvp.user, event_id=rsvp.event_id, module_ids=module_ids, when=rsvp.checked_in_at
        )
    learning.forget_attendance(user=rsvp.user, event_id=rsvp.event_id)
    return "nothing"


def _module_ids(event_id: int) -> list[int]:
    return list(
        Event.modules.through.objects.filter(event_id=event_id).values_list("module_id", flat=True)
    )


@transaction.atomic
def set_check_in(*, rsvp: RSVP, came: bool) -> tuple[RSVP, bool, str]:
    """Check someone in (came) or undo it. Saying the same twice changes nothing (a second
    tap at the door must not check them out again). Returns the RSVP, whether it changed,
    and what happened to their learning record ("recorded", "asked", "not_kept" or
    "nothing")."""
    rsvp = RSVP.objects.select_for_update(of=("self",)).select_related("user").get(pk=rsvp.pk)
    if came == bool(rsvp.checked_in_at):
        return rsvp, False, "nothing"
    rsvp.checked_in_at = timezone.now() if came else None
    rsvp.save(update_fields=["checked_in_at"])
    # Shown to the hosts only (the check-in list) and in the person's learning record.
    pagecache.touch(pagecache.person(rsvp.user_id) if rsvp.user_id else "", review=False)
    return rsvp, True, _record_learning(rsvp, _module_ids(rsvp.event_id))


@transaction.atomic
def add_walk_in(*, event: Event, name: str, email: str = "", by: User) -> WalkIn:
    pagecache.touch(private=False, review=False)  # the hosts' check-in list only
    return WalkIn.objects.create(event=event, name=name.strip(), email=email.strip(), added_by=by)


@transaction.atomic
def remove_walk_in(*, walk_in: WalkIn) -> None:
    pagecache.touch(private=False, review=False)
    walk_in.delete()


def attendance(event: Event) -> int:
    """Who came, before a report says otherwise: people checked in and walk-ins."""
    return event.rsvps.filter(checked_in_at__isnull=False).count() + event.walk_ins.count()


def _apply_attendance(event: Event, came_ids: set[int]) -> list[int]:
    """The report's list of who came is the last word on check-ins: ticked people are
    checked in (as at the start), unticked ones checked out, and learning follows.
    Returns the accounts whose learning record may have changed."""
    module_ids = _module_ids(event.pk)
    rsvps = list(
        RSVP.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(event=event, status=RSVP.Status.CONFIRMED)
    )
    for rsvp in rsvps:
        came = rsvp.pk in came_ids
        if came != bool(rsvp.checked_in_at):
            rsvp.checked_in_at = event.starts_at if came else None
            rsvp.save(update_fields=["checked_in_at"])
        _record_learning(rsvp, module_ids)
    return [rsvp.user_id for rsvp in rsvps if rsvp.user_id]


@transaction.atomic
def file_report(
    *,
    event: Event,
    by: User,
    data: dict,
    partners=(),
    came: set[int] | None = None,
    case_tallies=None,
) -> EventReport:
    """File (or correct) the report. ``case_tallies`` ({case: (letters, cards)}) are the
    letters and cards written on paper for the event's cases: they go to each case's
    offline totals, replacing what an earlier filing of this report said."""
    report, _ = EventReport.objects.update_or_create(
        event=event, defaults={**data, "filed_by": by, "filed_at": timezone.now()}
    )
    report.partners_involved.set(partners)
    people = _apply_attendance(event, came) if came is not None else []
    # The report shows to the hosts (their My portal's "reports due") and the review;
    # learning records are their people's own. No cached public page shows either.
    pagecache.touch(*(pagecache.person(pk) for pk in people))
    day = timezone.localtime(event.starts_at).date()
    for case, (letters, cards) in (case_tallies or {}).items():
        case_services.record_offline_tally(
            case=case,
            group=event.group,
            source_key=tally_key(event),
            label=f"{event.title}, {day:%-d %B %Y}",
            on=day,
            letters=letters,
            cards=cards,
            by=by,
        )
    return report


def tally_key(event: Event) -> str:
    """Where an event's offline case tallies come from (cases.models.OfflineTally)."""
    return f"event:{event.pk}"


# --- member-hosted events -------------------------------------------------------------


def is_trusted_host(*, group: LocalGroup, user: User) -> bool:
    return Membership.objects.current().filter(group=group, user=user, trusted_host=True).exists()


@transaction.atomic
def propose_event(
    *, group: LocalGroup, by: User, data: dict, partners=(), cohost_groups=(), modules=(), cases=()
) -> Event:
    """A member's event for their group: published at once if a lead trusts them as a
    host, otherwise waiting for a lead's approval."""
    trusted = is_trusted_host(group=group, user=by)
    return create_event(
        group=group,
        by=by,
        data=data,
        partners=partners,
        cohost_groups=cohost_groups,
        modules=modules,
        cases=cases,
        status=Event.Status.PUBLISHED if trusted else Event.Status.PROPOSED,
        host=by,
    )


@transaction.atomic
def resubmit_proposal(
    *, event: Event, data: dict, partners=(), cohost_groups=(), modules=(), cases=()
) -> Event:
    """The host's edit of a proposal still waiting or sent back: it waits again (or is
    published, if they have since become a trusted host)."""
    event = update_event(
        event=event,
        data=data,
        partners=partners,
        cohost_groups=cohost_groups,
        modules=modules,
        cases=cases,
    )
    trusted = is_trusted_host(group=event.group, user=event.host)
    to = Event.Status.PUBLISHED if trusted else Event.Status.PROPOSED
    _move_proposal(event, from_=(Event.Status.PROPOSED, Event.Status.RETURNED), to=to, note="")
    return event


def _move_proposal(event: Event, *, from_: tuple[str, ...], to: str, note: str) -> None:
    now = timezone.now()
    # Conditional on the status we expect: two leads deciding at once, one wins.
    moved = Event.objects.filter(pk=event.pk, status__in=from_).update(
        status=to, review_note=note, updated_at=now
    )
    if moved != 1:
        raise ProposalError("This proposal has already been decided; reload the page.")
    event.status, event.review_note, event.updated_at = to, note, now


def _email_host(event: Event, outcome: str) -> None:
    host = event.host
    if host is None:
        return
    subject, text, html = render_email(f"events_proposal_{outcome}", {"event": event, "host": host})
    queue_email(
        key=f"events-proposal-{outcome}:{event.pk}:{event.updated_at.isoformat()}",
        to=host.email,
        subject=subject,
        text=text,
        html=html,
        kind=f"events_proposal_{outcome}",
        user=host,
    )


@transaction.atomic
def approve_proposal(*, event: Event) -> Event:
    _move_proposal(
        event,
        from_=(Event.Status.PROPOSED, Event.Status.RETURNED),
        to=Event.Status.PUBLISHED,
        note="",
    )
    _email_host(event, "approved")
    hooks.emit("event.published", group_id=event.group_id, event=event)
    event.refresh_from_db(fields=["tell_partners"])
    tell_partners(event=event)
    # A member's proposal asks other groups to co-host only once the group's leads agree.
    for invitation in event.cohost_invitations.filter(status=CohostInvitation.Status.PENDING):
        _email_invitation(invitation)
    pagecache.touch(*event.page_scopes(), pagecache.person(event.host_id) if event.host_id else "")
    return event


@transaction.atomic
def send_back_proposal(*, event: Event, note: str) -> Event:
    if not note.strip():
        raise ProposalError("Say what to change, so the host can fix it.")
    _move_proposal(
        event, from_=(Event.Status.PROPOSED,), to=Event.Status.RETURNED, note=note.strip()
    )
    _email_host(event, "returned")
    pagecache.touch(pagecache.person(event.host_id) if event.host_id else "")
    return event


@transaction.atomic
def decline_proposal(*, event: Event, note: str) -> Event:
    if not note.strip():
        raise ProposalError("Give the host a reason.")
    _move_proposal(
        event,
        from_=(Event.Status.PROPOSED, Event.Status.RETURNED),
        to=Event.Status.DECLINED,
        note=note.strip(),
    )
    _email_host(event, "declined")
    pagecache.touch(pagecache.person(event.host_id) if event.host_id else "")
    return event


@transaction.atomic
def create_venue(*, data: dict) -> Venue:
    venue = Venue(**data)
    venue.slug = unique_slug(Venue, f"{data['name']} {data['town']}")
    venue.save()
    pagecache.touch(private=False, review=False)  # shown once an event uses it
    return venue


def _with_year(text: str, year: int) -> str:
    return text if str(year) in text else f"{text} {year}"


@transaction.atomic
def create_festival(
    *, data: dict, host_groups, cohost_groups=(), by: User | None = None, partners=()
) -> Festival:
    """A new festival, as a draft, e.g. derby-peace-week-2027: hosted by ``host_groups``
    (the creator's group), with ``cohost_groups`` invited."""
    festival = Festival(**data, status=Festival.Status.DRAFT, created_at=timezone.now())
    festival.slug = unique_slug(Festival, _with_year(data["name"], data["starts_on"].year))
    festival.save()
    invite_festival_hosts(festival=festival, groups=cohost_groups, own=host_groups, by=by)
    festival.partners.set(partners)
    pagecache.touch(*festival.page_scopes())
    return festival


@transaction.atomic
def update_festival(
    *,
    festival: Festival,
    data: dict,
    host_groups,
    cohost_groups=None,
    by: User | None = None,
    partners=(),
) -> Festival:
    """The slug stays, so links already shared keep working. A lead keeps ``host_groups``
    (those they lead) and invites ``cohost_groups``; staff editing a festival none of
    whose groups they lead set the hosts directly (``cohost_groups`` None)."""
    before = festival.page_scopes()  # hosts and partners it may lose
    for name, value in data.items():
        setattr(festival, name, value)
    # Only the form's fields: a publish by a co-host between this form being read and saved
    # must not be undone by writing back the status this request loaded.
    festival.save(update_fields=list(data))
    if cohost_groups is None:
        festival.host_groups.set(host_groups)
    else:
        invite_festival_hosts(festival=festival, groups=cohost_groups, own=host_groups, by=by)
    festival.partners.set(partners)
    pagecache.touch(*before, *festival.page_scopes())
    return festival


@transaction.atomic
def set_festival_status(*, festival: Festival, status: str) -> bool:
    """Publish or take back to draft; False if it already had that status."""
    changed = Festival.objects.filter(pk=festival.pk).exclude(status=status).update(status=status)
    pagecache.touch(*festival.page_scopes())
    return changed == 1


def weeks_to_next_year(day: date) -> int:
    """Whole weeks that land nearest the same date next year, so weekdays match."""
    try:
        same_day = day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        same_day = day.replace(year=day.year + 1, day=28)
    return round((same_day - day).days / 7)


def _shift_local(moment: datetime, delta: timedelta) -> datetime:
    # Move the wall-clock time, not the UTC instant: a 7pm session stays at 7pm even if
    # the copy lands on the other side of a clock change.
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None) + delta
    return timezone.make_aware(naive)


def _next_year_name(text: str, year: int) -> str:
    return text.replace(str(year), str(year + 1)) if str(year) in text else f"{text} {year + 1}"


@transaction.atomic
def copy_festival(*, festival: Festival, by: User) -> Festival:
    """Next year's festival as drafts: same venues, partners, hosts and sessions, dates
    moved by whole weeks; no RSVPs."""
    delta = timedelta(weeks=weeks_to_next_year(festival.starts_on))
    year = festival.starts_on.year
    now = timezone.now()
    copy = Festival.objects.create(
        name=_next_year_name(festival.name, year),
        slug=unique_slug(Festival, _next_year_name(festival.slug, year)),
        starts_on=festival.starts_on + delta,
        ends_on=festival.ends_on + delta,
        description=festival.description,
        image=festival.image,
        image_alt=festival.image_alt,
        image_card=festival.image_card,
        status=Festival.Status.DRAFT,
        created_at=now,
    )
    # The copier's groups host next year's; the other hosts are asked again.
    hosts = list(festival.host_groups.all())
    led = set(
        Membership.objects.leads()
        .filter(user=by, group__in=hosts)
        .values_list("group_id", flat=True)
    )
    invite_festival_hosts(festival=copy, groups=hosts, own=[g for g in hosts if g.pk in led], by=by)
    copy.partners.set(festival.partners.all())
    # Members' proposals that were never published are not carried over.
    sessions = festival.sessions.filter(
        status__in=[Event.Status.DRAFT, Event.Status.PUBLISHED]
    ).prefetch_related("partners", "cohost_groups", "modules")
    for session in sessions:
        starts_at = _shift_local(session.starts_at, delta)
        new = Event.objects.create(
            title=session.title,
            slug=unique_slug(Event, f"{session.title} {timezone.localtime(starts_at):%Y-%m-%d}"),
            kind=session.kind,
            description=session.description,
            image=session.image,
            image_alt=session.image_alt,
            image_card=session.image_card,
            starts_at=starts_at,
            ends_at=_shift_local(session.ends_at, delta),
            mode=session.mode,
            venue_id=session.venue_id,
            online_url=session.online_url,
            capacity=session.capacity,
            visibility=session.visibility,
            status=Event.Status.DRAFT,
            group_id=session.group_id,
            campaign_id=session.campaign_id,
            festival=copy,
            organiser_name=session.organiser_name,
            organiser_url=session.organiser_url,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        new.partners.set(session.partners.all())
        # Last year's co-hosts are asked again; nothing is assumed for next year.
        invite_cohosts(event=new, groups=session.cohost_groups.all(), by=by)
        new.modules.set(session.modules.all())
    pagecache.touch(*copy.page_scopes())
    return copy


@transaction.atomic
def reset_feed_token(*, user: User) -> CalendarFeedToken:
    token, _ = CalendarFeedToken.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()}
    )
    pagecache.touch(private=False, review=False)  # the person's own settings page
    return token


def feed_token_for(*, user: User) -> CalendarFeedToken:
    existing = CalendarFeedToken.objects.filter(user=user).first()
    return existing or reset_feed_token(user=user)
