"""Every item counts towards the session's time: items saved without minutes get the
usual time for their kind (models.DEFAULT_MINUTES, as it stood when this was written)."""

from django.db import migrations

DEFAULT_MINUTES = {
    "practice_point": 5,
    "resource": 2,
    "theme_overview": 5,
    "review_summary": 5,
    "facilitator_note": 2,
    "reflective_question": 5,
    "timed_activity": 10,
}


def fill_minutes(apps, schema_editor):
    PackItem = apps.get_model("session_packs", "PackItem")
    for kind, minutes in DEFAULT_MINUTES.items():
        PackItem.objects.filter(kind=kind, minutes__isnull=True).update(minutes=minutes)


class Migration(migrations.Migration):
    dependencies = [("session_packs", "0002_trainer_group")]

    operations = [migrations.RunPython(fill_minutes, migrations.RunPython.noop)]
