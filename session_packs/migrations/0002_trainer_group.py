"""The Trainer group: its members build session packs. Staff add trainers to it in the
admin; there is no self-registration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINER_GROUP = "Trainer"


def create_trainer_group(apps, schema_editor):
    # Permissions are normally made after migrate; make this app's now to attach them.
    app_config = apps.get_app_config("session_packs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=TRAINER_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="session_packs")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("session_packs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_trainer_group, migrations.RunPython.noop),
    ]
