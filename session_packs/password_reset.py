"""Password reset emails, limited per address and per client (issue 15): Django's form
with the limits of ``content.ratelimit``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm

from content.clients import client_ip
from content.ratelimit import RateLimit

logger = logging.getLogger(__name__)


def password_reset_limits() -> tuple[RateLimit, RateLimit]:
    """Per address (``PASSWORD_RESET_LIMIT_PER_ADDRESS``) and per client
    (``PASSWORD_RESET_LIMIT_PER_CLIENT``), each per ``PASSWORD_RESET_LIMIT_PERIOD``."""
    period = settings.PASSWORD_RESET_LIMIT_PERIOD
    return (
        RateLimit("password-reset-address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, period),
        RateLimit("password-reset-client", settings.PASSWORD_RESET_LIMIT_PER_CLIENT, period),
    )


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Django's password reset form, sending the email only within the limits. The person
    is told the same thing either way ("If that address belongs to a trainer account, we
    have sent it a link"), and an address without an account uses up its allowance like
    one with, so neither the answer nor the limit says whether an account exists."""

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"]
        by_address, by_client = password_reset_limits()
        client = client_ip(request) if request is not None else None
        within_address = by_address.hit(email)
        within_client = by_client.hit(client or "unknown")
        if not (within_address and within_client):
            logger.warning(
                "Password reset email not sent: the limit per %s was reached",
                "address" if not within_address else "client",
            )
            return
        super().save(*args, request=request, **kwargs)
