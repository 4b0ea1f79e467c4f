"""Notification preferences and the signed links in reminders and digests.

The links authenticate by their signature alone (mail clients and people reading mail on
another device are not signed in), so each token names exactly one thing it may do: drop
one user from one list. (The "I can't come any more" link of event emails is events.links.)
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import DIGEST_FREQUENCIES, User

# The lists a digest can be unsubscribed from, and what unsubscribing changes.
ACTIVIST, LEAD, REP = "activist", "lead", "rep"
LISTS = {
    ACTIVIST: "the campaigning digest",
    LEAD: "the group leads' digest",
    REP: "the reps' digest",
}
_UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"


# --- preferences ----------------------------------------------------------------------


class NotificationSettingsForm(forms.Form):
    campaign_digest_consent = forms.BooleanField(
        required=False,
        label="Send me the campaigning digest",
        help_text="News from my groups and campaigns, events near me and actions I can take. "
        "You can stop it at any time.",
    )
    digest_frequency = forms.ChoiceField(
        choices=DIGEST_FREQUENCIES, label="How often", widget=forms.RadioSelect
    )
    event_reminders = forms.BooleanField(
        required=False,
        label="Remind me before events I'm going to",
        help_text="The evening before and a couple of hours before the start.",
    )
    lead_digest = forms.BooleanField(
        required=False, label="Weekly digest for the groups I lead (Monday morning)"
    )
    rep_digest = forms.BooleanField(
        required=False, label="Weekly digest for the groups I look after as a rep (Monday morning)"
    )

    def __init__(self, *args, user: User, is_lead: bool, is_rep: bool, **kwargs):
        initial = {
            "campaign_digest_consent": user.campaign_digest_consent,
            "digest_frequency": user.digest_frequency,
            "event_reminders": user.event_reminders,
            "lead_digest": user.lead_digest,
            "rep_digest": user.rep_digest,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if not is_lead:
            del self.fields["lead_digest"]
        if not is_rep:
            del self.fields["rep_digest"]
        self.helper = FormHelper()
        self.helper.form_tag = False


@transaction.atomic
def update_notification_settings(
    *,
    user: User,
    campaign_digest_consent: bool,
    digest_frequency: str,
    event_reminders: bool,
    lead_digest: bool | None = None,
    rep_digest: bool | None = None,
) -> User:
    """Save someone's choices. Consent keeps the moment it was first given; withdrawing
    it clears it (ticking the box again later records a new moment)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not campaign_digest_consent:
        user.campaign_digest_consent_at = None
    elif user.campaign_digest_consent_at is None:
        user.campaign_digest_consent_at = timezone.now()
    user.digest_frequency = digest_frequency
    user.event_reminders = event_reminders
    if lead_digest is not None:
        user.lead_digest = lead_digest
    if rep_digest is not None:
        user.rep_digest = rep_digest
    user.save(
        update_fields=[
            "campaign_digest_consent_at",
            "digest_frequency",
            "event_reminders",
            "lead_digest",
            "rep_digest",
        ]
    )
    return user


@transaction.atomic
def unsubscribe(*, user: User, list_name: str) -> bool:
    """Take someone off one list at once. Returns False if they were not on it."""
    users = User.objects.filter(pk=user.pk)
    if list_name == ACTIVIST:
        return (
            users.filter(campaign_digest_consent_at__isnull=False).update(
                campaign_digest_consent_at=None
            )
            == 1
        )
    if list_name == LEAD:
        return users.filter(lead_digest=True).update(lead_digest=False) == 1
    if list_name == REP:
        return users.filter(rep_digest=True).update(rep_digest=False) == 1
    raise ValueError(f"Unknown list {list_name!r}")


# --- signed links ---------------------------------------------------------------------


def unsubscribe_token(user: User | int, list_name: str) -> str:
    user_id = user if isinstance(user, int) else user.pk
    return signing.Signer(salt=_UNSUBSCRIBE_SALT).sign(f"{user_id}.{list_name}")


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, list) from a token, or None if it was not made by us."""
    try:
        value = signing.Signer(salt=_UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    user_id, _, list_name = value.partition(".")
    if not user_id.isdigit() or list_name not in LISTS:
        return None
    return int(user_id), list_name


def unsubscribe_url(user: User | int, list_name: str) -> str:
    """Absolute HTTPS URL (SITE_URL) for the body link and the List-Unsubscribe header."""
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, list_name)])
    return settings.SITE_URL + path


def unsubscribe_headers(user: User | int, list_name: str) -> dict[str, str]:
    """RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs here."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
