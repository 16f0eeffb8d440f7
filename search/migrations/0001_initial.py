"""The search app's tables: the vocabulary (with a trigram index on PostgreSQL, after
creating the pg_trgm extension there), the zero-result log, and on SQLite the FTS5
tables of the index, filled with what is already in the database."""

import re

import snowballstemmer
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import content.indexes

TOKENIZER = "porter unicode61 remove_diacritics 2"
FTS_TABLES = {
    # table: (source table, SQL of parts a, b, c over the row "d")
    "search_fts_practicepoint": (
        "practice_points_practicepoint",
        "COALESCE(d.text, '')",
        "COALESCE(d.guidance, '')",
        "COALESCE((SELECT group_concat(t.name, ' ') FROM themes_theme t"
        " JOIN practice_points_practicepoint_themes x ON x.theme_id = t.id"
        " WHERE x.practicepoint_id = d.id AND t.status = 'published'), '') || ' ' ||"
        " COALESCE((SELECT group_concat(a.name, ' ') FROM themes_agency a"
        " JOIN practice_points_practicepoint_agencies y ON y.agency_id = a.id"
        " WHERE y.practicepoint_id = d.id), '') || ' ' ||"
        " COALESCE((SELECT r.title FROM practice_points_review r WHERE r.id = d.review_id), '')",
    ),
    "search_fts_theme": (
        "themes_theme",
        "COALESCE(d.name, '')",
        "COALESCE(d.summary, '') || ' ' || COALESCE(d.key_messages, '')",
        "COALESCE(d.body, '')",
    ),
    "search_fts_review": (
        "practice_points_review",
        "COALESCE(d.title, '')",
        "COALESCE(d.summary, '')",
        "COALESCE(d.partnership, '')",
    ),
    "search_fts_resource": (
        "resources_resource",
        "COALESCE(d.title, '')",
        "COALESCE(d.summary, '')",
        "COALESCE(d.publisher, '')",
    ),
}


def create_fts_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, (source, a, b, c) in FTS_TABLES.items():
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(a, b, c, tokenize = '{TOKENIZER}')"
        )
        schema_editor.execute(
            f"INSERT INTO {table}(rowid, a, b, c) SELECT d.id, {a}, {b}, {c} FROM {source} d"
        )


def drop_fts_tables(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in FTS_TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


STOP = set(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what which "
    "who whom this that these those am is are was were be been being have has had having do "
    "does did doing a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in out on "
    "off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will "
    "just don should now".split()
)


def fill_vocabulary(apps, schema_editor):
    """The words of what is published already (later, the search app keeps it)."""
    word = re.compile(r"[^\W\d_]{3,40}")
    sources = [
        ("practice_points", "PracticePoint", ("text", "guidance")),
        ("themes", "Theme", ("name", "summary", "key_messages", "body")),
        ("practice_points", "Review", ("title", "summary")),
        ("resources", "Resource", ("title", "summary", "publisher")),
    ]
    counts = {}
    for app_label, model_name, fields in sources:
        model = apps.get_model(app_label, model_name)
        for row in model.objects.filter(status="published").values_list(*fields).iterator():
            words = {w.casefold() for w in word.findall(" ".join(v or "" for v in row))} - STOP
            for w in words:
                counts[w] = counts.get(w, 0) + 1
    if not counts:
        return
    stemmer = snowballstemmer.stemmer("english")
    VocabularyWord = apps.get_model("search", "VocabularyWord")
    VocabularyWord.objects.bulk_create(
        [VocabularyWord(word=w, stem=stemmer.stemWord(w)[:40], documents=n) for w, n in counts.items()],
        batch_size=2000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("practice_points", "0002_practicepoint_search_vector"),
        ("resources", "0001_initial"),
        ("themes", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="VocabularyWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
                ("stem", models.CharField(db_index=True, max_length=40)),
                (
                    "documents",
                    models.PositiveIntegerField(
                        default=1,
                        help_text="How many published items use the word (at the last rebuild).",
                    ),
                ),
            ],
            options={
                "ordering": ["word"],
                "indexes": [
                    content.indexes.PortableGinIndex(
                        fields=["word"], name="search_vocab_word_trgm", opclasses=["gin_trgm_ops"]
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ZeroResultQuery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("query", models.CharField(max_length=200)),
                ("date", models.DateField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "content gap (search with no results)",
                "verbose_name_plural": "content gaps (searches with no results)",
                "ordering": ["-count", "-date", "query"],
                "constraints": [
                    models.UniqueConstraint(fields=("query", "date"), name="zeroresultquery_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("query", ""), _negated=True),
                        name="zeroresultquery_not_empty",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_fts_tables, drop_fts_tables),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
