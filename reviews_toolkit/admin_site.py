"""The staff admin requires two factors: the password and a code from an authenticator
app (TOTP), or one of the user's recovery codes (django-otp; docs/security.md).

``reviews_toolkit.urls`` turns Django's default ``admin.site`` into a ``StaffAdminSite``,
so every app's ``admin.register`` keeps working. A staff user signed in without a verified
device (e.g. through the trainers' sign-in page) is treated as not staff by the admin.
"""

import re
from urllib.parse import unquote, urlsplit

from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

NO_DEVICE_MESSAGE = (
    "Your account does not have two-factor authentication set up yet, so it cannot "
    "sign in to the staff area. Ask the partnership admin to set up an authenticator "
    "app for you."
)


class StaffAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """Username, password and one code. The device is chosen from the code: six digits
    are the authenticator app's, anything else a recovery code. Nothing about the second
    factor is said until the password is right."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": "Enter the 6-digit code from your authenticator app.",
        "invalid_token": "The code is not right. Enter the current code from your "
        "authenticator app, or one of your recovery codes.",
        "device_required": NO_DEVICE_MESSAGE,
    }

    otp_token = forms.CharField(
        required=False,
        label="Code from your authenticator app",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_otp(self, user):
        # Devices a partnership admin added wait for this sign-in (confirmed=False).
        if user is not None and not any(devices_for_user(user, confirmed=None)):
            raise forms.ValidationError(NO_DEVICE_MESSAGE, code="no_device")
        super().clean_otp(user)
        device = getattr(user, "otp_device", None)
        if device is not None and not device.confirmed:
            device_confirm_by_owner(device)

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is not None:
            return device
        token = re.sub(r"\s", "", self.cleaned_data.get("otp_token") or "")
        self.cleaned_data["otp_token"] = token
        model = TOTPDevice if token.isdigit() else StaticDevice
        # A confirmed device first; else one added for this person, waiting for them.
        device = model.objects.filter(user=user).order_by("-confirmed", "pk").first()
        # No device of that kind: verify against another, so the answer is "not right".
        return device or next(devices_for_user(user, confirmed=None), None)


def device_confirm_by_owner(device) -> None:
    """The owner signed in with a device someone else enrolled for them: from now on it
    counts (django-otp lets only confirmed devices keep a session verified). Logged on
    the owner's account."""
    type(device).objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    LogEntry.objects.log_actions(
        user_id=device.user_id,
        queryset=[device],
        action_flag=CHANGE,
        change_message=f"Confirmed by its owner signing in with it: {device.name}.",
        single_object=True,
    )


def _staff_areas(index: str) -> tuple[str, ...]:
    """Where staff may be sent back to after signing in: the admin (evidence of use's
    staff pages live under it), the assurance pages and the staff preview. All of them
    refuse anyone but signed-in staff, so none is a public page."""
    preview = reverse("preview:detail", kwargs={"kind": "kind", "pk": 1})
    return (index, reverse("assurance:dashboard"), preview.removesuffix("kind/1/"))


def _admin_next(request, target: str, index: str) -> bool:
    """Whether ``target`` is a staff page on this site (the admin, assurance, the
    preview): not another host, not the public site or trainers' pages."""
    return (
        url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and (path := urlsplit(target).path).startswith(_staff_areas(index))
        and ".." not in unquote(path).split("/")
    )


class StaffAdminSite(OTPAdminSite):
    login_form = StaffAdminAuthenticationForm
    login_template = "admin/otp_login.html"

    def __init__(self, name="admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        """After signing in, staff go to ``next`` only when it is a staff page (the
        admin, assurance, the preview); otherwise (another site, the public site,
        /packs/) to the admin home."""
        index = reverse("admin:index", current_app=self.name)
        for attribute in ("GET", "POST"):
            data = getattr(request, attribute)
            target = data.get(REDIRECT_FIELD_NAME)
            if target is not None and not _admin_next(request, target, index):
                data = data.copy()
                data[REDIRECT_FIELD_NAME] = index
                setattr(request, attribute, data)
        return super().login(request, extra_context)
