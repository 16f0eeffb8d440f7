"""Staff's second factor: an authenticator app (TOTP) device per staff user (django-otp).

Used by ``manage.py enrol_totp`` and the development ``create_demo_staff``; partnership
admins otherwise manage devices in the admin (docs/security.md, "Two-factor enrolment").
"""

import io

import qrcode
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def totp_device_replace(user, name: str = DEVICE_NAME) -> TOTPDevice:
    """Delete the user's TOTP devices and make a new confirmed one with a fresh key."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice(user=user, name=name, confirmed=True)
        device.full_clean()
        device.save()
    return device


def terminal_qr(text: str) -> str:
    """``text`` as a QR code drawn with block characters."""
    qr = qrcode.QRCode(border=2)
    qr.add_data(text)
    out = io.StringIO()
    qr.print_ascii(out=out, invert=True)
    return out.getvalue()
