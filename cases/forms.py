from django import forms

from portal.fields import BoundedModelChoiceField

from .models import Case, SolidarityMessage, Theme

MESSAGE_MAX_LENGTH = 600


class BrowseForm(forms.Form):
    """The list's filters. Each is optional; an invalid one is reported and ignored, the
    valid ones still apply."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    country = forms.ChoiceField(required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Case.Status.choices], required=False)
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), to_field_name="slug", required=False, empty_label="Any theme"
    )

    def __init__(self, *args, countries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "Any country")] + [(c, c) for c in countries]


class LetterForm(forms.Form):
    body = forms.CharField(
        label="Your letter",
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Keep the salutation and make it your own: polite, personal letters work.",
    )


class MessageForm(forms.ModelForm):
    body = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"At most {MESSAGE_MAX_LENGTH} characters. Words of hope and solidarity; "
            "nothing about politics, the case or where the person is held."
        ),
    )

    class Meta:
        model = SolidarityMessage
        fields = ["first_name", "surname", "show_surname", "place", "body"]
        labels = {
            "show_surname": "Sign with my surname too",
            "place": "Where you write from",
        }
        help_texts = {
            "surname": "Kept with us; shown on the card only if you tick the box below.",
            "place": "e.g. Derby, UK (optional)",
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to reject; kept with the decision.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give a reason for keeping this message back.")
        return data


class AdoptForm(forms.Form):
    group = BoundedModelChoiceField(queryset=None, empty_label=None, label="For the group")

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class UpdateForm(forms.Form):
    title = forms.CharField(max_length=200, help_text='e.g. "Follow-up 1: trial postponed"')
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, help_text="Markdown."
    )
    new_status = forms.ChoiceField(
        label="The case is now",
        choices=[("", "Unchanged"), *Case.Status.choices],
        required=False,
    )
    notify = forms.BooleanField(
        label="Email it to everyone who acted on this case",
        required=False,
        initial=True,
        help_text="Writers, and the members of adopting groups who chose group news: once each.",
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Case.Status.choices)
