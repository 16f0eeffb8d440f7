# A resource's link must be http(s): Django's URLValidator alone also allows ftp.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0002_freshness_locking_links_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="resource",
            name="url",
            field=models.URLField(
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(
                        message="Enter a web address starting with https:// or http://.",
                        schemes=["http", "https"],
                    )
                ],
                verbose_name="URL",
            ),
        ),
    ]
