"""Demo accounts, one per role. Each app adds its own demo data in <app>/demo.py."""

from allauth.account.models import EmailAddress
from django.db import transaction

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
