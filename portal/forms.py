from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

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

    def clean_postcode_district(self):
        return clean_postcode_district(self.cleaned_data.get("postcode_district"))

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data["display_name"]
        user.postcode_district = self.cleaned_data["postcode_district"]
        user.save(update_fields=["display_name", "postcode_district"])
        return user


class ProfileForm(forms.Form):
    display_name = forms.CharField(max_length=80, label="Your name")
    postcode_district = forms.CharField(max_length=10, required=False, label="Postcode (optional)")

    def clean_postcode_district(self):
        return clean_postcode_district(self.cleaned_data.get("postcode_district"))
