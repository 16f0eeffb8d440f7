"""Partnership admins manage staff's second factors and sign-in lockouts.

They add, change, view and delete TOTP devices (the admin shows each device's QR code to
scan) and recovery codes (django-otp's static devices and tokens), and view and delete
django-axes' access attempts (deleting one lifts that lockout before its cool-off ends).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PARTNERSHIP_ADMIN = "Partnership admin"

PERMISSIONS = (
    ("otp_totp", "totpdevice", ("add", "change", "view", "delete")),
    ("otp_static", "staticdevice", ("add", "change", "view", "delete")),
    ("otp_static", "statictoken", ("add", "change", "view", "delete")),
    ("axes", "accessattempt", ("view", "delete")),
)


def grant(apps, schema_editor):
    for label in {app for app, _model, _actions in PERMISSIONS}:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PARTNERSHIP_ADMIN)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
            for app, model, actions in PERMISSIONS
            for action in actions
        ]
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=PARTNERSHIP_ADMIN).first()
    if group is None:
        return
    group.permissions.remove(
        *Permission.objects.filter(
            content_type__app_label__in=[app for app, _m, _a in PERMISSIONS],
            content_type__model__in=[model for _a, model, _x in PERMISSIONS],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_broken_links"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
