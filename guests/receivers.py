"""allauth's signals, the one way into its sign-up and email confirmation: when an
address on an account is confirmed, the guest actions made with it become the account's."""

from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver

from . import services


@receiver(email_confirmed, dispatch_uid="guests.claim_on_email_confirmed")
def claim_on_email_confirmed(sender, request, email_address, **kwargs):
    user = email_address.user
    if email_address.email.lower() == user.email.lower():
        user.email_verified = True
        services.claim_for_user(user=user)


@receiver(user_signed_up, dispatch_uid="guests.claim_on_sign_up")
def claim_on_sign_up(sender, request, user, **kwargs):
    """A sign-up whose address is already verified (by the email link the person clicked
    as a guest in this browser) claims at once; otherwise the claim waits for the
    address to be confirmed."""
    if request is not None and services.session_verified_email(request) == user.email.lower():
        services.mark_verified(user=user)
        services.claim_for_user(user=user)
