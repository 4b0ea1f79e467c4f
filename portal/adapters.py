import hashlib

from allauth.account.adapter import DefaultAccountAdapter

from . import services
from .models import User
from .ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Routes allauth's emails through the outbox and records verification on the user."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"),
            "",
        )
        # The same rendered email to the same address is one email (a double-clicked
        # "resend"); a new confirmation key or reset link renders differently.
        digest = hashlib.sha256(f"{email}\n{message.subject}\n{message.body}".encode()).hexdigest()
        services.queue_email(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{digest[:40]}",
            to=email,
            subject=message.subject,
            text=message.body,
            html=html,
            kind="account",
            user=User.objects.filter(email__iexact=email).first(),
        )

    def get_client_ip(self, request):
        """allauth's limits (sign-in, sign-up, resets) key on the same address as ours."""
        return client_ip(request)

    def confirm_email(self, request, email_address):
        # allauth signs the person in (when the sign-up is still in this browser's session)
        # and returns them to where they started only if this says the address was
        # confirmed: dropping the answer left new people signed out (issue 16, item 11).
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            User.objects.filter(pk=email_address.user_id).update(email_verified=True)
        return confirmed
