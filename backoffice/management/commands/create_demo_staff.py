import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from backoffice.staff.two_factor import terminal_qr, totp_device_replace


class Command(BaseCommand):
    help = (
        "Development only: create (or reset) a demo staff login with a new random password "
        "and a new authenticator app key, and print them. Refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a demo login: DEBUG is off (production). "
                "Create real staff accounts with 'manage.py createsuperuser'."
            )
        password = secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=options["username"], defaults={"email": "demo@example.org.uk"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        device = totp_device_replace(user)
        action = "Created" if created else "Reset"
        self.stdout.write(
            self.style.SUCCESS(
                f"{action} the demo staff login for http://127.0.0.1:8000/admin/ : "
                f"username {user.username}, password {password}"
            )
        )
        self.stdout.write(
            "The admin also asks for a code from an authenticator app (two-factor). Scan "
            "this QR code with one (e.g. Google Authenticator, Microsoft Authenticator, "
            "FreeOTP), or add this link to it:"
        )
        self.stdout.write(device.config_url)
        self.stdout.write(terminal_qr(device.config_url))
        self.stdout.write(
            "No app to hand? This prints the current code: DJANGO_DEBUG=true "
            ".venv/bin/python manage.py "
            f"demo_totp_code --username {user.username}"
        )
