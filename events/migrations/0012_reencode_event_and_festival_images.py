"""Event and festival images were stored byte for byte. Re-encode every stored one as new
uploads are (portal/images.py: checked by content, resized, re-encoded, so nothing
appended to an image survives), and drop files that are not images, are damaged or are
missing. Large but real images are shrunk, not dropped."""

from django.core.exceptions import ValidationError
from django.db import migrations

# Generous: an existing image that is too big to upload today is still shrunk, not lost.
MAX_STORED_BYTES = 50 * 1024 * 1024
MAX_SIDE = 1600  # events.forms.MAX_IMAGE_SIDE, as of this migration


def reencode_images(apps, schema_editor):
    from portal.images import process_image

    for model_name, stem in (("Event", "event"), ("Festival", "festival")):
        model = apps.get_model("events", model_name)
        for row in model.objects.exclude(image="").only("pk", "image").iterator():
            old = row.image.name
            storage = row.image.storage
            try:
                with storage.open(old, "rb") as stored:
                    new = process_image(
                        stored,
                        name_stem=stem,
                        max_bytes=MAX_STORED_BYTES,
                        max_side=MAX_SIDE,
                        gif_as_png=True,
                    )
            except (OSError, ValidationError):  # missing, unreadable or not an image
                new = None
            if new is None:
                row.image = ""
            else:
                row.image.save(new.name, new, save=False)
            model.objects.filter(pk=row.pk).update(image=row.image.name if new else "")
            if storage.exists(old):
                storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [("events", "0011_walk_ins")]

    operations = [migrations.RunPython(reencode_images, migrations.RunPython.noop)]
