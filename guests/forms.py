from django import forms

from portal.fields import postcode_or_error
from portal.forms import SHOW_TO_OTHERS_LABEL

# The honeypot: a field people never see (it is hidden from sight and from screen readers)
# and bots fill in. A filled one gets the usual answer and nothing is saved.
HONEYPOT = "website"


class GuestForm(forms.Form):
    """Act without an account: name, email, postcode, an unticked consent box, an unticked
    "remember me"; subclasses add what the action needs."""

    name = forms.CharField(label="Your name", max_length=80)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We email you a link: your action counts once you click it.",
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=16,
        help_text="Only its first half (e.g. DE1) is kept, and only if you tick the box below.",
    )
    consent = forms.BooleanField(required=False, initial=False)
    remember = forms.BooleanField(
        label="Remember me on this device",
        required=False,
        initial=False,
        help_text="Keeps your name, email and postcode in a cookie so the next form is filled in.",
    )
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, consent_label: str, postcode_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_label
        self.fields["postcode"].required = postcode_required
        if not postcode_required:
            self.fields["postcode"].label = "Postcode (optional)"

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_postcode(self):
        found = postcode_or_error(self.cleaned_data["postcode"])
        return found[0] if found else ""

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT)))


class GuestSignForm(GuestForm):
    show_name = forms.BooleanField(label=SHOW_TO_OTHERS_LABEL, required=False, initial=False)


class GuestRSVPForm(GuestForm):
    show_name = forms.BooleanField(label=SHOW_TO_OTHERS_LABEL, required=False, initial=False)


class GuestLetterForm(GuestForm):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your letter",
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Edit it in your own words: personal letters carry more weight.",
    )


class DataRequestForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
