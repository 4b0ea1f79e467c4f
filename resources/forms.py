from django import forms

from campaigns.models import Campaign, Topic
from groups.models import LocalGroup
from portal.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField

from .files import ACCEPTED, MAX_FILE_BYTES, check_upload
from .models import LANGUAGES, Resource
from .printing import FORMATS

ACCEPT = (
    ".pdf,.png,.jpg,.jpeg,.docx,.odt,application/pdf,image/png,image/jpeg,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.oasis.opendocument.text"
)
UPLOAD_HELP = f"{ACCEPTED}, at most {MAX_FILE_BYTES // (1024 * 1024)} MB."


class BrowseForm(forms.Form):
    """The listing's search and filters; an invalid one is reported and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Resource.Kind.choices], required=False)
    topic = forms.ModelChoiceField(
        queryset=Topic.objects.all(), to_field_name="slug", required=False, empty_label="Any topic"
    )
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="Any campaign",
    )
    language = forms.ChoiceField(choices=[("", "Any language"), *LANGUAGES], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only campaigns that have published resources: the select stays short.
        self.fields["campaign"].queryset = (
            Campaign.objects.public()
            .filter(resources__status=Resource.Status.PUBLISHED)
            .distinct()
            .order_by("title")
        )


class UploadField(forms.FileField):
    """A file checked by its content and size (resources.files.check_upload)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", UPLOAD_HELP)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        return check_upload(upload) if upload else None


class ResourceForm(forms.ModelForm):
    """Staff's and leads' form. Leads pick the group they submit for; staff may leave it
    empty (a national resource)."""

    file_title = forms.CharField(
        label="File title",
        required=False,
        max_length=120,
        help_text='e.g. "A5 leaflet, print-ready". More files can be added later.',
    )
    upload = UploadField(label="File", required=False)

    class Meta:
        model = Resource
        fields = [
            "title",
            "kind",
            "summary",
            "body",
            "slogans",
            "language",
            "licence",
            "topics",
            "campaigns",
            "group",
        ]
        field_classes = {
            "topics": BoundedModelMultipleChoiceField,
            "campaigns": BoundedModelMultipleChoiceField,
            "group": BoundedModelChoiceField,
        }
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "slogans": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "body": "Markdown. For an example of action: what you did, how, and what happened.",
        }

    def __init__(self, *args, user, lead_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaigns"].queryset = Campaign.objects.public().order_by("title")
        self.fields["campaigns"].required = False
        self.fields["topics"].required = False
        group = self.fields["group"]
        if user.is_staff:
            group.queryset = LocalGroup.objects.active()
            group.required = False
        else:
            group.queryset = lead_groups
            group.required = True
            group.label = "Your group"
        if self.instance.pk:
            del self.fields["file_title"], self.fields["upload"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Resource.Kind.SLOGANS and not (data.get("slogans") or "").strip():
            self.add_error("slogans", "A slogan set needs at least one slogan.")
        if "upload" in self.fields and data.get("upload") and not data.get("file_title"):
            self.add_error("file_title", "Give the file a title, e.g. \u201cA5 leaflet\u201d.")
        return data

    def model_data(self) -> dict:
        related = {"topics", "campaigns", "group", "file_title", "upload"}
        return {k: v for k, v in self.cleaned_data.items() if k not in related}


class FileForm(forms.Form):
    title = forms.CharField(max_length=120, help_text='e.g. "A4 poster" or "Briefing (Welsh)".')
    upload = UploadField(label="File")


class VersionForm(forms.Form):
    upload = UploadField(label="New version")
    note = forms.CharField(
        label="What changed",
        max_length=200,
        required=False,
        help_text="Told to subscribers, e.g. \u201cNew figures for 2027\u201d.",
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="Note to the lead",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class PrintForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(key, label) for key, (label, _template) in FORMATS.items()],
        widget=forms.RadioSelect,
    )
    slogan = forms.TypedChoiceField(
        label="Slogan for the poster", coerce=int, required=False, empty_value=0
    )
    group = BoundedModelChoiceField(
        queryset=LocalGroup.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label="No group",
        help_text="Its name and next public event go on the page.",
    )

    def __init__(self, *args, resource: Resource, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slogan"].choices = list(enumerate(resource.slogan_list))
        self.fields["group"].queryset = groups


class LearningRecordForm(forms.Form):
    keep_record = forms.TypedChoiceField(
        label="Keep a record of the modules I complete",
        choices=[("yes", "Yes, keep my learning record"), ("no", "No, keep nothing")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    visible_to_region = forms.BooleanField(
        label="Let my region's team see my name next to the modules I have done",
        required=False,
        help_text="They use it to find trainers and team members. Otherwise they see only "
        "numbers per group.",
    )
    module = forms.SlugField(required=False, widget=forms.HiddenInput)
