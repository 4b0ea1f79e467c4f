"""Every write to groups goes through here."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal import hooks, pagecache
from portal.models import User
from portal.services import queue_email, render_email

from . import announcements
from .models import Announcement, LocalGroup, Membership, Region, TeamRole


class MembershipError(Exception):
    """A membership change that is not allowed; str(e) is a user-facing message."""


LAST_LEAD_MESSAGE = (
    "A group must always have at least one lead. Make another member a co-lead first."
)


def _lock_group(group: LocalGroup) -> LocalGroup:
    # Every membership change locks the group row first (and only then touches memberships),
    # so two leads stepping down at once cannot both pass the "another lead remains" check
    # and concurrent joins cannot lose a member_count increment.
    return LocalGroup.objects.select_for_update().get(pk=group.pk)


def _ensure_another_lead(group: LocalGroup, membership: Membership) -> None:
    if membership.role != Membership.Role.LEAD:
        return
    others = Membership.objects.leads().filter(group=group).exclude(pk=membership.pk)
    if not others.exists():
        raise MembershipError(LAST_LEAD_MESSAGE)


def _refresh_count(group: LocalGroup, locked: LocalGroup) -> None:
    group.member_count = LocalGroup.objects.values_list("member_count", flat=True).get(pk=locked.pk)


@transaction.atomic
def join_group(*, group: LocalGroup, user: User) -> Membership:
    """Join, or rejoin after leaving (the old row is reused, its left_at cleared)."""
    locked = _lock_group(group)
    membership, created = Membership.objects.select_for_update().get_or_create(
        group=locked, user=user
    )
    if not created and membership.is_current:
        return membership
    if not created:
        membership.left_at = None
        membership.role = Membership.Role.MEMBER
        membership.joined_at = timezone.now()
        membership.save(update_fields=["left_at", "role", "joined_at"])
    LocalGroup.objects.filter(pk=locked.pk).update(member_count=F("member_count") + 1)
    _refresh_count(group, locked)
    hooks.emit("person.joined_group", group_id=group.pk, user=user)
    # The member count on public pages is a live counter; the joiner's My portal follows
    # their own version (bumped by their request), and no lead's to-do list shows members.
    pagecache.touch(private=False)
    return membership


def _end_membership(group: LocalGroup, locked: LocalGroup, membership: Membership) -> None:
    _ensure_another_lead(locked, membership)
    membership.left_at = timezone.now()
    membership.role = Membership.Role.MEMBER
    # Trust is given to a current member; someone who rejoins is asked again.
    membership.trusted_host = False
    membership.save(update_fields=["left_at", "role", "trusted_host"])
    LocalGroup.objects.filter(pk=locked.pk, member_count__gt=0).update(
        member_count=F("member_count") - 1
    )
    _refresh_count(group, locked)
    # The member count on public pages is a live counter; the one who left (or was
    # removed by a lead) no longer sees the group in their My portal.
    pagecache.touch(pagecache.person(membership.user_id), private=False)


@transaction.atomic
def leave_group(*, group: LocalGroup, user: User) -> None:
    """Leave a group. The row stays (with left_at) so reps can see departures."""
    locked = _lock_group(group)
    membership = (
        Membership.objects.current().select_for_update().filter(group=locked, user=user).first()
    )
    if membership is None:
        raise MembershipError("You are not a member of this group.")
    _end_membership(group, locked, membership)


@transaction.atomic
def remove_member(*, group: LocalGroup, membership: Membership, by: User) -> None:
    """A lead removes someone else; leads leave through leave_group instead."""
    if membership.user_id == by.pk:
        raise MembershipError("To leave the group yourself, use 'Leave this group'.")
    locked = _lock_group(group)
    membership = Membership.objects.current().select_for_update().get(pk=membership.pk)
    _end_membership(group, locked, membership)


@transaction.atomic
def promote_to_lead(*, group: LocalGroup, membership: Membership) -> Membership:
    _lock_group(group)
    membership = Membership.objects.current().select_for_update().get(pk=membership.pk)
    if membership.role != Membership.Role.LEAD:
        membership.role = Membership.Role.LEAD
        membership.save(update_fields=["role"])
    # The group page lists its leads; the new lead's My portal gains their to-do lists.
    pagecache.touch(f"group:{group.slug}", pagecache.person(membership.user_id))
    return membership


@transaction.atomic
def set_trusted_host(*, membership: Membership, trusted: bool) -> Membership:
    """A trusted host's event proposals are published without a lead's approval."""
    membership.trusted_host = trusted
    membership.save(update_fields=["trusted_host"])
    pagecache.touch(private=False)  # shown on the group's members page only
    return membership


@transaction.atomic
def step_down_as_lead(*, group: LocalGroup, user: User) -> Membership:
    """A lead becomes a plain member; refused for the group's last lead."""
    locked = _lock_group(group)
    membership = (
        Membership.objects.leads().select_for_update().filter(group=locked, user=user).first()
    )
    if membership is None:
        raise MembershipError("You are not a lead of this group.")
    _ensure_another_lead(locked, membership)
    membership.role = Membership.Role.MEMBER
    membership.save(update_fields=["role"])
    pagecache.touch(f"group:{group.slug}", pagecache.person(user.pk))
    return membership


@transaction.atomic
def update_group_profile(*, group: LocalGroup, fields: dict) -> LocalGroup:
    """Save a lead's edit. fields holds only the editable profile fields."""
    for name, value in fields.items():
        setattr(group, name, value)
    group.save(update_fields=list(fields))
    pagecache.touch(f"group:{group.slug}", "list:groups")
    return group


@transaction.atomic
def post_announcement(
    *, group: LocalGroup, author: User, title: str, body: str, email_members: bool = False
) -> Announcement:
    """Members read announcements on the group page, in My portal and in their digests;
    with email_members the lead also emails it now, once to each member who has not left
    the group announcements list (started in this transaction, so only if it is posted)."""
    pagecache.touch(f"group:{group.slug}")
    announcement = Announcement.objects.create(group=group, author=author, title=title, body=body)
    if email_members:
        announcements.start_announcement_email(announcement=announcement)
    return announcement


@transaction.atomic
def name_team_role(*, region: Region, title: str, holder: User | None) -> TeamRole:
    """Create the role, or give an existing one (same title) a new holder."""
    position = region.team_roles.count()
    role, _ = TeamRole.objects.update_or_create(
        region=region,
        title=title,
        defaults={"holder": holder},
        create_defaults={"holder": holder, "position": position},
    )
    pagecache.touch(private=False)  # the region's page, which is not cached
    return role


@transaction.atomic
def remove_team_role(*, role: TeamRole) -> None:
    pagecache.touch(private=False)
    role.delete()


@transaction.atomic
def relay_contact(*, role: TeamRole, name: str, email: str, message: str, key: str) -> bool:
    """Email the role's holder the visitor's message, with the visitor's address to reply
    to; the holder's address is never shown to the visitor. False if nobody holds it."""
    if role.holder is None:
        return False
    pagecache.touch(private=False, review=False)  # an email in the outbox, shown nowhere
    subject, text, html = render_email(
        "groups_team_contact",
        {"role": role, "name": name, "email": email, "message": message, "holder": role.holder},
    )
    queue_email(
        key=f"groups:team-contact:{role.pk}:{key}",
        to=role.holder.email,
        subject=subject,
        text=text,
        html=html,
        kind="groups_team_contact",
        user=role.holder,
        headers={"Reply-To": email},
    )
    return True
