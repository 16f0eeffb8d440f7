"""The stored, weighted search vector of a practice point (PostgreSQL), its GIN index,
and the vectors of the points already there. On SQLite the column stays empty and the
index is a plain one (see content.indexes); the search keeps an FTS5 table instead."""

import django.contrib.postgres.search
from django.db import migrations

import content.indexes

# A point's words: text (A), guidance (B), the names of its themes and agencies and its
# review's title (C); a slash read as a space. search.backends.PostgresBackend writes
# the same from then on.
BACKFILL = """
UPDATE practice_points_practicepoint AS d SET search_vector =
  setweight(to_tsvector('english', translate(COALESCE(d.text, ''), '/', ' ')), 'A') ||
  setweight(to_tsvector('english', translate(COALESCE(d.guidance, ''), '/', ' ')), 'B') ||
  setweight(to_tsvector('english', translate(
    COALESCE((SELECT string_agg(t.name, ' ') FROM themes_theme t
              JOIN practice_points_practicepoint_themes x ON x.theme_id = t.id
              WHERE x.practicepoint_id = d.id AND t.status = 'published'), '') || ' ' ||
    COALESCE((SELECT string_agg(a.name, ' ') FROM themes_agency a
              JOIN practice_points_practicepoint_agencies y ON y.agency_id = a.id
              WHERE y.practicepoint_id = d.id), '') || ' ' ||
    COALESCE((SELECT r.title FROM practice_points_review r WHERE r.id = d.review_id), ''),
  '/', ' ')), 'C')
"""


def backfill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKFILL)


class Migration(migrations.Migration):
    dependencies = [
        ("practice_points", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="practicepoint",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.AddIndex(
            model_name="practicepoint",
            index=content.indexes.PortableGinIndex(
                fields=["search_vector"], name="practicepoint_search_gin"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
