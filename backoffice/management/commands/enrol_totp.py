"""Give a staff user an authenticator app (TOTP) device, replacing any they had, and print
the otpauth:// link and a QR code to scan. For the first partnership admin, who has no
one to set it up for them in the admin (docs/security.md, "Two-factor enrolment")."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backoffice.staff.two_factor import terminal_qr, totp_device_replace


class Command(BaseCommand):
    help = (
        "Create (or replace) the authenticator app device of a staff user and print the "
        "otpauth:// link and a QR code to scan with the app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--no-qr", action="store_true", help="print the otpauth:// link only")

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist:
            raise CommandError(f"No user called {options['username']!r}.") from None
        if not user.is_staff:
            raise CommandError(
                f"{user.get_username()} is not staff: only staff sign in to the admin."
            )
        device = totp_device_replace(user)
        self.stdout.write(
            f"Authenticator app for {user.get_username()} set up (any earlier one no longer "
            "works). Scan the QR code with the authenticator app, or add this link to it:"
        )
        self.stdout.write(device.config_url)
        if not options["no_qr"]:
            self.stdout.write(terminal_qr(device.config_url))
        self.stdout.write(
            "Then sign in at /admin/ with the username, password and the app's 6-digit code."
        )
