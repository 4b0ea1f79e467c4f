from crispy_forms.helper import FormHelper
from django import forms

from groups.models import Area
from portal.fields import (
    BoundedModelChoiceField,
    BoundedModelMultipleChoiceField,
    postcode_or_error,
)
from portal.geo import PostcodeError, lookup_outcode

from .images import process_logo
from .models import Partner, PartnerKind, Partnership, PartnerSuggestion


class _NoFormTagMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ModelChoiceField(
        queryset=PartnerKind.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All kinds",
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.select_related("region"),
        to_field_name="slug",
        required=False,
        empty_label="All areas",
    )
    near = forms.CharField(label="Near postcode", required=False, max_length=16)

    def clean_near(self):
        return postcode_or_error(self.cleaned_data["near"])


def _postcode_field():
    return forms.CharField(label="Postcode or postcode district", required=False, max_length=16)


def _clean_postcode(form) -> str:
    text = form.cleaned_data["postcode_district"].strip()
    if not text:
        form.coordinates = (None, None)
        return ""
    try:
        outcode, lat, lon = lookup_outcode(text)
    except PostcodeError as exc:
        raise forms.ValidationError(str(exc)) from None
    form.coordinates = (lat, lon)
    return outcode


class PartnershipForm(_NoFormTagMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "status",
            "since",
            "activities",
            "contact_name",
            "contact_email",
            "contact_phone",
            "private_notes",
        ]
        widgets = {
            "since": forms.DateInput(attrs={"type": "date"}),
            "activities": forms.Textarea(attrs={"rows": 3}),
            "private_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "contact_name": "Seen only by this group's leads and the reps covering it.",
            "private_notes": "Seen only by this group's leads and the reps covering it.",
        }


class NewPartnershipForm(PartnershipForm):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), to_field_name="slug")

    class Meta(PartnershipForm.Meta):
        fields = ["partner", *PartnershipForm.Meta.fields]

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = (
            Partner.objects.active().exclude(partnerships__group=group).select_related("kind")
        )
        self.fields[
            "partner"
        ].help_text = (
            "Not listed? It may already be one of your partners, or you can suggest a new one."
        )


class PartnerForm(_NoFormTagMixin, forms.ModelForm):
    logo_upload = forms.FileField(
        label="Logo",
        required=False,
        help_text="JPEG, PNG or WebP, at most 2 MB; it will be resized to fit 400 × 400.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    clear_logo = forms.BooleanField(label="Remove the current logo", required=False)
    postcode_district = _postcode_field()
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "description",
            "website",
            "contact_email",
            "contact_phone",
            "town",
            "postcode_district",
            "areas",
        ]
        widgets = {"areas": forms.CheckboxSelectMultiple}
        field_classes = {
            "kind": BoundedModelChoiceField,
            "areas": BoundedModelMultipleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.select_related("region")
        if not self.instance.logo:
            del self.fields["clear_logo"]

    def clean_postcode_district(self):
        return _clean_postcode(self)

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        return process_logo(upload, name_stem=self.instance.slug or "logo")


class SuggestionForm(_NoFormTagMixin, forms.ModelForm):
    postcode_district = _postcode_field()
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = PartnerSuggestion
        fields = ["name", "kind", "area", "website", "town", "postcode_district", "reason"]
        field_classes = {"kind": BoundedModelChoiceField, "area": BoundedModelChoiceField}
        labels = {
            "name": "Organisation's name",
            "area": "Area it works in",
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.select_related("region")
        self.fields["kind"].empty_label = "Not sure"

    def clean_postcode_district(self):
        return _clean_postcode(self)


class AcceptSuggestionForm(forms.Form):
    kind = BoundedModelChoiceField(queryset=PartnerKind.objects.all(), label="Kind of partner")


class DeclineSuggestionForm(forms.Form):
    reason = forms.CharField(
        label="Why (the person who suggested it will see this)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
