"""Every write of the guests app: start a pending action, confirm it, purge expired ones,
claim a guest's actions for an account, and a guest's data export and erasure.

A guest action counts only once the person clicks the link we emailed: confirming calls
the owning app's service (campaigns.services, events.services), so counters, the waitlist,
the letter to the decision-maker and the RSVP emails with the .ics are exactly those of a
member's action."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import Action, Campaign
from events import services as event_services
from events.models import Event
from portal import pagecache
from portal.models import GuestConsent, GuestContact, OutboxMessage, User
from portal.services import queue_email, render_email

from .models import PendingAction

Kind = PendingAction.Kind

CONFIRM_SALT = "guests.confirm"
DATA_SALT = "guests.data"
# Links to see or erase a guest's data work for this long.
DATA_LINK_SECONDS = 24 * 3600


class GuestError(Exception):
    """Why a guest action cannot go ahead; str() is shown to the person."""


class TooManyPending(GuestError):
    pass


@dataclass
class Confirmation:
    """What confirming a link did: status is "confirmed", "already", "expired", "invalid"
    or "closed" (the action or event no longer takes part, with message)."""

    status: str
    pending: PendingAction | None = None
    message: str = ""
    rsvp: object = None


# --- tokens -------------------------------------------------------------------------


def confirm_token(pending: PendingAction) -> str:
    return signing.Signer(salt=CONFIRM_SALT).sign(str(pending.pk))


def read_confirm_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=CONFIRM_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() and len(value) < 19 else None


def data_token(email: str) -> str:
    return signing.TimestampSigner(salt=DATA_SALT).sign(email.lower())


def read_data_token(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=DATA_SALT).unsign(token, max_age=DATA_LINK_SECONDS)
    except signing.BadSignature:
        return None


def _email_key(pending_id: int) -> str:
    return f"guests-confirm:{pending_id}"


# --- starting -----------------------------------------------------------------------


def _target_fields(target) -> dict:
    if isinstance(target, Action):
        return {"kind": target.kind, "action": target}
    if isinstance(target, Event):
        return {"kind": Kind.RSVP, "event": target}
    if isinstance(target, Campaign):
        return {"kind": Kind.SUPPORT, "campaign": target}
    raise GuestError("This cannot be done without an account.")


@transaction.atomic
def start_pending(
    *,
    target,
    name: str,
    email: str,
    outcode: str = "",
    consent_about: str = "",
    consent_wording: str = "",
    show_name: bool = False,
    letter_subject: str = "",
    letter_body: str = "",
    now: datetime | None = None,
) -> PendingAction:
    """Save the action as pending and queue the one confirmation email.

    The same email goes whether or not an account uses the address: the form's answer and
    the email never tell anyone that an account exists."""
    pagecache.touch(private=False, review=False)  # a confirmation email, shown nowhere
    now = now or timezone.now()
    email = email.strip().lower()
    waiting = PendingAction.objects.filter(
        email=email, confirmed_at__isnull=True, expires_at__gt=now
    ).count()
    if waiting >= settings.GUEST_PENDING_CAP:
        raise TooManyPending(
            "There are already several actions waiting for a click in the email we sent to "
            "this address. Please confirm those first."
        )
    fields = _target_fields(target)
    pending = PendingAction.objects.create(
        **fields,
        name=name.strip(),
        email=email,
        outcode=outcode if consent_about else "",
        consent_about=consent_about,
        consent_wording=consent_wording if consent_about else "",
        show_name=show_name,
        letter_subject=letter_subject,
        letter_body=letter_body,
        created_at=now,
        expires_at=PendingAction.expiry(now, fields.get("event")),
    )
    link = settings.SITE_URL + reverse("guests:confirm", args=[confirm_token(pending)])
    subject, text, html = render_email(
        "guests_confirm", {"pending": pending, "target": target, "confirm_url": link}
    )
    queue_email(
        key=_email_key(pending.pk),
        to=email,
        subject=subject,
        text=text,
        html=html,
        kind="guests_confirm",
    )
    return pending


# --- confirming ---------------------------------------------------------------------


def _account_for(email: str) -> User | None:
    """The account that owns the address: only a verified one, so that nobody can make
    someone else's actions theirs by signing up with their address."""
    return User.objects.filter(email__iexact=email, email_verified=True, is_active=True).first()


def _contact_for(pending: PendingAction, now: datetime) -> GuestContact:
    contact = GuestContact.objects.filter(email__iexact=pending.email).first()
    if contact is None:
        contact = GuestContact.objects.create(
            email=pending.email, name=pending.name, outcode=pending.outcode, created_at=now
        )
    else:
        contact.name = pending.name
        if pending.outcode:
            contact.outcode = pending.outcode
        contact.save(update_fields=["name", "outcode"])
    if pending.consent_about:
        GuestConsent.objects.create(
            contact=contact,
            about=pending.consent_about,
            wording=pending.consent_wording,
            given_at=now,
        )
    return contact


def _carry_out(pending: PendingAction, *, user: User | None, guest: GuestContact | None):
    who = {"user": user} if user is not None else {"guest": guest}
    if pending.kind == Kind.RSVP:
        return event_services.rsvp_to_event(event=pending.event, show_name=pending.show_name, **who)
    if pending.kind == Kind.SUPPORT:
        return campaign_services.support_campaign(campaign=pending.campaign, **who)
    if pending.kind == Kind.WRITE:
        return campaign_services.send_letter(
            action=pending.action,
            subject=pending.letter_subject,
            body=pending.letter_body,
            **who,
        )
    return campaign_services.take_action(action=pending.action, show_name=pending.show_name, **who)


@transaction.atomic
def confirm_pending(*, pending_id: int, now: datetime | None = None) -> Confirmation:
    """The click in the email. Safe to repeat: the row lock makes one of two clicks at
    once do the work, the other sees it confirmed; the owning services' own uniqueness
    guards stand behind that."""
    # The action's own service says what it changed.
    pagecache.touch(private=False, review=False)
    now = now or timezone.now()
    pending = (
        PendingAction.objects.select_for_update(of=("self",))
        .select_related("action__campaign", "event__group", "campaign")
        .filter(pk=pending_id)
        .first()
    )
    if pending is None:
        return Confirmation("invalid")
    if pending.confirmed_at is not None:
        return Confirmation("already", pending)
    if pending.expires_at <= now:
        return Confirmation("expired", pending)
    user = _account_for(pending.email)
    guest = None if user else _contact_for(pending, now)
    try:
        with transaction.atomic():
            result = _carry_out(pending, user=user, guest=guest)
    except (campaign_services.CampaignError, event_services.RSVPError) as exc:
        return Confirmation("closed", pending, message=str(exc))
    # What they wrote went out in the letter; nothing of it stays here.
    PendingAction.objects.filter(pk=pending.pk).update(
        confirmed_at=now, letter_subject="", letter_body=""
    )
    pending.confirmed_at = now
    rsvp = result if pending.kind == Kind.RSVP else None
    return Confirmation("confirmed", pending, rsvp=rsvp)


# --- housekeeping -------------------------------------------------------------------


@transaction.atomic
def purge_expired(*, now: datetime | None = None) -> int:
    """Beat: delete every pending action past its expiry, confirmed or not, with the copy
    of its confirmation email, so nothing typed into a never-confirmed form stays."""
    now = now or timezone.now()
    ids = list(PendingAction.objects.filter(expires_at__lte=now).values_list("pk", flat=True))
    if not ids:
        return 0
    OutboxMessage.objects.filter(dedupe_key__in=[_email_key(pk) for pk in ids]).delete()
    deleted, _ = PendingAction.objects.filter(pk__in=ids).delete()
    return deleted


@transaction.atomic
def claim_for_user(*, user: User) -> int:
    """Give every confirmed guest action and RSVP made with the account's (verified)
    address to the account. Returns how many were moved."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    moved = 0
    now = timezone.now()
    for contact in GuestContact.objects.select_for_update().filter(
        email__iexact=user.email, claimed_by__isnull=True
    ):
        moved += campaign_services.claim_guest_rows(guest=contact, user=user)
        moved += event_services.claim_guest_rsvps(guest=contact, user=user)
        contact.claimed_by, contact.claimed_at = user, now
        contact.save(update_fields=["claimed_by", "claimed_at"])
    return moved


# --- privacy ------------------------------------------------------------------------


@transaction.atomic
def send_data_link(*, email: str, now: datetime | None = None) -> None:
    """Email a link to see or erase what we hold for an address. The same email goes
    whether we hold anything or not, so the form tells nobody what we know."""
    pagecache.touch(private=False, review=False)
    now = now or timezone.now()
    email = email.strip().lower()
    link = settings.SITE_URL + reverse("guests:data", args=[data_token(email)])
    subject, text, html = render_email("guests_data", {"data_url": link})
    queue_email(
        key=f"guests-data:{email}:{now:%Y%m%d%H%M}",
        to=email,
        subject=subject,
        text=text,
        html=html,
        kind="guests_data",
    )


def export_guest_data(*, email: str) -> dict:
    """Everything held about an address that has no account, as plain data."""
    contact = GuestContact.objects.filter(email__iexact=email).first()
    pending = PendingAction.objects.filter(email=email.lower()).order_by("pk")
    data = {
        "email": email.lower(),
        "pending_actions": [
            {
                "kind": p.kind,
                "what": str(p.target),
                "name": p.name,
                "created_at": p.created_at.isoformat(),
                "confirmed_at": p.confirmed_at.isoformat() if p.confirmed_at else None,
            }
            for p in pending.select_related("action", "event", "campaign")
        ],
    }
    if contact is None:
        return data
    data.update(
        name=contact.name,
        outcode=contact.outcode,
        first_seen=contact.created_at.isoformat(),
        consents=[
            {"about": c.about, "wording": c.wording, "given_at": c.given_at.isoformat()}
            for c in contact.consents.all()
        ],
        actions=[
            {
                "action": str(t.action),
                "campaign": str(t.action.campaign),
                "at": t.created_at.isoformat(),
            }
            for t in contact.actions_taken.select_related("action__campaign")
        ],
        supports=[str(s.campaign) for s in contact.campaign_supports.select_related("campaign")],
        rsvps=[
            {"event": str(r.event), "status": r.status, "at": r.created_at.isoformat()}
            for r in contact.rsvps.select_related("event")
        ],
    )
    return data


@transaction.atomic
def erase_guest_data(*, email: str) -> None:
    """Forget an address that has no account: pending actions go; places at events are
    given up first (a freed place goes to the waitlist); then the contact with its
    consents, supports and actions. The counts keep the actions that were confirmed,
    as for an erased account: they happened."""
    email = email.lower()
    ids = list(PendingAction.objects.filter(email=email).values_list("pk", flat=True))
    OutboxMessage.objects.filter(dedupe_key__in=[_email_key(pk) for pk in ids]).delete()
    PendingAction.objects.filter(pk__in=ids).delete()
    OutboxMessage.objects.filter(to__iexact=email, user__isnull=True).delete()
    for contact in GuestContact.objects.filter(email__iexact=email):
        for rsvp in contact.rsvps.exclude(status="cancelled").select_related("event"):
            event_services.cancel_rsvp(event=rsvp.event, guest=contact)
        contact.delete()


@transaction.atomic
def mark_verified(*, user: User) -> None:
    """The person proved they own the account's address by clicking our link as a guest
    in this browser: the address counts as confirmed (allauth's record and ours)."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    User.objects.filter(pk=user.pk).update(email_verified=True)
    user.email_verified = True


# The address the person in this browser proved they own by clicking a confirmation link.
SESSION_VERIFIED = "guests.verified_email"


def remember_verified_email(request, email: str) -> None:
    request.session[SESSION_VERIFIED] = email.lower()


def session_verified_email(request) -> str | None:
    session = getattr(request, "session", None)
    return session.get(SESSION_VERIFIED) if session is not None else None
