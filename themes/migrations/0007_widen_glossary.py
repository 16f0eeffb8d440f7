"""More words the search treats as one: exploitation, county lines and cuckooing; DSL and
strategy discussion widened. Upserted on stable slugs (a second run changes nothing new)."""

from django.db import migrations
from django.utils import timezone

# (slug, term, expansion, definition, synonyms added)
TERMS = [
    (
        "exploitation",
        "Exploitation",
        "",
        "A person or group taking advantage of an imbalance of power to coerce, control, "
        "manipulate or deceive a child into criminal or sexual activity.",
        "child exploitation\ncriminal exploitation\nsexual exploitation\nCCE\nCSE\n"
        "county lines\ncuckooing\ngrooming",
    ),
    (
        "county-lines",
        "County lines",
        "",
        "Gangs and organised criminal networks moving illegal drugs into other areas, using "
        "dedicated phone lines and exploiting children and vulnerable adults to carry and "
        "sell the drugs.",
        "county line\ndrug running\ndrug line\nexploitation\ncuckooing",
    ),
    (
        "cuckooing",
        "Cuckooing",
        "",
        "Criminals taking over the home of a vulnerable person to use it for dealing drugs "
        "or other crime.",
        "cuckoo\nhome takeover\ncounty lines\nexploitation",
    ),
]

# Synonyms added to terms that exist (kept if staff removed the term).
WIDER = {
    "dsl": ["designated safeguarding leads", "school safeguarding lead", "DDSL"],
    "strategy-discussion": [
        "strategy",
        "strategy meetings",
        "strategy discussion meeting",
        "section 47 strategy discussion",
    ],
}


def widen(apps, schema_editor):
    GlossaryTerm = apps.get_model("themes", "GlossaryTerm")
    now = timezone.now()
    for slug, term, expansion, definition, synonyms in TERMS:
        GlossaryTerm.objects.get_or_create(
            slug=slug,
            defaults={
                "term": term,
                "expansion": expansion,
                "definition": definition,
                "synonyms": synonyms,
                "status": "published",
                "published_at": now,
            },
        )
    for slug, extra in WIDER.items():
        obj = GlossaryTerm.objects.filter(slug=slug).first()
        if obj is None:
            continue
        present = {line.strip().lower() for line in obj.synonyms.replace(",", "\n").splitlines()}
        added = [word for word in extra if word.lower() not in present]
        if added:
            obj.synonyms = "\n".join([obj.synonyms.strip(), *added]).strip()
            obj.save(update_fields=["synonyms", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0006_last_reviewed_optional"),
    ]

    operations = [
        migrations.RunPython(widen, migrations.RunPython.noop),
    ]
