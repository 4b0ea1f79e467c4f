from django import forms

from .models import Scope


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
