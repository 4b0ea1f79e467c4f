from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils import timezone

from .geo import normalise_postcode


def clean_postcode_district(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    outcode = normalise_postcode(value)
    if outcode is None:
        raise forms.ValidationError("Enter a UK postcode or its first half, e.g. DE1.")
    return outcode


class SignupForm(AllauthSignupForm):
    display_name = forms.CharField(
        max_length=80,
        label="Your name",
        help_text="Shown to other activists. We never show your email address.",
    )
    postcode_district = forms.CharField(
        max_length=10,
        required=False,
        label="Postcode (optional)",
        help_text="Only the first half (e.g. DE1) is kept, to find groups and events near you.",
    )
    campaign_digest_consent = forms.BooleanField(
        required=False,
        initial=False,
        label="Email me a campaigning digest (weekly)",
        help_text="Events near you, news from your campaigns and actions you can take. "
        "Optional; you can stop it at any time.",
    )

    def clean_postcode_district(self):
        return clean_postcode_district(self.cleaned_data.get("postcode_district"))

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.postcode_district = self.cleaned_data["postcode_district"]
        # Consent is an explicit act: the box starts unticked and the moment is kept.
        if self.cleaned_data.get("campaign_digest_consent"):
            user.campaign_digest_consent_at = timezone.now()
        user.save(update_fields=["display_name", "postcode_district", "campaign_digest_consent_at"])
        return user


SHOW_TO_OTHERS_LABEL = "Show my first name and initial to others"


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=80, label="Your name")
    postcode_district = forms.CharField(max_length=10, required=False, label="Postcode (optional)")
    show_to_others = forms.BooleanField(
        label=SHOW_TO_OTHERS_LABEL,
        required=False,
        help_text="Among the people going to an event and the recent signers of a petition, "
        'e.g. "Amira H.". Ticked, it is the answer the RSVP and sign forms start with; '
        "unticked, your name is taken off every list it is on.",
    )

    def clean_postcode_district(self):
        return clean_postcode_district(self.cleaned_data.get("postcode_district"))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand: delete my account and personal data",
        error_messages={"required": "Tick the box to confirm that you want your account deleted."},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
