"""Synthetic but realistic content in volume, to try the search (and the site) at scale.

Points are sentences recombined from safeguarding practice vocabulary and from the
sentences of the published points already there (the seed), tagged with themes and
agencies, grouped under demo reviews; about one in ten is a draft. Everything is written
with ``bulk_create`` and then indexed in bulk (``search_index_update`` for all the new
ids, then the vocabulary recounted), not point by point. Demo records have slugs
starting ``demo-``, so they can be told apart and removed.
"""

from __future__ import annotations

import datetime
import random
import re
import secrets
from dataclasses import dataclass

from django.db import transaction

from content.models import Status
from practice_points.models import PracticePoint, Review, ReviewType
from themes.models import Agency, Theme

from .indexing import search_index_remove, search_index_update, vocabulary_rebuild

DEMO_PREFIX = "demo-"
BATCH = 2000
DRAFT_SHARE = 0.1

OPENERS = [
    "Remember that",
    "Be aware that",
    "Consider whether",
    "Ensure that",
    "Practitioners should recognise that",
    "Do not assume that",
    "Record how",
    "Explore how",
    "Think about whether",
    "Reviews found that",
    "Professional curiosity means checking whether",
    "Managers should ask whether",
]
SUBJECTS = [
    "fathers and male carers",
    "the mother's new partner",
    "babies under one",
    "new-born and premature babies",
    "teenagers",
    "adolescents at risk of exploitation",
    "children in care",
    "looked after children",
    "young carers",
    "disabled children",
    "children with complex health needs",
    "older siblings",
    "children who are electively home educated",
    "children missing education",
    "children living with domestic abuse",
    "parents with poor mental health",
    "parents who misuse drugs or alcohol",
    "families who move between areas",
    "children from minoritised communities",
    "unborn babies",
    "toddlers with delayed speech",
    "children with an education, health and care plan",
    "pupils with poor attendance",
    "children placed out of area",
    "care leavers",
    "children privately fostered",
    "refugee and asylum-seeking children",
    "children of prisoners",
    "children living in temporary accommodation",
    "young people who go missing",
    "children with autism",
    "grandparents acting as kinship carers",
    "step-parents",
    "children who are bullied online",
    "young people in custody",
    "children with eating disorders",
    "children who self-harm",
    "families with no recourse to public funds",
    "parents with a learning disability",
]
PREDICATES = [
    "may be at risk of neglect",
    "can be missed when appointments are not attended",
    "need to be seen and spoken to alone",
    "are victims of domestic abuse in their own right",
    "may be exploited by adults outside the family",
    "need safer sleep advice at every contact",
    "are not always visible in records",
    "may show cumulative harm over time",
    "can be harmed by disguised compliance",
    "need a multi-agency plan with clear roles",
    "are affected by parental conflict and coercive control",
    "may present with unexplained bruising or injuries",
    "need their lived experience recorded in their own words",
    "may be hidden behind a clean and tidy home",
    "depend on timely information sharing between agencies",
    "may disclose abuse indirectly, through behaviour",
    "can experience racism and adultification",
    "need an interpreter who is not a family member",
    "may be groomed through social media and gaming",
    "may have untreated dental decay or head lice",
    "may be hungry, tired or inappropriately dressed",
    "need a paediatric assessment for any unexplained mark",
    "can be invisible to universal services",
    "may be left with unsuitable babysitters",
    "need continuity of worker and a trusted adult",
    "may face barriers to accessing housing and benefits",
    "should be considered for a return home interview",
    "can be harmed by overcrowding and damp housing",
    "may be carrying weapons or drugs for others",
]
CONTEXTS = [
    "when home conditions deteriorate",
    "after a referral to children's social care",
    "during a strategy discussion",
    "when parents do not engage with services",
    "when there is parental substance misuse",
    "at the initial child protection conference",
    "when a case is stepped down to early help",
    "during the antenatal period",
    "when health appointments are missed",
    "when the child is absent from school",
    "when a family moves to another local authority",
    "at every home visit",
    "when a new partner joins the household",
    "after a police call-out to the address",
    "when a child is excluded from school",
    "during the transition to secondary school",
    "when a GP appointment is cancelled twice",
    "on discharge from the emergency department",
    "before a case is closed",
    "when the health visitor cannot gain access",
    "during the school holidays",
    "when a baby is born prematurely",
    "at the core group meeting",
    "after an incident at the nursery",
]
GUIDANCE = [
    "Use the neglect toolkit to build a picture over time.",
    "Discuss the case in reflective supervision and record the decision.",
    "Share information with the GP, the health visitor and the school nurse.",
    "Check the child's centile chart and ask for the child to be weighed.",
    "Follow the escalation policy if you disagree with a decision.",
    "Ask about sleeping arrangements and view where the baby sleeps.",
    "Invite the father to appointments and record his views.",
    "Seek the voice of the child: what would a day in their life look like?",
    "Consider a referral to MARAC and the Domestic Violence Disclosure Scheme.",
    "Make sure the strategy discussion includes the police and health.",
    "Follow up every missed appointment: the child was not brought.",
    "Read the 7-minute briefing and talk it through as a team.",
    "Complete an early help assessment with the family's agreement.",
    "Contact the LADO if the concern is about someone who works with children.",
    "Use the ICON messages with every new parent.",
    "Arrange a joint home visit with the school nurse.",
    "Check the police national database and record what you find.",
    "Ask the young person who they trust and who they see after school.",
    "Make a referral to the youth justice service if there is criminal exploitation.",
    "Book a professional interpreter and record the language used.",
    "Look at the chronology with your manager before closing the case.",
    "Talk to the dentist and the optician as well as the GP.",
    "Write a SMART plan with clear actions, owners and dates.",
    "Invite the housing officer to the core group.",
    "Attend the child protection conference and bring a written report.",
    "Use the graded care profile to assess the quality of care.",
    "Record the child's own words, not a summary.",
    "Consider an NRM referral where trafficking is suspected.",
    "Offer a carer's assessment to young carers.",
]
PLACES = [
    "Northbridge",
    "Eastfield",
    "Westhaven",
    "Southmoor",
    "Kingsford",
    "Ashby Vale",
    "Millbrook",
    "Oakhampton",
]

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class DemoReport:
    reviews: int
    points: int
    drafts: int
    vocabulary_words: int


def _seed_sentences() -> list[str]:
    """Sentences of the points already published, to recombine."""
    sentences = []
    for text, guidance in PracticePoint.objects.published().values_list("text", "guidance"):
        for part in _SENTENCE.split(f"{text} {guidance}"):
            part = " ".join(part.split())
            if 30 <= len(part) <= 300:
                sentences.append(part)
    return sentences


def _point_text(rng: random.Random, seed_sentences: list[str]) -> tuple[str, str]:
    sentence = (
        f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} "
        f"{rng.choice(CONTEXTS)}."
    )
    text = sentence[0].upper() + sentence[1:]
    if seed_sentences and rng.random() < 0.3:
        text = f"{text} {rng.choice(seed_sentences)}"
    guidance_parts = rng.sample(GUIDANCE, k=rng.randint(1, 2))
    if seed_sentences and rng.random() < 0.3:
        guidance_parts.append(rng.choice(seed_sentences))
    if rng.random() < 0.1:
        return text, ""
    return text, " ".join(guidance_parts)


def _tags(rng: random.Random) -> tuple[list[Theme], list[Agency]]:
    themes = list(Theme.objects.all())
    agencies = list(Agency.objects.all())
    if not themes:
        themes = [
            Theme.objects.create(
                name=name,
                slug=f"{DEMO_PREFIX}{name.lower().replace(' ', '-')}",
                summary=f"Demo theme: {name}.",
                status=Status.PUBLISHED,
            )
            for name in ("Neglect", "Domestic abuse", "Working with babies", "Exploitation")
        ]
    if not agencies:
        agencies = [
            Agency.objects.create(name=name, slug=f"{DEMO_PREFIX}{name.lower()}")
            for name in ("Health", "Police", "Education", "Social care")
        ]
    return themes, agencies


def demo_data_generate(points: int, *, seed: int | None = None, stdout=None) -> DemoReport:
    """Create ``points`` demo practice points (and their reviews), indexed for search."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not security
    run = secrets.token_hex(3) if seed is None else f"s{seed}"
    seed_sentences = _seed_sentences()
    themes, agencies = _tags(rng)

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    with transaction.atomic():
        review_count = max(1, points // 40)
        reviews = Review.objects.bulk_create(
            [
                Review(
                    title=f"Demo review: Child {chr(65 + i % 26)}{i} ({rng.choice(PLACES)})",
                    slug=f"{DEMO_PREFIX}{run}-review-{i}",
                    review_type=rng.choice(ReviewType.values),
                    partnership=f"{rng.choice(PLACES)} Safeguarding Children Partnership",
                    published_on=datetime.date(2019, 1, 1)
                    + datetime.timedelta(days=rng.randint(0, 2000)),
                    summary="Synthetic review made by generate_demo_data.",
                    status=Status.DRAFT if rng.random() < 0.05 else Status.PUBLISHED,
                )
                for i in range(review_count)
            ],
            batch_size=BATCH,
        )
        say(f"{len(reviews)} demo reviews")
        drafts = 0
        created: list[PracticePoint] = []
        for start in range(0, points, BATCH):
            batch = []
            for i in range(start, min(points, start + BATCH)):
                text, guidance = _point_text(rng, seed_sentences)
                draft = rng.random() < DRAFT_SHARE
                drafts += draft
                batch.append(
                    PracticePoint(
                        slug=f"{DEMO_PREFIX}{run}-{i}",
                        text=text,
                        guidance=guidance,
                        review=rng.choice(reviews) if rng.random() < 0.95 else None,
                        position=i,
                        all_agencies=rng.random() < 0.2,
                        status=Status.DRAFT if draft else Status.PUBLISHED,
                    )
                )
            created.extend(PracticePoint.objects.bulk_create(batch, batch_size=BATCH))
            say(f"{len(created)} demo practice points")
        ThemeLink = PracticePoint.themes.through
        AgencyLink = PracticePoint.agencies.through
        theme_links, agency_links = [], []
        for point in created:
            for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 3))):
                theme_links.append(ThemeLink(practicepoint_id=point.pk, theme_id=theme.pk))
            if not point.all_agencies:
                for agency in rng.sample(agencies, k=min(len(agencies), rng.randint(0, 3))):
                    agency_links.append(AgencyLink(practicepoint_id=point.pk, agency_id=agency.pk))
        ThemeLink.objects.bulk_create(theme_links, batch_size=BATCH * 5)
        AgencyLink.objects.bulk_create(agency_links, batch_size=BATCH * 5)
        say(f"{len(theme_links)} theme tags, {len(agency_links)} agency tags")

        search_index_update("reviews", [review.pk for review in reviews], vocabulary=False)
        search_index_update("practice_points", [point.pk for point in created], vocabulary=False)
        words = vocabulary_rebuild()
        say(f"search index written; {words} vocabulary words")
    return DemoReport(
        reviews=len(reviews), points=len(created), drafts=drafts, vocabulary_words=words
    )


def demo_data_remove() -> int:
    """Remove every demo point and review (slugs starting ``demo-``)."""
    with transaction.atomic():
        ids = list(
            PracticePoint.objects.filter(slug__startswith=DEMO_PREFIX).values_list("pk", flat=True)
        )
        search_index_remove("practice_points", ids)
        PracticePoint.objects.filter(pk__in=ids).delete()
        reviews = Review.objects.filter(slug__startswith=DEMO_PREFIX)
        search_index_remove("reviews", list(reviews.values_list("pk", flat=True)))
        reviews.delete()
        vocabulary_rebuild()
    return len(ids)
