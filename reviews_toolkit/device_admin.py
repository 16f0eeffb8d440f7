"""The two-factor devices in the admin, for partnership admins: as with users
(backoffice.staff.admin), someone who is not a superuser never sees, adds or changes a
superuser's authenticator app or recovery codes, nor opens its QR code.

Separation of duties: a device added here is enrolled by someone else for its owner, so it
does not count until its owner signs in with it (``confirmed`` is False until then, and
nobody can tick it here: reviews_toolkit.admin_site confirms it at the owner's sign-in).
An authenticator app's secret key is made by the server, never typed in, so nobody picks
a key they already hold. A device cannot be moved to another person."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffDevicesOnly:
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user__is_superuser=False)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OwnerConfirmsDevice:
    """Added devices wait for their owner's sign-in; ``confirmed`` and the owner are
    read-only."""

    readonly_when_added = ("confirmed",)

    def get_readonly_fields(self, request, obj=None):
        readonly = (*super().get_readonly_fields(request, obj), *self.readonly_when_added)
        return (*readonly, "user") if obj is not None else readonly

    def save_model(self, request, obj, form, change):
        if not change:
            obj.confirmed = False
        super().save_model(request, obj, form, change)
        if not change:
            messages.info(
                request,
                f"{obj.name} for {obj.user.get_username()} counts once they sign in with it "
                "for the first time.",
            )


class StaffTOTPDeviceAdmin(StaffDevicesOnly, OwnerConfirmsDevice, TOTPDeviceAdmin):
    readonly_when_added = ("confirmed", "key")

    def _visible(self, request, pk):
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404("No such authenticator app device.")

    def config_view(self, request, pk):
        self._visible(request, pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        self._visible(request, pk)
        return super().qrcode_view(request, pk)


class StaffStaticDeviceAdmin(StaffDevicesOnly, OwnerConfirmsDevice, StaticDeviceAdmin):
    pass


def register_device_admins(model) -> None:
    """Replace django-otp's own admin for ``model`` (called from the apps' ``ready``,
    after the admin has loaded every app's admin module)."""
    model_admin = {TOTPDevice: StaffTOTPDeviceAdmin, StaticDevice: StaffStaticDeviceAdmin}[model]
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
