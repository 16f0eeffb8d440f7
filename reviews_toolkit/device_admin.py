"""The two-factor devices in the admin, for partnership admins: as with users
(backoffice.admin_staff), someone who is not a superuser never sees, adds or changes a
superuser's authenticator app or recovery codes, nor opens its QR code."""

from django.contrib import admin
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


class StaffTOTPDeviceAdmin(StaffDevicesOnly, TOTPDeviceAdmin):
    def _visible(self, request, pk):
        if not self.get_queryset(request).filter(pk=pk).exists():
            raise Http404("No such authenticator app device.")

    def config_view(self, request, pk):
        self._visible(request, pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        self._visible(request, pk)
        return super().qrcode_view(request, pk)


class StaffStaticDeviceAdmin(StaffDevicesOnly, StaticDeviceAdmin):
    pass


def register_device_admins(model) -> None:
    """Replace django-otp's own admin for ``model`` (called from the apps' ``ready``,
    after the admin has loaded every app's admin module)."""
    model_admin = {TOTPDevice: StaffTOTPDeviceAdmin, StaticDevice: StaffStaticDeviceAdmin}[model]
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
