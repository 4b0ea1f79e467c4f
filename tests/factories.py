import time
from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.utils import timezone

from portal.models import User


def enrol_two_factor(user) -> str:
    """Sets up an authenticator app and recovery codes for this person, as if done
    yesterday (before any session a test opens): what reps and staff need before they
    can use the portal (portal.mfa). Returns the authenticator's secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    Authenticator.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=1))
    return secret


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows now (or at ``at``) for this secret."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def recovery_codes(user) -> list[str]:
    """This person's unused recovery codes."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return authenticator.wrap().get_unused_codes()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email_verified = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def email_address(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self, email=self.email, verified=self.email_verified, primary=True
            )

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Staff have two-factor sign-in unless made with two_factor=False (reps get it
        from RegionalRoleFactory); two_factor=True sets it up for anyone."""
        wanted = self.is_staff if extracted is None else extracted
        if create and wanted:
            enrol_two_factor(self)
