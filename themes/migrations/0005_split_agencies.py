"""Reference data: agencies a practitioner looks for by their own name.

"Midwifery and health visiting" becomes "Midwifery" and "Health visiting" (a midwife and a
health visitor file learning under different services), and "Mental health services"
becomes "Adult mental health services" and "Children's mental health services (CAMHS)"
(a parent's mental health and a child's are different services).

On an install that already has the old agency, every practice point and session pack
tagged with it is tagged with both new agencies (nothing loses a tag it had), the old
agency is removed, and the search index entries of the re-tagged points are rewritten
(they carry their agencies' names). `load_seed_content --update` then narrows the seed
points to the agency each one is meant for. Agencies are matched on their stable slugs;
a new agency that staff already created under the same slug (or name) is reused as it is.
Reversing merges the two back into the old agency.
"""

from django.db import migrations

SPLITS = {
    "midwifery-and-health-visiting": (
        "Midwifery and health visiting",
        "Midwives and health visitors who support women through pregnancy, birth and the "
        "early years of a baby's life.",
        [
            (
                "midwifery",
                "Midwifery",
                "Midwives and maternity services who care for women and babies in pregnancy, "
                "at birth and in the first days after birth, including pre-birth assessment "
                "of an unborn baby's needs.",
            ),
            (
                "health-visiting",
                "Health visiting",
                "Health visitors who visit families with babies and children under five, "
                "including advice on safe sleep, infant feeding and development.",
            ),
        ],
    ),
    "mental-health-services": (
        "Mental health services",
        "Children and young people's mental health services (including CAMHS) and adult "
        "mental health services supporting parents and carers.",
        [
            (
                "adult-mental-health-services",
                "Adult mental health services",
                "Adult mental health services, including those supporting parents and carers "
                "whose mental health affects the care of their children.",
            ),
            (
                "childrens-mental-health-services",
                "Children's mental health services (CAMHS)",
                "Child and adolescent mental health services (CAMHS) and other mental health "
                "support for children and young people.",
            ),
        ],
    ),
}


def _agency(Agency, slug, name, description):
    """The agency with this slug; else one staff already created under this name (names
    are unique); else a new one."""
    return (
        Agency.objects.filter(slug=slug).first()
        or Agency.objects.filter(name=name).first()
        or Agency.objects.create(slug=slug, name=name, description=description)
    )


def _tagged(apps, agency):
    PracticePoint = apps.get_model("practice_points", "PracticePoint")
    SessionPack = apps.get_model("session_packs", "SessionPack")
    return (
        list(PracticePoint.objects.filter(agencies=agency)),
        list(SessionPack.objects.filter(audience_agencies=agency)),
    )


def _reindex(point_ids):
    if point_ids:
        from search.indexing import search_index_update

        search_index_update("practice_points", sorted(point_ids), vocabulary=False)


def split(apps, schema_editor):
    Agency = apps.get_model("themes", "Agency")
    retagged = set()
    for old_slug, (_name, _description, parts) in SPLITS.items():
        old = Agency.objects.filter(slug=old_slug).first()
        if old is None:
            continue
        new = [_agency(Agency, slug, name, text) for slug, name, text in parts]
        points, packs = _tagged(apps, old)
        for point in points:
            point.agencies.add(*new)
            retagged.add(point.pk)
        for pack in packs:
            pack.audience_agencies.add(*new)
        old.delete()
    _reindex(retagged)


def merge(apps, schema_editor):
    Agency = apps.get_model("themes", "Agency")
    retagged = set()
    for old_slug, (name, description, parts) in SPLITS.items():
        new = list(Agency.objects.filter(slug__in=[slug for slug, _n, _t in parts]))
        if not new:
            continue
        old = _agency(Agency, old_slug, name, description)
        for agency in new:
            points, packs = _tagged(apps, agency)
            for point in points:
                point.agencies.add(old)
                retagged.add(point.pk)
            for pack in packs:
                pack.audience_agencies.add(old)
            agency.delete()
    _reindex(retagged)


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0004_freshness_locking_permissions"),
        ("practice_points", "0005_practicepoint_headline"),
        ("session_packs", "0002_trainer_group"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(split, merge),
    ]
