"""The pages the load test asks for (shared by run.py, which fetches the popular ones once
before the warm run, and locustfile.py; no Locust import here).

- "cold": random filter combinations of the finder (words, themes, agencies, days, pages)
  and any of 500 points: nearly every request is one nobody asked for before, as intended
  for the page-cache-off run that measures the queries.
- "warm": what a Practice Week sends many people to at once, a bounded set: the finder
  unfiltered and by the most used single filters and a few theme + day pairs, 40 points,
  and (as in both mixes) the search words, every theme page and the API by theme. Every
  one of these is in the page cache before the warm run starts, so it measures the cache.
  The small form (CI, a few seconds) takes a few of each, to fetch them first quickly.
"""

import random

WORDS = [
    "neglect",
    "supervision",
    "fathers",
    "was not brought",
    "curiosity",
    "housing",
    "mental health",
    "exploitation",
    "bruising",
    "information sharing",
    "nelgect",
]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


def query(params: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={v.replace(' ', '+')}" for k, v in params)


def random_finder(data: dict, rng=random) -> str:
    """A random filter combination (cold)."""
    params = []
    if rng.random() < 0.5:
        params.append(("q", rng.choice(WORDS)))
    if rng.random() < 0.5:
        params.append(("theme", rng.choice(data["themes"])))
    if rng.random() < 0.3:
        params.append(("agency", rng.choice(data["agencies"])))
    if rng.random() < 0.3:
        params.append(("day", rng.choice(DAYS)))
    if rng.random() < 0.2:
        params.append(("page", str(rng.randint(2, 5))))
    return f"/practice-points/?{query(params)}"


def popular(data: dict, small: bool = False) -> dict[str, list[str]]:
    """The warm mix's bounded set of pages, the same every run (seeded)."""
    rng = random.Random(17)
    themes = data["themes"][: 2 if small else 10]
    days, words = (DAYS[:1], WORDS[:2]) if small else (DAYS, WORDS[:6])
    finder = [f"/practice-points/?{query([('theme', t)])}" for t in themes]
    finder += [f"/practice-points/?{query([('day', d)])}" for d in days]
    finder += [f"/practice-points/?{query([('q', w)])}" for w in words]
    finder += [
        f"/practice-points/?{query([('theme', rng.choice(themes)), ('day', rng.choice(days))])}"
        for _ in range(1 if small else 8)
    ]
    finder.append("/practice-points/?page=2")
    all_themes = data["themes"][:2] if small else data["themes"]
    return {
        "finder": ["/practice-points/"],
        "finder with filters": list(dict.fromkeys(finder)),
        "search": [f"/search/?{query([('q', w)])}" for w in (WORDS[:2] if small else WORDS)],
        "theme page": [f"/themes/{t}/" for t in all_themes],
        "point page": [f"/practice-points/{pk}/" for pk in data["points"][: 4 if small else 40]],
        "API": [f"/api/practice-points/?theme={t}" for t in all_themes],
    }
