"""UK GDPR rights: a copy of everything we hold about a person, and erasure.

Part of the composition layer: it reads and writes through every app."""

import io
import json
import zipfile
from datetime import datetime

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from campaigns import services as campaign_services
from campaigns.models import ActionTaken, CampaignSupporter
from cases import account_data as case_data
from conversations import account_data as conversation_data
from events import services as event_services
from events.models import RSVP
from groups import services as group_services
from groups.models import LocalGroup, Membership
from portal import hooks
from portal.csvexport import csv_text
from portal.models import OutboxMessage, User
from resolutions import account_data as resolutions_data
from resources import account_data as resources_data

PROFILE_FIELDS = [
    "email",
    "display_name",
    "postcode_district",
    "email_verified",
    "date_joined",
    "last_login",
]
CONSENT_FIELDS = [
    "digest_frequency",
    "campaign_digest_consent_at",
    "event_reminders",
    "lead_digest",
    "rep_digest",
    "show_to_others",
]


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, Model):
        return str(value)
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def collect_personal_data(user: User) -> dict[str, list[dict]]:
    """Every table's rows about this person, as plain values (a fixed number of queries)."""
    profile = {field: _value(getattr(user, field)) for field in PROFILE_FIELDS}
    consents = {field: _value(getattr(user, field)) for field in CONSENT_FIELDS}
    return {
        "profile": [profile],
        "consents": [consents],
        "memberships": [
            {
                "group": m.group.name,
                "role": m.role,
                "joined_at": _value(m.joined_at),
                "left_at": _value(m.left_at),
            }
            for m in Membership.objects.filter(user=user).select_related("group")
        ],
        "rsvps": [
            {
                "event": r.event.title,
                "starts_at": _value(r.event.starts_at),
                "status": r.status,
                "created_at": _value(r.created_at),
                "checked_in_at": _value(r.checked_in_at),
                "show_name": r.show_name,
            }
            for r in RSVP.objects.filter(user=user).select_related("event")
        ],
        "campaigns_supported": [
            {"campaign": s.campaign.title, "since": _value(s.created_at)}
            for s in CampaignSupporter.objects.filter(user=user).select_related("campaign")
        ],
        "actions": [
            {
                "campaign": a.action.campaign.title,
                "action": a.action.title,
                "kind": a.action.kind,
                "show_name": a.show_name,
                "taken_at": _value(a.created_at),
            }
            for a in ActionTaken.objects.filter(user=user).select_related("action__campaign")
        ],
        **resources_data.personal_data(user),
        **{
            name: [{key: _value(value) for key, value in row.items()} for row in rows]
            for name, rows in resolutions_data.personal_data(user).items()
        },
        **{
            name: [{key: _value(value) for key, value in row.items()} for row in rows]
            for name, rows in conversation_data.personal_data(user).items()
        },
        **{
            name: [{key: _value(value) for key, value in row.items()} for row in rows]
            for name, rows in case_data.personal_data(user).items()
        },
        "emails_sent_to_me": [
            {
                "subject": m.subject,
                "kind": m.kind,
                "status": m.status,
                "created_at": _value(m.created_at),
                "sent_at": _value(m.sent_at),
            }
            for m in OutboxMessage.objects.filter(user=user).order_by("created_at")
        ],
    }


def export_zip(user: User) -> bytes:
    data = collect_personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, indent=2, ensure_ascii=False))
        for name, rows in data.items():
            header = list(rows[0]) if rows else []
            text = csv_text(header, ([row[key] for key in header] for row in rows)) if rows else ""
            archive.writestr(f"{name}.csv", text)
    return buffer.getvalue()


class LastLeadError(Exception):
    def __init__(self, groups: list[LocalGroup]):
        self.groups = groups
        names = ", ".join(g.name for g in groups)
        super().__init__(
            f"You are the only lead of {names}. Make another member a lead first, "
            "so the group is not left without one."
        )


def groups_only_i_lead(user: User) -> list[LocalGroup]:
    led = Membership.objects.leads().filter(user=user).values_list("group_id", flat=True)
    return [
        group
        for group in LocalGroup.objects.filter(pk__in=list(led))
        if not Membership.objects.leads().filter(group=group).exclude(user=user).exists()
    ]


def delete_account(*, user: User) -> None:
    """Erase a person. Counts stay right: RSVPs are cancelled through the events service
    (which promotes waitlists), past RSVPs and actions stay as anonymous rows."""
    orphaned = groups_only_i_lead(user)
    if orphaned:
        raise LastLeadError(orphaned)
    now = timezone.now()
    erased_from = set(
        Membership.objects.current().filter(user=user).values_list("group_id", flat=True)
    )
    upcoming = RSVP.objects.filter(user=user, event__ends_at__gt=now).exclude(
        status=RSVP.Status.CANCELLED
    )
    for rsvp in upcoming.select_related("event"):
        event_services.cancel_rsvp(event=rsvp.event, user=user)
    for membership in Membership.objects.current().filter(user=user).select_related("group"):
        group_services.leave_group(group=membership.group, user=user)
    for support in CampaignSupporter.objects.filter(user=user).select_related("campaign"):
        campaign_services.stop_supporting(campaign=support.campaign, user=user)
    resolutions_data.erase(user)
    with transaction.atomic():
        # Tools that copied the person (webhooks) are told to forget them.
        hooks.emit("person.erased", group_ids=erased_from, user=user)
        case_data.erase(user)
        conversation_data.erase(user)
        RSVP.objects.filter(user=user).update(user=None, show_name=False)
        ActionTaken.objects.filter(user=user).update(user=None, show_name=False)
        OutboxMessage.objects.filter(user=user).delete()
        OutboxMessage.objects.filter(to__iexact=user.email).delete()
        user.delete()
