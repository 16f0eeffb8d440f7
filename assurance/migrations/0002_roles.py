"""The assurance roles as groups (stable names: assurance.roles). Their rights are checked
by the assurance pages themselves (assurance.access), not by model permissions."""

from django.db import migrations

ROLES = ("Action owner", "Assurance lead", "Independent scrutineer")


def add_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add_roles, remove_roles)]
