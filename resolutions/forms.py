from django import forms

from portal.fields import BoundedModelChoiceField

from .models import Meeting, ProgressUpdate, Resolution
from .services import Decision

SECTION_HELP = "Markdown: paragraphs, lists, links and emphasis."


class BrowseForm(forms.Form):
    """The list's filters: each optional; an invalid one is reported and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any meeting",
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *Resolution.Status.choices[1:]], required=False
    )
    result = forms.ChoiceField(
        choices=[("", "Any result"), *Resolution.Result.choices], required=False
    )


def _section(label: str, help_text: str, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=f"{help_text} {SECTION_HELP}",
    )


class ResolutionForm(forms.ModelForm):
    notes = _section("This meeting notes", "The facts.")
    believes = _section("This meeting believes", "Why it matters.")
    resolves = _section("This meeting resolves", "What the movement will do.", rows=6)

    class Meta:
        model = Resolution
        fields = ["title", "notes", "believes", "resolves"]
        help_texts = {
            "title": 'e.g. "Campaign on the human rights responsibilities of non-state actors"',
        }


class DraftForm(ResolutionForm):
    meeting = BoundedModelChoiceField(queryset=None, empty_label=None, label="For the meeting")
    group = BoundedModelChoiceField(
        queryset=None,
        empty_label=None,
        label="Proposing group",
        help_text="One of your groups: its lead endorses the draft before it goes public.",
    )

    class Meta(ResolutionForm.Meta):
        fields = ["meeting", "group", "title", "notes", "believes", "resolves"]

    def __init__(self, *args, meetings, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["group"].queryset = groups


class SupportForm(forms.Form):
    comment = forms.CharField(
        label="Why you support it (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown with your name on the resolution's page. At most 500 characters.",
    )


class CoSponsorForm(forms.Form):
    group = BoundedModelChoiceField(queryset=None, empty_label=None, label="Co-sponsor for")

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.CHOICES, widget=forms.RadioSelect)
    into = BoundedModelChoiceField(
        queryset=None,
        required=False,
        label="Composite into",
        empty_label="(only to composite)",
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed to rule it out of order; sent to everyone involved.",
    )

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = others

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == Decision.OUT_OF_ORDER and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for ruling it out of order.")
        if decision == Decision.COMPOSITE and not data.get("into"):
            self.add_error("into", "Choose the resolution to composite it into.")
        return data


class ResultForm(forms.Form):
    result = forms.ChoiceField(choices=Resolution.Result.choices, widget=forms.RadioSelect)
    votes_for = forms.IntegerField(min_value=0, max_value=1_000_000, required=False)
    votes_against = forms.IntegerField(min_value=0, max_value=1_000_000, required=False)
    abstentions = forms.IntegerField(min_value=0, max_value=1_000_000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("result") in ("passed", "failed") and (
            data.get("votes_for") is None or data.get("votes_against") is None
        ):
            raise forms.ValidationError("Give the votes for and against the resolution.")
        return data


class ProgressForm(forms.Form):
    responsible = forms.CharField(
        label="Who is responsible",
        max_length=200,
        help_text='A person or a team, e.g. "National campaigns team".',
    )
    dated = forms.DateField(
        label="Date of this update", widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(choices=ProgressUpdate.Status.choices)
    percent = forms.IntegerField(label="Percentage done", min_value=0, max_value=100)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, help_text=SECTION_HELP
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == ProgressUpdate.Status.DONE and data.get("percent") not in (
            None,
            100,
        ):
            self.add_error("percent", "A resolution that is done is 100% done.")
        return data
