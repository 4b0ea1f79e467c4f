"""Image uploads (partner logos, event and festival images): judged by their content
(never the file name or the browser's content type), bounded in bytes and pixels, then
resized and re-encoded so that no uploaded byte is served back as-is: a GIF or PNG with
HTML or script appended comes out as a clean image of the same picture."""

import io
import secrets
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

# Far more than any upload needs; checked from the header before any pixel is decoded,
# so a small file that claims to be huge (a decompression bomb) never reaches memory.
MAX_SOURCE_PIXELS = 25_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED = "JPEG, PNG or WebP"


def process_image(
    upload,
    *,
    name_stem: str,
    max_bytes: int,
    max_side: int,
    noun: str = "image",
    gif_as_png: bool = False,
) -> ContentFile:
    """Return the re-encoded image (at most max_side pixels wide and high) or raise
    ValidationError with a message for the form. ``noun`` names the upload in messages;
    with ``gif_as_png`` a GIF is taken too, its first frame re-encoded as a PNG."""
    if upload.size > max_bytes:
        raise ValidationError(
            "That file is %(size).1f MB; a%(n)s %(noun)s may be at most %(max)s MB.",
            code="too_large",
            params={
                "size": upload.size / (1024 * 1024),
                "n": "n" if noun[0] in "aeiou" else "",
                "noun": noun,
                "max": max_bytes // (1024 * 1024),
            },
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            image_format = image.format
            if image_format == "GIF" and gif_as_png:
                image_format = "PNG"
            if image_format not in FORMATS:
                raise ValidationError(
                    "%(nouns)s must be %(allowed)s images; that file is %(format)s.",
                    code="wrong_type",
                    params={
                        "nouns": f"{noun.capitalize()}s",
                        "allowed": ALLOWED,
                        "format": image_format or "another format",
                    },
                )
            width, height = image.size
            if width * height > MAX_SOURCE_PIXELS:
                raise ValidationError(
                    "That image is %(w)s × %(h)s pixels, too large to process; please upload "
                    "a smaller one.",
                    code="too_many_pixels",
                    params={"w": width, "h": height},
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "That image has too many pixels to process; please upload a smaller one.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "That file isn't an image we can read. Please upload a %(allowed)s image.",
            code="not_an_image",
            params={"allowed": ALLOWED},
        ) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt image data
        raise ValidationError(
            "That image file is damaged or incomplete. Please upload another.",
            code="damaged",
        ) from None

    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        image.save(output, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(output, "WEBP", quality=85)
    name = f"{name_stem}-{secrets.token_hex(4)}.{FORMATS[image_format]}"
    return ContentFile(output.getvalue(), name=name)


# Pictures of events, festivals, campaigns and groups: a page's header image (the upload,
# bounded) and a card-sized rendition cut at upload time, so a list of 25 cards never
# downloads 25 full-sized photos. Every card and header keeps one shape (CSS object-fit),
# which is what lets the templates set width and height and the page not jump as they load.
MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_SIDE = 1600
CARD_SIZE = (640, 360)


def card_rendition(picture: ContentFile, *, name_stem: str) -> ContentFile:
    """A CARD_SIZE WebP of an already processed picture, cropped to the card's shape
    around its centre (WebP keeps a PNG's transparency and is a third of a JPEG's size)."""
    picture.seek(0)
    with Image.open(picture) as image:
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        card = ImageOps.fit(image, CARD_SIZE, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    card.save(output, "WEBP", quality=80)
    picture.seek(0)
    return ContentFile(output.getvalue(), name=f"{name_stem}-card-{secrets.token_hex(4)}.webp")


def picture_models() -> list[type[models.Model]]:
    """Every kind with a picture and its card rendition (events, festivals, campaigns,
    groups), found by their fields: the core names no app."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if {"image", "image_card"} <= {field.name for field in model._meta.get_fields()}
    ]


def make_missing_cards(model: type[models.Model]) -> tuple[int, list[str]]:
    """Cut the card rendition of every picture of this kind that has none (stored before
    renditions existed). Returns how many were cut and, for each picture that could not be
    (its file missing or not an image), a line saying which and why. Safe to run again and
    beside uploads: a card is stored only if the row still has that picture and no card."""
    made, failed = 0, []
    stem = model._meta.model_name
    rows = model._base_manager.exclude(image="").filter(image_card="").only("pk", "image")
    for row in rows.order_by("pk").iterator(chunk_size=200):
        try:
            with row.image.open("rb") as handle:
                picture = ContentFile(handle.read())
            card = card_rendition(picture, name_stem=stem)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            reason = (
                "the file is missing"
                if isinstance(error, FileNotFoundError)
                else ("the file is not an image we can read")
            )
            failed.append(f"{stem} {row.pk} ({row.image.name}): {reason}")
            continue
        field = model._meta.get_field("image_card")
        name = field.storage.save(field.generate_filename(row, card.name), card)
        claimed = model._base_manager.filter(pk=row.pk, image=row.image.name, image_card="").update(
            image_card=name
        )
        if claimed:
            made += 1
        else:  # a new upload (with its own card) or a second run got there first
            field.storage.delete(name)
    return made, failed


def clean_uploaded_image(value, *, name_stem: str):
    """A new upload re-encoded; the current image (no upload) or False ("clear") as is."""
    if isinstance(value, UploadedFile):
        return process_image(
            value,
            name_stem=name_stem,
            max_bytes=MAX_PICTURE_BYTES,
            max_side=MAX_PICTURE_SIDE,
            gif_as_png=True,
        )
    return value


class PictureFormMixin:
    """For a ModelForm with the fields ``image`` and ``image_alt`` of a model that also has
    ``image_card``: a new upload is re-encoded, must come with alt text, and brings its card
    rendition in ``cleaned_data["image_card"]`` (cleared with the picture), so the services
    that save ``cleaned_data`` field by field store both. Put it before ModelForm."""

    picture_name_stem = "image"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,image/gif"

    def clean_image(self):
        return clean_uploaded_image(
            self.cleaned_data.get("image"), name_stem=self.picture_name_stem
        )

    def clean(self):
        data = super().clean()
        image = data.get("image")
        if isinstance(image, ContentFile):
            if (data.get("image_alt") or "").strip():
                data["image_card"] = card_rendition(image, name_stem=self.picture_name_stem)
            elif "image_alt" not in self.errors:  # (not when it is too long)
                self.add_error(
                    "image_alt",
                    "Describe the picture in a few words, for people who can't see it "
                    "(for example: Volunteers at a stall in the market square), then "
                    "choose the picture again.",
                )
        elif image is False:  # "clear" ticked: the rendition and the words go with it
            data["image_card"] = ""
            data["image_alt"] = ""
        return data

    def _post_clean(self):
        super()._post_clean()
        if "image_card" in self.cleaned_data:  # for forms saved by form.save() (the admin)
            self.instance.image_card = self.cleaned_data["image_card"]

    def picture_data(self) -> dict:
        """The picture's fields as a service stores them: a new or cleared picture with its
        rendition, or (no upload) only the alt text."""
        data = {"image_alt": self.cleaned_data.get("image_alt", "")}
        image = self.cleaned_data.get("image")
        if image is False:
            data.update(image="", image_card="")
        elif isinstance(image, ContentFile):
            data.update(image=image, image_card=self.cleaned_data["image_card"])
        return data


class PictureAdminForm(PictureFormMixin, forms.ModelForm):
    """The admin's form for a model with a picture: the same checks as the portal's own."""


ALT_HELP = (
    "What the picture shows, in a sentence, for people who use a screen reader. Needed "
    "when you upload a picture."
)


def picture_alt_field():
    """The alt text beside a model's picture (events, festivals, campaigns, groups): one
    definition, so the four say the same thing to the people who fill it in."""
    return models.CharField(
        "picture description",
        max_length=250,
        blank=True,
        help_text="The picture's alt text, for people who can't see it.",
    )
