"""The broken-link lists (proxies of Resource and Review, view permission only), and that
permission for Editors and Publishers, who fix the links."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PROXIES = ("brokenresourcelink", "brokenreviewlink")
GROUPS = ("Editor", "Publisher")


def grant_view_broken_links(apps, schema_editor):
    app_config = apps.get_app_config("backoffice")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="backoffice", codename__in=[f"view_{m}" for m in PROXIES]
    )
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke_view_broken_links(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="backoffice", codename__in=[f"view_{m}" for m in PROXIES]
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0001_roles"),
        ("practice_points", "0004_http_urls"),
        ("resources", "0003_http_urls"),
    ]

    operations = [
        migrations.CreateModel(
            name="BrokenResourceLink",
            fields=[],
            options={
                "verbose_name": "broken link: resource",
                "verbose_name_plural": "Broken links: resources",
                "ordering": ["title", "id"],
                "proxy": True,
                "default_permissions": ("view",),
                "indexes": [],
                "constraints": [],
            },
            bases=("resources.resource",),
        ),
        migrations.CreateModel(
            name="BrokenReviewLink",
            fields=[],
            options={
                "verbose_name": "broken link: review",
                "verbose_name_plural": "Broken links: reviews",
                "ordering": ["title", "id"],
                "proxy": True,
                "default_permissions": ("view",),
                "indexes": [],
                "constraints": [],
            },
            bases=("practice_points.review",),
        ),
        migrations.RunPython(grant_view_broken_links, revoke_view_broken_links),
    ]
