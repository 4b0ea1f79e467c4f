"""Email choices and the signed one-click unsubscribe links in every bulk email.

Three lists are built in (the digests, kept as fields of User). Apps add their own lists
(case updates, resolution news, ...) with ``register_list(EmailList(...))`` in their
AppConfig.ready: each shows as a tick box on the email-choices page to the people it
applies to, is stored as an EmailChoice row only once someone changes it from its
default, and can be left with one click from any email sent to it. Bulk builders ask
``subscribed_user_ids(list_name, ids)`` (one query per batch).

The links authenticate by their signature alone (mail clients and people reading mail on
another device are not signed in), so each token names exactly one thing it may do: drop
one user from one list. (The "I can't come any more" link of event emails is events.links.)
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import pagecache
from .models import DIGEST_FREQUENCIES, EmailChoice, User

# The built-in lists a digest can be unsubscribed from, and what unsubscribing changes.
ACTIVIST, LEAD, REP = "activist", "lead", "rep"
BUILT_IN = {
    ACTIVIST: "the campaigning digest",
    LEAD: "the group leads' digest",
    REP: "the reps' digest",
}
_UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"


@dataclass(frozen=True)
class EmailList:
    name: str  # in URLs and tokens: letters, digits and underscores
    label: str  # "updates on cases you acted on": completes "You will no longer get ..."
    choice: str  # the tick box: "Email me updates on the cases I acted on"
    help_text: str = ""
    default: bool = True  # on until the person says otherwise
    applies_to: Callable[[User], bool] = lambda user: True  # whose page shows the box


_LISTS: dict[str, EmailList] = {}


def register_list(email_list: EmailList) -> EmailList:
    if email_list.name in BUILT_IN or not email_list.name.replace("_", "").isalnum():
        raise ValueError(f"Bad email list name {email_list.name!r}")
    _LISTS[email_list.name] = email_list
    return email_list


def registered_lists() -> list[EmailList]:
    return list(_LISTS.values())


def list_label(list_name: str) -> str | None:
    if list_name in BUILT_IN:
        return BUILT_IN[list_name]
    email_list = _LISTS.get(list_name)
    return email_list.label if email_list else None


def is_subscribed(user: User, list_name: str) -> bool:
    email_list = _LISTS[list_name]
    choice = EmailChoice.objects.filter(user=user, list_name=list_name).first()
    return email_list.default if choice is None else choice.subscribed


def subscribed_user_ids(list_name: str, user_ids: Iterable[int]) -> set[int]:
    """Of these people, those who get this list: one query, for bulk builders."""
    user_ids = set(user_ids)
    default = _LISTS[list_name].default
    changed = dict(
        EmailChoice.objects.filter(list_name=list_name, user_id__in=user_ids).values_list(
            "user_id", "subscribed"
        )
    )
    return {pk for pk in user_ids if changed.get(pk, default)}


def set_choice(*, user: User, list_name: str, subscribed: bool) -> bool:
    """Record a choice; returns whether it changed anything."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
    _LISTS[list_name]  # an unknown list is a programming error
    if is_subscribed(user, list_name) == subscribed:
        return False
    EmailChoice.objects.update_or_create(
        user=user,
        list_name=list_name,
        defaults={"subscribed": subscribed, "changed_at": timezone.now()},
    )
    return True


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
        self.lists = [item for item in registered_lists() if item.applies_to(user)]
        for item in self.lists:
            self.fields[f"list_{item.name}"] = forms.BooleanField(
                required=False,
                label=item.choice,
                help_text=item.help_text,
                initial=is_subscribed(user, item.name),
            )
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
    lists: dict[str, bool] | None = None,
) -> User:
    """Save someone's choices. Consent keeps the moment it was first given; withdrawing
    it clears it (ticking the box again later records a new moment)."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
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
    for list_name, subscribed in (lists or {}).items():
        set_choice(user=user, list_name=list_name, subscribed=subscribed)
    return user


@transaction.atomic
def unsubscribe(*, user: User, list_name: str) -> bool:
    """Take someone off one list at once. Returns False if they were not on it."""
    pagecache.touch(pagecache.person(user.pk), private=False, review=False)
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
    return set_choice(user=user, list_name=list_name, subscribed=False)


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
    if not user_id.isdigit() or list_label(list_name) is None:
        return None
    return int(user_id), list_name


def unsubscribe_url(user: User | int, list_name: str) -> str:
    """Absolute HTTPS URL (SITE_URL) for the body link and the List-Unsubscribe header."""
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user, list_name)])
    return settings.SITE_URL + path


def unsubscribe_url_maker(list_name: str) -> Callable[[int], str]:
    """unsubscribe_url for many people of one list: the signer's key and the URL are
    worked out once (a bulk send makes one per recipient)."""
    signer = signing.Signer(salt=_UNSUBSCRIBE_SALT)
    marker = "tokenmarker"
    path = settings.SITE_URL + reverse("notifications:unsubscribe", args=[marker])
    head, tail = path.split(marker)
    return lambda user_id: head + signer.sign(f"{user_id}.{list_name}") + tail


def unsubscribe_headers(user: User | int, list_name: str) -> dict[str, str]:
    """RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs here."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user, list_name)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
