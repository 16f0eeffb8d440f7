"""The staff roles as groups, with the permissions that match their work.

Editors add, change and view content (never publish, never delete). Publishers also hold
the publish_* permissions (publish, unpublish, archive) and may delete, which django-reversion
keeps recoverable. Partnership admins manage staff users and the roles they hold (the roles
themselves are fixed here), view content and read the admin log, as Publishers can.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Editor"
PUBLISHER = "Publisher"
PARTNERSHIP_ADMIN = "Partnership admin"

WORKFLOW_MODELS = (
    ("themes", "theme"),
    ("themes", "practiceweek"),
    ("themes", "glossaryterm"),
    ("practice_points", "review"),
    ("practice_points", "practicepoint"),
    ("resources", "resource"),
)
SUPPORTING_MODELS = (("themes", "agency"), ("themes", "practiceweekday"))


def _make_permissions(apps, labels):
    for label in labels:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    _make_permissions(apps, ["admin", "auth", "themes", "practice_points", "resources", "search"])
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app_label, model, actions):
        return [
            Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            for action in actions
        ]

    content = WORKFLOW_MODELS + SUPPORTING_MODELS
    editor_perms = [p for a, m in content for p in perms(a, m, ["add", "change", "view"])]
    editor_perms += perms("search", "zeroresultquery", ["view"])
    publisher_perms = editor_perms + [
        p for a, m in WORKFLOW_MODELS for p in perms(a, m, ["publish", "delete"])
    ]
    publisher_perms += [p for a, m in SUPPORTING_MODELS for p in perms(a, m, ["delete"])]
    # Users and which roles they hold; the roles themselves are defined here (view only).
    admin_perms = (
        perms("auth", "user", ["add", "change", "view", "delete"])
        + perms("auth", "group", ["view"])
        + [p for a, m in content for p in perms(a, m, ["view"])]
        + perms("admin", "logentry", ["view"])
    )
    # Publishers answer "who published this and when" from the admin's log too.
    publisher_perms += perms("admin", "logentry", ["view"])

    for name, permissions in (
        (EDITOR, editor_perms),
        (PUBLISHER, publisher_perms),
        (PARTNERSHIP_ADMIN, admin_perms),
    ):
        group, _ = Group.objects.update_or_create(name=name)
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("themes", "0004_freshness_locking_permissions"),
        ("practice_points", "0003_freshness_locking_links_permissions"),
        ("resources", "0002_freshness_locking_links_permissions"),
        ("search", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
