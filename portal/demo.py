"""Demo accounts, one per role. Each app adds its own demo data in <app>/demo.py."""

import io
import random

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageColor, ImageDraw

from .images import MAX_PICTURE_BYTES, MAX_PICTURE_SIDE, card_rendition, process_image
from .models import User

DEMO_ACCOUNTS = {
    "activist": ("activist@example.org", "Amira (demo activist)", "DE1"),
    "lead": ("lead@example.org", "Lewis (demo group lead)", "DE22"),
    "rep": ("rep@example.org", "Rana (demo regional rep)", "B1"),
    "staff": ("staff@example.org", "Sam (demo national staff)", "N1"),
}


@transaction.atomic
def seed_accounts(*, password: str) -> dict[str, User]:
    accounts = {}
    for role, (email, name, district) in DEMO_ACCOUNTS.items():
        user = User.objects.filter(email__iexact=email).first() or User(email=email)
        user.display_name = name
        user.postcode_district = district
        user.email_verified = True
        user.is_staff = user.is_superuser = role == "staff"
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        accounts[role] = user
    return accounts


# Brand colours (static/css/look.css) for the generated demo pictures.
DEMO_PALETTES = [
    ("#0b5563", "#138a9e", ["#ffd23f", "#9fd3da", "#ffffff"]),
    ("#083f49", "#0b5563", ["#ffd23f", "#b3261e", "#9fd3da"]),
    ("#b3261e", "#ffd23f", ["#fff8db", "#0b5563", "#ffffff"]),
]


def demo_artwork(seed: int) -> bytes:
    """A 1600 × 900 PNG of overlapping circles on a gradient in the site's colours,
    drawn by Pillow: demo pictures need no downloads and carry no one's likeness."""
    rng = random.Random(seed)  # noqa: S311 # nosec B311: artwork, not secrets
    start, end, inks = DEMO_PALETTES[seed % len(DEMO_PALETTES)]
    size = (1600, 900)
    mask = Image.linear_gradient("L").resize(size)
    image = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for n in range(7):
        r = rng.randint(90, 380)
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        colour = ImageColor.getrgb(inks[n % len(inks)])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, rng.randint(90, 200)))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def give_demo_picture(obj, *, seed: int, alt: str, name_stem: str) -> None:
    """Store a generated picture on an event, festival, campaign or group the way an upload
    is stored (re-encoded, with its card rendition), once: seeding again adds no files."""
    if obj.image:
        return
    picture = process_image(
        ContentFile(demo_artwork(seed), name="artwork.png"),
        name_stem=name_stem,
        max_bytes=MAX_PICTURE_BYTES,
        max_side=MAX_PICTURE_SIDE,
    )
    obj.image = picture
    obj.image_card = card_rendition(picture, name_stem=name_stem)
    obj.image_alt = alt
    obj.save(update_fields=["image", "image_card", "image_alt"])
