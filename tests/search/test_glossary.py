"""The glossary: seeded reference data, its page, its admin, and search treating a term,
its expansion and its synonyms as the same words."""

import re

import pytest
from django.urls import reverse

from content.models import Status
from tests.factories import PracticePointFactory
from themes.models import GlossaryTerm

pytestmark = pytest.mark.django_db

SEEDED = [
    "cspr", "lscp", "scp", "dsl", "cse", "cce", "fii", "camhs", "lac", "cic", "cp", "cin",
    "eha", "mash", "marac", "dvds", "clares-law", "icon", "sudi", "aces", "ehe", "wnb",
    "smart", "cpoms", "nspcc", "gp", "hv", "ed", "a-and-e", "plo", "s47", "s17", "lado",
    "mace", "nrm", "father", "mother", "baby", "teenager", "domestic-abuse", "safer-sleep",
    "home-conditions",
]  # fmt: skip


def test_the_data_migration_seeds_the_practice_acronyms_and_synonyms():
    published = set(GlossaryTerm.objects.published().values_list("slug", flat=True))
    assert set(SEEDED) <= published
    wnb = GlossaryTerm.objects.get(slug="wnb")
    assert wnb.expansion == "Was Not Brought"
    assert "missed appointment" in wnb.synonym_list
    assert "did not attend" in wnb.synonym_list
    father = GlossaryTerm.objects.get(slug="father")
    assert {"dad", "male carer", "stepfather"} <= set(father.synonym_list)


def test_glossary_page_lists_published_terms_a_to_z(client):
    GlossaryTerm.objects.create(
        term="Zzdraftterm", slug="zzdraftterm", expansion="Never shown", status=Status.DRAFT
    )
    response = client.get("/glossary/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["nav_section"] == "glossary"
    assert "Was Not Brought" in html and 'id="wnb"' in html
    assert "Zzdraftterm" not in html
    letters = [group["letter"] for group in response.context["letters"]]
    assert letters == sorted(letters)
    assert html.index('id="letter-A"') < html.index('id="letter-W"')
    assert 'aria-current="page"' in html  # the Glossary item of the navigation


def test_an_acronym_finds_its_expansion_and_back(find):
    spelt_out = PracticePointFactory(text="The toddler Was Not Brought to clinic in Quillby.")
    acronym = PracticePointFactory(text="WNB recorded three times by the Quillby practice.")
    missed = PracticePointFactory(text="Missed appointments at Quillby went unremarked.")
    # (On PostgreSQL "did not attend" is read as 'attend', its english configuration
    # dropping "did" and "not": a point about attendance would match there.)
    unrelated = PracticePointFactory(text="Quillby school grades were good.")
    for q in ("WNB Quillby", "was not brought quillby", "missed appointment quillby"):
        found = find(q)
        assert {spelt_out.slug, acronym.slug, missed.slug} <= set(found), q
        assert unrelated.slug not in found, q


def test_dads_finds_fathers_and_male_carers(find):
    fathers = PracticePointFactory(text="Fathers in Brantwick were not invited.")
    carers = PracticePointFactory(text="Male carers in Brantwick were not assessed.")
    mothers = PracticePointFactory(text="Mothers in Brantwick were seen alone.")
    found = find("dads brantwick")
    assert fathers.slug in found and carers.slug in found
    assert mothers.slug not in found


def test_a_new_term_changes_search_at_once_and_a_draft_does_not(find):
    point = PracticePointFactory(text="The quokkaroo protocol was not followed.")
    assert find("wallabyite") == []
    GlossaryTerm.objects.create(
        term="Quokkaroo", slug="quokkaroo", synonyms="wallabyite", status=Status.DRAFT
    )
    assert find("wallabyite") == []
    GlossaryTerm.objects.filter(slug="quokkaroo").update(status=Status.PUBLISHED)
    assert find("wallabyite") == [point.slug]


def test_glossary_admin_lists_searches_and_publishes(staff_client):
    url = reverse("admin:themes_glossaryterm_changelist")
    response = staff_client.get(url, {"q": "brought"})
    assert response.status_code == 200
    assert "WNB" in response.content.decode()
    draft = GlossaryTerm.objects.create(term="XYZ", slug="xyz", expansion="Ex", status="draft")
    staff_client.post(url, {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    add = staff_client.get(reverse("admin:themes_glossaryterm_add"))
    assert add.status_code == 200
    assert re.search(r'name="synonyms"', add.content.decode())
