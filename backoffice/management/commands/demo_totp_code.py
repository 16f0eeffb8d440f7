from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Development only: print the current authenticator app code of a demo staff login "
        "(for trying the admin without a phone). Refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to print a sign-in code: DEBUG is off (production).")
        User = get_user_model()
        device = TOTPDevice.objects.filter(
            user__in=User.objects.filter(**{User.USERNAME_FIELD: options["username"]}),
            confirmed=True,
        ).first()
        if device is None:
            raise CommandError(
                f"{options['username']!r} has no authenticator app: run create_demo_staff."
            )
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        self.stdout.write(f"{code:0{device.digits}d} (changes every {device.step} seconds)")
