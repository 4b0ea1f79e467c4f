"""Every write to campaigns: support, actions, updates, proposals, status, funding."""

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from groups.models import LocalGroup
from portal import hooks, pagecache
from portal.models import GuestContact, User
from portal.services import queue_email, render_email

from .models import (
    Action,
    ActionTaken,
    Campaign,
    CampaignSupporter,
    CampaignUpdate,
    FundingRequest,
    FundingRequestEntry,
    Outcome,
    Participation,
    ShareArrival,
)

Status = Campaign.Status

# The status machine: every change of a campaign's status goes through change_status.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    Status.PROPOSED: {Status.ACTIVE, Status.REJECTED},
    Status.ACTIVE: {Status.PAUSED, Status.WON, Status.CLOSED},
    Status.PAUSED: {Status.ACTIVE, Status.CLOSED},
    Status.WON: set(),
    Status.CLOSED: set(),
    Status.REJECTED: set(),
}

SHARE_SALT = "campaigns.share"


class CampaignError(Exception):
    """A request that cannot be carried out; str() is a message for the person."""


class CampaignStatusError(CampaignError):
    pass


class ActionError(CampaignError):
    pass


class LetterLimitError(ActionError):
    """Today's letter budget (the writer's or the decision-maker's) is spent."""


class FundingError(CampaignError):
    pass


def _label(status: str) -> str:
    return Status(status).label.lower()


# --- status machine -----------------------------------------------------------------


@transaction.atomic
def change_status(*, campaign: Campaign, to: str, by: User | None = None) -> Campaign:
    """Move a campaign along the status machine, or raise CampaignStatusError."""
    if to not in Status.values:
        raise CampaignStatusError(f'"{to}" is not a campaign status.')
    current = Campaign.objects.filter(pk=campaign.pk).values_list("status", flat=True).first()
    if current is None:
        raise CampaignStatusError("This campaign no longer exists.")
    allowed = ALLOWED_TRANSITIONS[current]
    if to not in allowed:
        if allowed:
            options = ", ".join(sorted(_label(s) for s in allowed))
            hint = f"It can only become: {options}."
        else:
            hint = "It is finished and cannot change any more."
        raise CampaignStatusError(
            f"A {_label(current)} campaign cannot become {_label(to)}. {hint}"
        )
    # Conditional on the status we checked, so two people changing it at once cannot
    # both succeed from the same starting point.
    now = timezone.now()
    updated = Campaign.objects.filter(pk=campaign.pk, status=current).update(
        status=to, updated_at=now
    )
    if updated != 1:
        raise CampaignStatusError("Someone else changed this campaign just now; try again.")
    campaign.status, campaign.updated_at = to, now
    pagecache.touch(*campaign.page_scopes())
    return campaign


# --- supporters -----------------------------------------------------------------------


def _add_supporter(
    *, campaign_id: int, user: User | None = None, guest: GuestContact | None = None
) -> bool:
    """The one way someone becomes a supporter: by saying so, or by taking an action that
    counts (signing, pledging, writing: acting supports). The unique constraint decides,
    so the counter moves once per person whatever the order or the race."""
    try:
        with transaction.atomic():
            CampaignSupporter.objects.create(campaign_id=campaign_id, user=user, guest=guest)
    except IntegrityError:
        return False
    Campaign.objects.filter(pk=campaign_id).update(supporter_count=F("supporter_count") + 1)
    # The supporter count on public pages is a live counter; the review shows it only in
    # figures kept for REVIEW_CACHE_SECONDS, and no lead's or rep's to-do list at all (the
    # supporter's own My portal: person:<id>, bumped by their request).
    pagecache.touch(review=False, private=False)
    return True


@transaction.atomic
def support_campaign(
    *, campaign: Campaign, user: User | None = None, guest: GuestContact | None = None
) -> bool:
    """True if the person (an account or a confirmed guest) is a new supporter;
    supporting twice does nothing."""
    if not campaign.is_open:
        raise CampaignError("This campaign is not taking new supporters.")
    return _add_supporter(campaign_id=campaign.pk, user=user, guest=guest)


@transaction.atomic
def stop_supporting(*, campaign: Campaign, user: User) -> bool:
    deleted, _ = CampaignSupporter.objects.filter(campaign=campaign, user=user).delete()
    if not deleted:
        return False
    Campaign.objects.filter(pk=campaign.pk, supporter_count__gt=0).update(
        supporter_count=F("supporter_count") - 1
    )
    # The supporter count on public pages is a live counter; the review shows it only in
    # figures kept for REVIEW_CACHE_SECONDS, and no lead's or rep's to-do list at all (the
    # supporter's own My portal: person:<id>, bumped by their request).
    pagecache.touch(review=False, private=False)
    return True


# --- participating groups ------------------------------------------------------------


@transaction.atomic
def join_campaign(*, campaign: Campaign, group: LocalGroup, by: User, note: str = "") -> bool:
    """The group runs the campaign locally from now on; False if it already did (the note
    is then updated). Who may join is campaigns.permissions.groups_that_may_join."""
    if not campaign.is_open:
        raise CampaignError("Only an active campaign takes new participating groups.")
    if campaign.scope == Campaign.Scope.LOCAL:
        raise CampaignError("A local campaign is run by its own group.")
    _participation, created = Participation.objects.update_or_create(
        campaign=campaign,
        group=group,
        defaults={"note": note},
        create_defaults={"note": note, "joined_by": by, "joined_at": timezone.now()},
    )
    # Both pages list the participation and its note.
    pagecache.touch(f"campaign:{campaign.slug}", f"group:{group.slug}")
    return created


@transaction.atomic
def leave_campaign(*, campaign: Campaign, group: LocalGroup) -> bool:
    """The group stops running the campaign. Its events linked to the campaign stay, but
    no longer carry it: only a group that runs a campaign may appear on its page."""
    deleted, _ = Participation.objects.filter(campaign=campaign, group=group).delete()
    if deleted:
        events = campaign.events.filter(group=group)
        pagecache.touch(
            f"campaign:{campaign.slug}",
            f"group:{group.slug}",
            *(f"event:{slug}" for slug in events.values_list("slug", flat=True)),
        )
        events.update(campaign=None, updated_at=timezone.now())
    return bool(deleted)


# --- actions --------------------------------------------------------------------------


def _record_taken(
    *,
    action: Action,
    user: User | None,
    guest: GuestContact | None = None,
    show_name: bool,
    counts: bool,
) -> bool:
    """Insert the one ActionTaken row and, only if it is new, add one to the count.

    The unique constraint decides: of two requests by the same person (a double click, a
    replayed POST, two tabs, a confirmation link clicked twice) exactly one inserts; the
    other waits on the index and then gets IntegrityError, so the count moves once.
    Different people never conflict, and the F() increment is applied by the database, so
    concurrent signatures all count. A guest is a GuestContact instead of a user.
    """
    if not action.is_open():
        raise ActionError("This action is closed.")
    if (user is None) == (guest is None):
        raise ActionError("An action is taken by one person.")
    try:
        with transaction.atomic():
            ActionTaken.objects.create(action=action, user=user, guest=guest, show_name=show_name)
    except IntegrityError:
        return False
    if counts:
        Action.objects.filter(pk=action.pk).update(count=F("count") + 1)
        _add_supporter(campaign_id=action.campaign_id, user=user, guest=guest)
    # Counts on public pages are live counters; only a name among the campaign page's
    # recent signers changes the page itself. The review shows actions only in figures
    # kept for REVIEW_CACHE_SECONDS; no lead's or rep's to-do list shows them.
    named = f"campaign:{action.campaign.slug}" if show_name else ""
    pagecache.touch(named, review=False, private=False)
    return True


@transaction.atomic
def take_action(
    *,
    action: Action,
    user: User | None = None,
    guest: GuestContact | None = None,
    show_name: bool = False,
) -> bool:
    """Sign or pledge. True if this counted, False if the person had already done it."""
    if action.kind not in (Action.Kind.SIGN, Action.Kind.PLEDGE):
        raise ActionError("This action is taken differently.")
    counted = _record_taken(
        action=action,
        user=user,
        guest=guest,
        show_name=show_name and action.kind == Action.Kind.SIGN,
        counts=True,
    )
    if counted and action.kind == Action.Kind.SIGN:
        group_id = Campaign.objects.filter(pk=action.campaign_id).values_list("group_id")[0][0]
        hooks.emit("signature.created", group_id=group_id, action=action, user=user)
    return counted


@transaction.atomic
def send_letter(
    *,
    action: Action,
    user: User | None = None,
    guest: GuestContact | None = None,
    subject: str,
    body: str,
    within_limits: Callable[[], bool] = lambda: True,
) -> bool:
    """Record a letter to the decision-maker; send it when the campaign has the target's
    published address (otherwise the person sent it themselves and tells us so).

    The letter's text goes only into the outbox row that carries it, never onto the
    campaign: the public count says a letter was sent, not what it said.

    ``within_limits`` spends one letter of the daily budgets (per writer and per address,
    shared with case letters) and says whether there was one left. It is called only once
    this person's letter is claimed, so a replayed or doubled POST, which finds the letter
    already there, costs nothing; over the limit, the claim is rolled back."""
    if action.kind != Action.Kind.WRITE:
        raise ActionError("This action is not a letter.")
    new = _record_taken(action=action, user=user, guest=guest, show_name=False, counts=True)
    campaign = action.campaign
    person = user or guest
    if new and campaign.target_email:
        if not within_limits():
            raise LetterLimitError(
                "You have reached today's limit of letters we can send for you, or this "
                "decision-maker has had as many as we send in a day. Please try again "
                "tomorrow."
            )
        link = settings.SITE_URL + campaign.get_absolute_url()
        text = (
            f"{body.strip()}\n\n{person.public_name}\n\n"
            f"--\nSent through {campaign.title} ({link}). "
            "Reply to this email to reach the sender directly.\n"
        )
        who = f"{user.pk}" if user else f"g{guest.pk}"
        queue_email(
            key=f"campaigns-letter:{action.pk}:{who}",
            to=campaign.target_email,
            subject=subject.strip(),
            text=text,
            kind="campaigns_letter",
            user=user,
            headers={"Reply-To": person.email},
        )
    return new


@transaction.atomic
def claim_guest_rows(*, guest: GuestContact, user: User) -> int:
    """Give a guest contact's actions and supports to the account that now owns its
    address. Where the account had already done the same, the guest's row goes and its
    count with it, so nothing counts twice. Returns the rows moved."""
    moved = 0
    for taken in ActionTaken.objects.select_for_update().filter(guest=guest):
        if ActionTaken.objects.filter(action_id=taken.action_id, user=user).exists():
            taken.delete()
            if taken.action.kind != Action.Kind.SHARE:
                Action.objects.filter(pk=taken.action_id, count__gt=0).update(count=F("count") - 1)
        else:
            ActionTaken.objects.filter(pk=taken.pk).update(user=user, guest=None)
            moved += 1
    for support in CampaignSupporter.objects.select_for_update().filter(guest=guest):
        if CampaignSupporter.objects.filter(campaign_id=support.campaign_id, user=user).exists():
            support.delete()
            Campaign.objects.filter(pk=support.campaign_id, supporter_count__gt=0).update(
                supporter_count=F("supporter_count") - 1
            )
        else:
            CampaignSupporter.objects.filter(pk=support.pk).update(user=user, guest=None)
            moved += 1
    return moved


@transaction.atomic
def record_share(*, action: Action, user: User) -> bool:
    """The person took their share link. The count moves only when someone arrives."""
    if action.kind != Action.Kind.SHARE:
        raise ActionError("This action is not a share.")
    return _record_taken(action=action, user=user, show_name=False, counts=False)


def share_token(*, action: Action, user: User) -> str:
    return signing.Signer(salt=SHARE_SALT).sign(f"{action.pk}.{user.pk}")


def read_share_token(token: str) -> tuple[int, int] | None:
    """(action id, sharer id) from a share token, or None if it was not ours."""
    try:
        value = signing.Signer(salt=SHARE_SALT).unsign(token)
        action_id, user_id = value.split(".")
        return int(action_id), int(user_id)
    except (signing.BadSignature, ValueError):
        return None


def visitor_key(visitor_id: str) -> str:
    return hashlib.sha256(visitor_id.encode()).hexdigest()


@transaction.atomic
def record_share_arrival(*, action: Action, sharer_id: int | None, visitor_id: str) -> bool:
    """Count someone arriving through a share link, once per visitor per action."""
    if action.kind != Action.Kind.SHARE or not action.is_open():
        return False
    try:
        with transaction.atomic():
            ShareArrival.objects.create(
                action=action, sharer_id=sharer_id, visitor_key=visitor_key(visitor_id)
            )
    except IntegrityError:
        return False
    Action.objects.filter(pk=action.pk).update(count=F("count") + 1)
    return True


@transaction.atomic
def add_action(
    *,
    campaign: Campaign,
    kind: str,
    title: str,
    instructions: str = "",
    statement: str = "",
    goal_count: int | None = None,
    deadline: date | None = None,
) -> Action:
    position = campaign.actions.count()
    # The campaign page, its card's open actions (home), the API's petitions and its
    # supporters' My portal ("Still to do").
    pagecache.touch(f"campaign:{campaign.slug}", "home", "list:campaigns")
    return Action.objects.create(
        campaign=campaign,
        kind=kind,
        title=title,
        instructions=instructions,
        statement=statement,
        goal_count=goal_count,
        deadline=deadline,
        position=position,
    )


@transaction.atomic
def set_campaign_picture(*, campaign: Campaign, picture: dict) -> Campaign:
    """Store a new, cleared or re-described picture (PictureFormMixin.picture_data)."""
    for name, value in picture.items():
        setattr(campaign, name, value)
    campaign.updated_at = timezone.now()
    campaign.save(update_fields=[*picture, "updated_at"])
    group_page = f"group:{campaign.group.slug}" if campaign.group_id else ""
    pagecache.touch(f"campaign:{campaign.slug}", "list:campaigns", "home", group_page)
    return campaign


# --- updates and outcomes -------------------------------------------------------------


@transaction.atomic
def post_update(*, campaign: Campaign, author: User, title: str, body: str) -> CampaignUpdate:
    pagecache.touch(f"campaign:{campaign.slug}")
    return CampaignUpdate.objects.create(campaign=campaign, author=author, title=title, body=body)


@transaction.atomic
def record_outcome(*, campaign: Campaign, by: User, on: date, kind: str, summary: str) -> Outcome:
    pagecache.touch(f"campaign:{campaign.slug}")
    return Outcome.objects.create(
        campaign=campaign, date=on, kind=kind, summary=summary, recorded_by=by
    )


# --- proposals ------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "campaign"
    slug, n = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def propose_campaign(
    *,
    proposer: User,
    group: LocalGroup,
    regional: bool,
    title: str,
    summary: str,
    why: str,
    target_name: str,
    target_kind: str,
    target_email: str = "",
    goal: str,
    first_action: str,
) -> Campaign:
    """A proposal is a campaign in PROPOSED status. A local one belongs to the group; a
    regional one (proposed by a lead) belongs to the group's region."""
    campaign = Campaign(
        title=title,
        summary=summary,
        proposal_reason=why,
        target_name=target_name,
        target_kind=target_kind,
        target_email=target_email,
        goal=goal,
        first_action=first_action,
        status=Status.PROPOSED,
        proposed_by=proposer,
    )
    if regional:
        campaign.scope = Campaign.Scope.REGIONAL
        campaign.region_id = group.area.region_id
    else:
        campaign.scope = Campaign.Scope.LOCAL
        campaign.group = group
    # Two proposals with the same title at the same moment: the loser retries once.
    for _attempt in range(2):
        campaign.slug = _unique_slug(title)
        try:
            with transaction.atomic():
                campaign.save()
            break
        except IntegrityError:
            continue
    else:
        raise CampaignError("Please try again.")
    pagecache.touch()  # a proposal shows only to the group's leads and the region's reps
    return campaign


def _email_proposer(*, campaign: Campaign, outcome: str) -> None:
    proposer = campaign.proposed_by
    if proposer is None:
        return
    subject, text, html = render_email(
        f"campaigns_proposal_outcome_{outcome}", {"campaign": campaign, "proposer": proposer}
    )
    queue_email(
        key=f"campaigns-proposal-{outcome}:{campaign.pk}",
        to=proposer.email,
        subject=subject,
        text=text,
        html=html,
        kind=f"campaigns_proposal_{outcome}",
        user=proposer,
    )


@transaction.atomic
def approve_proposal(*, campaign: Campaign, by: User) -> Campaign:
    change_status(campaign=campaign, to=Status.ACTIVE, by=by)
    now = timezone.now()
    campaign.decided_by, campaign.decided_at, campaign.decision_reason = by, now, ""
    if campaign.starts_on is None:
        campaign.starts_on = timezone.localdate()
    campaign.save(update_fields=["decided_by", "decided_at", "decision_reason", "starts_on"])
    _email_proposer(campaign=campaign, outcome="approved")
    return campaign


@transaction.atomic
def decline_proposal(*, campaign: Campaign, by: User, reason: str) -> Campaign:
    if not reason.strip():
        raise CampaignError("Please give the proposer a reason.")
    change_status(campaign=campaign, to=Status.REJECTED, by=by)
    campaign.decided_by, campaign.decided_at = by, timezone.now()
    campaign.decision_reason = reason.strip()
    campaign.save(update_fields=["decided_by", "decided_at", "decision_reason"])
    _email_proposer(campaign=campaign, outcome="declined")
    return campaign


# --- funding requests -----------------------------------------------------------------

Funding = FundingRequest.Status
Entry = FundingRequestEntry.Kind


@transaction.atomic
def request_funding(
    *, campaign: Campaign, by: User, amount: Decimal, purpose: str, needed_by: date
) -> FundingRequest:
    if amount <= 0:
        raise FundingError("The amount must be more than £0.")
    if needed_by < timezone.localdate():
        raise FundingError("The date needed cannot be in the past.")
    funding = FundingRequest.objects.create(
        campaign=campaign, requested_by=by, amount=amount, purpose=purpose, needed_by=needed_by
    )
    FundingRequestEntry.objects.create(request=funding, actor=by, kind=Entry.ASKED, note=purpose)
    pagecache.touch()
    return funding


def _move_funding(*, funding: FundingRequest, from_: tuple[str, ...], to: str, **fields) -> None:
    now = timezone.now()
    updated = FundingRequest.objects.filter(pk=funding.pk, status__in=from_).update(
        status=to, updated_at=now, **fields
    )
    if updated != 1:
        raise FundingError("This request has already been decided or changed; reload the page.")
    funding.status, funding.updated_at = to, now
    for name, value in fields.items():
        setattr(funding, name, value)
    # Funding requests show only to the group's leads and the region's reps.
    pagecache.touch()


@transaction.atomic
def ask_funding_question(*, funding: FundingRequest, by: User, question: str) -> None:
    _move_funding(funding=funding, from_=(Funding.PENDING, Funding.QUESTION), to=Funding.QUESTION)
    entry = FundingRequestEntry.objects.create(
        request=funding, actor=by, kind=Entry.QUESTION, note=question
    )
    _email_requester(funding=funding, entry=entry)


def _email_requester(*, funding: FundingRequest, entry: FundingRequestEntry) -> None:
    """The lead who asked hears about every decision or question on their request."""
    lead = funding.requested_by
    if lead is None:
        return
    subject, text, html = render_email(
        "campaigns_funding_update", {"funding": funding, "entry": entry, "lead": lead}
    )
    queue_email(
        key=f"campaigns-funding:{entry.pk}",
        to=lead.email,
        subject=subject,
        text=text,
        html=html,
        kind=f"campaigns_funding_{entry.kind}",
        user=lead,
    )


@transaction.atomic
def answer_funding_question(*, funding: FundingRequest, by: User, answer: str) -> None:
    _move_funding(funding=funding, from_=(Funding.QUESTION,), to=Funding.PENDING)
    FundingRequestEntry.objects.create(request=funding, actor=by, kind=Entry.ANSWER, note=answer)


@transaction.atomic
def approve_funding(*, funding: FundingRequest, by: User, amount: Decimal, note: str = "") -> None:
    if amount <= 0:
        raise FundingError("The approved amount must be more than £0.")
    _move_funding(
        funding=funding,
        from_=(Funding.PENDING, Funding.QUESTION),
        to=Funding.APPROVED,
        approved_amount=amount,
    )
    entry = FundingRequestEntry.objects.create(
        request=funding, actor=by, kind=Entry.APPROVED, note=note or f"Approved £{amount}."
    )
    _email_requester(funding=funding, entry=entry)


@transaction.atomic
def decline_funding(*, funding: FundingRequest, by: User, reason: str) -> None:
    if not reason.strip():
        raise FundingError("Please give the lead a reason.")
    _move_funding(funding=funding, from_=(Funding.PENDING, Funding.QUESTION), to=Funding.DECLINED)
    entry = FundingRequestEntry.objects.create(
        request=funding, actor=by, kind=Entry.DECLINED, note=reason.strip()
    )
    _email_requester(funding=funding, entry=entry)
