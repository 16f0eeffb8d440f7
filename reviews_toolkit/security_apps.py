"""The security apps under names staff understand in the admin's index (their labels,
tables and migrations are unchanged), with the device admins of reviews_toolkit.device_admin."""

from axes.apps import AppConfig as AxesAppConfig
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig


class AuthenticatorAppsConfig(TOTPConfig):
    verbose_name = "Two-factor: authenticator apps"

    def ready(self):
        super().ready()
        from reviews_toolkit.device_admin import register_device_admins

        register_device_admins(self.get_model("TOTPDevice"))


class RecoveryCodesConfig(StaticConfig):
    verbose_name = "Two-factor: recovery codes"

    def ready(self):
        super().ready()
        from reviews_toolkit.device_admin import register_device_admins

        register_device_admins(self.get_model("StaticDevice"))


class SignInLockoutsConfig(AxesAppConfig):
    verbose_name = "Sign-in lockouts"
