"""The security apps under names staff understand in the admin's index (their labels,
tables and migrations are unchanged)."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AuthenticatorAppsConfig(TOTPConfig):
    verbose_name = "Two-factor: authenticator apps"


class RecoveryCodesConfig(StaticConfig):
    verbose_name = "Two-factor: recovery codes"


class SignInLockoutsConfig(AxesAppConfig):
    verbose_name = "Sign-in lockouts"
