from django import forms

from portal.fields import postcode_or_error
from portal.geo import PostcodeError, lookup_outcode
from portal.images import ALT_HELP, PictureFormMixin
from portal.models import User

from .models import Announcement, Area, LocalGroup, Region, TeamRole


class DirectoryForm(forms.Form):
    """The directory's filters. Each field is optional; an invalid one is reported and
    ignored, the valid ones still apply."""

    q = forms.CharField(label="Name or town", required=False, max_length=100)
    area = forms.ModelChoiceField(
        queryset=Area.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any area",
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *LocalGroup.Kind.choices], required=False)
    postcode = forms.CharField(
        label="Near postcode",
        required=False,
        max_length=16,
        help_text="A full postcode or its first half, e.g. DE1 or DE1 3AA.",
    )

    def clean_postcode(self):
        return postcode_or_error(self.cleaned_data["postcode"])


class GroupProfileForm(PictureFormMixin, forms.ModelForm):
    """A lead's edit of the public profile. The postcode district is looked up in the
    shipped outcode table and fills the coordinates used by near-a-postcode search."""

    picture_name_stem = "group"

    postcode_district = forms.CharField(
        label="Postcode district",
        max_length=16,
        help_text="Where the group meets: a full postcode or its first half, e.g. DE1.",
    )

    class Meta:
        model = LocalGroup
        fields = [
            "name",
            "kind",
            "town",
            "postcode_district",
            "description",
            "image",
            "image_alt",
            "meeting_note",
            "contact_email",
            "founded",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "founded": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"image": "Picture"}
        help_texts = {
            "image": "Shown on the group's page and card: JPEG, PNG or WebP, at most 5 MB.",
            "image_alt": ALT_HELP,
        }

    def clean_postcode_district(self):
        try:
            outcode, lat, lon = lookup_outcode(self.cleaned_data["postcode_district"])
        except PostcodeError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.coordinates = (lat, lon)
        return outcode

    def profile_fields(self) -> dict:
        fields = {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("image", "image_alt")
        }
        fields.update(self.picture_data())
        fields["latitude"], fields["longitude"] = self.coordinates
        return fields


class AnnouncementForm(forms.ModelForm):
    email_members = forms.BooleanField(
        required=False,
        label="Also email it to the group's members now",
        help_text="Each member gets it once, unless they have chosen not to get group "
        "announcements by email.",
    )

    class Meta:
        model = Announcement
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {"body": "Markdown: **bold**, *italic*, [links](https://...), lists."}


class MemberSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or email", required=False, max_length=100)


class TeamRoleForm(forms.Form):
    title = forms.CharField(
        label="Role", max_length=100, help_text="e.g. Campaigns coordinator, Trainer, Media."
    )
    holder_email = forms.EmailField(
        label="Held by (their account's email)",
        required=False,
        help_text="Leave empty for a vacant role. Never shown on the page.",
    )

    def clean_holder_email(self):
        email = self.cleaned_data["holder_email"]
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Nobody has an account with this email address.")
        return user


class ContactForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=TeamRole.objects.none(),
        label="Who to write to",
        empty_label="Choose a role in the team",
    )
    name = forms.CharField(label="Your name", max_length=100)
    email = forms.EmailField(label="Your email", help_text="So they can reply to you.")
    message = forms.CharField(max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = region.team_roles.filter(holder__isnull=False)
