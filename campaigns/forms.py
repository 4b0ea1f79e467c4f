from decimal import Decimal

from django import forms
from django.utils import timezone

from groups.models import Region
from portal.fields import BoundedModelChoiceField, postcode_or_error
from portal.forms import SHOW_TO_OTHERS_LABEL
from portal.images import ALT_HELP, PictureFormMixin

from .models import Action, Campaign, Outcome, Topic

PUBLIC_STATUSES = [
    (value, label)
    for value, label in Campaign.Status.choices
    if value not in (Campaign.Status.PROPOSED, Campaign.Status.REJECTED)
]


class BrowseForm(forms.Form):
    """The list's filters. Each is optional; an invalid one is reported and ignored, the
    valid ones still apply."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="Any topic"
    )
    scope = forms.ChoiceField(choices=[("", "Any scope"), *Campaign.Scope.choices], required=False)
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any region",
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *PUBLIC_STATUSES], required=False)
    postcode = forms.CharField(
        label="Near postcode",
        required=False,
        max_length=16,
        help_text="Local campaigns nearest first, e.g. DE1 or DE1 3AA.",
    )

    def clean_postcode(self):
        return postcode_or_error(self.cleaned_data["postcode"])


class SignForm(forms.Form):
    show_name = forms.BooleanField(label=SHOW_TO_OTHERS_LABEL, required=False, initial=False)


class LetterForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your letter",
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Edit it in your own words: personal letters carry more weight.",
    )


class UpdateForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), max_length=20000, help_text="Markdown."
    )


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["date", "kind", "summary"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["kind", "title", "instructions", "statement", "goal_count", "deadline"]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 4}),
            "statement": forms.Textarea(attrs={"rows": 6}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }


class PictureForm(PictureFormMixin, forms.ModelForm):
    """The campaign's picture, on its page and its card, with the words that describe it."""

    picture_name_stem = "campaign"

    class Meta:
        model = Campaign
        fields = ["image", "image_alt"]
        labels = {"image": "Picture"}
        help_texts = {
            "image": "JPEG, PNG or WebP, at most 5 MB. Cards show it cut to a 16:9 shape.",
            "image_alt": ALT_HELP,
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Campaign.Status.choices)


class ProposalForm(forms.Form):
    group = BoundedModelChoiceField(
        queryset=None,
        empty_label=None,
        help_text="The group that will run it: one you belong to.",
    )
    regional = forms.BooleanField(
        label="Propose it for the whole region (group leads only; a regional rep decides)",
        required=False,
    )
    title = forms.CharField(label="What: a short title", max_length=200)
    summary = forms.CharField(label="In one or two sentences", max_length=300)
    why = forms.CharField(
        label="Why this, why now", widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    target_name = forms.CharField(
        label="Decision-maker", max_length=200, help_text="e.g. Derby City Council"
    )
    target_kind = forms.ChoiceField(
        label="Kind of decision-maker", choices=Campaign.TargetKind.choices
    )
    target_email = forms.EmailField(
        label="Their published email address (optional)",
        required=False,
        help_text="Letters are sent there. Only ever a public, official address.",
    )
    goal = forms.CharField(label="The goal in one sentence", max_length=300)
    first_action = forms.CharField(
        label="First action",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="e.g. a petition to the council, a letter to the MP.",
    )

    def __init__(self, *args, groups, lead_group_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.lead_group_ids = lead_group_ids

    def clean(self):
        data = super().clean()
        group = data.get("group")
        if data.get("regional") and group is not None and group.pk not in self.lead_group_ids:
            self.add_error("regional", "Only a lead of the group can propose a regional campaign.")
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The proposer gets this by email.",
    )


class FundingRequestForm(forms.Form):
    amount = forms.DecimalField(
        label="Amount (£)", max_digits=9, decimal_places=2, min_value=Decimal("0.01")
    )
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    needed_by = forms.DateField(label="Date needed", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_needed_by(self):
        needed_by = self.cleaned_data["needed_by"]
        if needed_by < timezone.localdate():
            raise forms.ValidationError("The date needed cannot be in the past.")
        return needed_by


class FundingApproveForm(forms.Form):
    approved_amount = forms.DecimalField(
        label="Amount approved (£)", max_digits=9, decimal_places=2, min_value=Decimal("0.01")
    )
    note = forms.CharField(required=False, max_length=2000)


class FundingNoteForm(forms.Form):
    """A question, an answer or a reason for declining."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class JoinForm(forms.Form):
    """A lead signs their group up to run a national or regional campaign locally."""

    group = BoundedModelChoiceField(
        queryset=None,
        label="Your group",
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label="Local note",
        max_length=300,
        required=False,
        help_text="What your group does for the campaign locally, in a sentence.",
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class LeaveForm(forms.Form):
    group = BoundedModelChoiceField(queryset=None)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
