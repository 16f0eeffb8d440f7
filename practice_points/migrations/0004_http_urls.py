# A review's link to the full report must be http(s): Django's URLValidator alone also
# allows ftp.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("practice_points", "0003_freshness_locking_links_permissions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="source_url",
            field=models.URLField(
                blank=True,
                max_length=500,
                validators=[
                    django.core.validators.URLValidator(
                        message="Enter a web address starting with https:// or http://.",
                        schemes=["http", "https"],
                    )
                ],
                verbose_name="link to the full report",
            ),
        ),
    ]
