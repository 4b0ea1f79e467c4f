from urllib.parse import urlsplit

from django import forms

from .models import Scope, WebhookEvent


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “our CRM”.")
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Give only what the tool needs.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=730,
        initial=365,
        help_text="It stops working then; make a new one.",
    )


class EmbedForm(forms.Form):
    origins = forms.CharField(
        label="Websites that may show it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="One per line, e.g. https://www.cityofsanctuary.org. No other site can frame it.",
    )

    def clean_origins(self):
        origins = []
        for line in self.cleaned_data["origins"].split():
            parts = urlsplit(line)
            if parts.scheme not in ("https", "http") or not parts.hostname or parts.path.strip("/"):
                raise forms.ValidationError(
                    f"“{line[:80]}” is not a site address such as https://www.example.org."
                )
            if parts.username or parts.password or parts.query or parts.fragment:
                raise forms.ValidationError(f"“{line[:80]}” is not a site address.")
            port = f":{parts.port}" if parts.port else ""
            origins.append(f"{parts.scheme}://{parts.hostname}{port}")
        if not origins:
            raise forms.ValidationError("Give at least one website.")
        return "\n".join(dict.fromkeys(origins))


class WebhookForm(forms.Form):
    url = forms.URLField(
        label="Receiver URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where we POST each event, e.g. https://crm.example.org/hooks/people-power.",
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
