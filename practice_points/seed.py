"""Load the bundled seed content (YAML files in ``settings.SEED_CONTENT_DIR``).

The files are the partnership's documents turned into data: agencies, themes, the
practice week, reviews, resources and practice points (one file per source). Every
record has a stable slug, so loading is idempotent: a second run creates nothing and
changes nothing. Existing records are left as staff edited them unless ``update`` is
asked for, when they are brought back in line with the files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction

from resources.models import Resource
from reviews_toolkit.content import Status
from themes.models import Agency, PracticeWeek, PracticeWeekDay, Theme

from .models import PracticePoint, Review


class SeedContentError(Exception):
    """The seed files are missing, malformed or refer to something that does not exist."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            for name in names
        ]

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise SeedContentError(f"Missing seed file: {path}") from exc
    except yaml.YAMLError as exc:
        raise SeedContentError(f"{path.name} is not valid YAML: {exc}") from exc


class _Loader:
    def __init__(self, directory: Path, update: bool):
        self.directory = directory
        self.update = update
        self.report = SeedReport()

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> tuple[Any, bool]:
        """Create the record, or (with ``update``) bring it in line with ``values``.
        Returns the record and whether its many-to-many fields should be written."""
        name = model._meta.verbose_name_plural
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            self.save(obj)
            self.report.created[name] += 1
            return obj, True
        if not self.update:
            self.report.unchanged[name] += 1
            return obj, False
        changed = [key for key, value in values.items() if getattr(obj, key) != value]
        if changed:
            for key in changed:
                setattr(obj, key, values[key])
            self.save(obj)
            self.report.updated[name] += 1
        else:
            self.report.unchanged[name] += 1
        return obj, True

    def save(self, obj: models.Model) -> None:
        try:
            obj.full_clean()
        except ValidationError as exc:
            raise SeedContentError(f"{obj._meta.verbose_name} {obj!r}: {exc.message_dict}") from exc
        obj.save()

    @staticmethod
    def set_m2m(obj: models.Model, name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, name)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)

    @staticmethod
    def resolve(model: type[models.Model], slugs: list[str] | None, where: str) -> list:
        slugs = list(slugs or [])
        found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise SeedContentError(
                f"{where} refers to unknown {model._meta.verbose_name} slug(s): {', '.join(missing)}"
            )
        return [found[slug] for slug in slugs]

    def load(self) -> SeedReport:
        self.load_agencies()
        self.load_themes()
        self.load_practice_week()
        self.load_reviews()
        self.load_resources()
        for path in sorted((self.directory / "practice_points").glob("*.yaml")):
            self.load_practice_points(path)
        self.check_provenance()
        return self.report

    def load_agencies(self) -> None:
        for row in _read(self.directory / "agencies.yaml"):
            self.upsert(
                Agency,
                {"slug": row["slug"]},
                {"name": row["name"], "description": row.get("description", "") or ""},
            )

    def load_themes(self) -> None:
        for position, row in enumerate(_read(self.directory / "themes.yaml")):
            self.upsert(
                Theme,
                {"slug": row["slug"]},
                {
                    "name": row["name"],
                    "kind": row["kind"],
                    "summary": row["summary"].strip(),
                    "body": (row.get("body") or "").strip(),
                    "key_messages": (row.get("key_messages") or "").strip(),
                    "position": position,
                    "status": Status.PUBLISHED,
                },
            )

    def load_practice_week(self) -> None:
        row = _read(self.directory / "practice_week.yaml")
        week, _ = self.upsert(
            PracticeWeek,
            {"slug": row["slug"]},
            {
                "title": row["title"],
                "partnership": row["partnership"],
                "start_date": row["start_date"],
                "introduction": (row.get("introduction") or "").strip(),
                "status": Status.PUBLISHED,
            },
        )
        for day in row["days"]:
            obj, write_m2m = self.upsert(
                PracticeWeekDay,
                {"week": week, "weekday": day["weekday"]},
                {"title": day["title"], "introduction": (day.get("introduction") or "").strip()},
            )
            if write_m2m:
                where = f"practice_week.yaml {day['weekday']}"
                self.set_m2m(obj, "themes", self.resolve(Theme, day.get("themes"), where))

    def load_reviews(self) -> None:
        """Reviews with their provenance. Nothing here sets "last reviewed": that is a
        person's act (backoffice.workflow), never the loader's."""
        rows = _read(self.directory / "reviews.yaml")
        written = {}
        for row in rows:
            obj, write_links = self.upsert(
                Review,
                {"slug": row["slug"]},
                {
                    "title": row["title"],
                    "review_type": row["review_type"],
                    "partnership": row.get("partnership") or "",
                    "area": row.get("area") or "",
                    "published_on": row.get("published_on"),
                    "published_label": row.get("published_label") or "",
                    "summary": (row.get("summary") or "").strip(),
                    "source_url": row.get("source_url") or "",
                    "reuse_note": row.get("reuse_note") or "",
                    "status": Status.PUBLISHED,
                },
            )
            written[row["slug"]] = (obj, write_links)
        for row in rows:  # what each one summarises, once every review exists
            obj, write_links = written[row["slug"]]
            target = None
            if row.get("summary_of"):
                where = f"reviews.yaml {row['slug']}"
                target = self.resolve(Review, [row["summary_of"]], where)[0]
            if write_links and obj.summary_of_id != (target.pk if target else None):
                obj.summary_of = target
                self.save(obj)

    def check_provenance(self) -> None:
        """Every source a theme or practice week paragraph names must exist."""
        from themes.provenance import source_keys

        texts = [(f"themes.yaml {theme.slug}", theme.body) for theme in Theme.objects.all()]
        for week in PracticeWeek.objects.all():
            texts.append((f"practice_week.yaml {week.slug}", week.introduction))
            for day in week.days.all():
                texts.append((f"practice_week.yaml {day.weekday}", day.introduction))
        known = set(Review.objects.values_list("slug", flat=True)) | set(
            Resource.objects.values_list("slug", flat=True)
        )
        for where, text in texts:
            missing = sorted(source_keys(text) - known)
            if missing:
                raise SeedContentError(
                    f"{where} names unknown source(s) (no review or resource with that "
                    f"slug): {', '.join(missing)}"
                )

    def load_resources(self) -> None:
        for row in _read(self.directory / "resources.yaml"):
            obj, write_m2m = self.upsert(
                Resource,
                {"slug": row["slug"]},
                {
                    "title": row["title"],
                    "url": row["url"],
                    "link_kind": row.get("link_kind") or "document",
                    "resource_type": row["resource_type"],
                    "area": row.get("area") or "",
                    "publisher": row.get("publisher") or "",
                    "published_on": row.get("published_on"),
                    "published_label": row.get("published_label") or "",
                    "summary": (row.get("summary") or "").strip(),
                    "status": Status.PUBLISHED,
                },
            )
            if write_m2m:
                where = f"resources.yaml {row['slug']}"
                self.set_m2m(obj, "themes", self.resolve(Theme, row.get("themes"), where))

    def load_practice_points(self, path: Path) -> None:
        data = _read(path)
        review = None
        if data.get("review"):
            review = self.resolve(Review, [data["review"]], path.name)[0]
        for position, row in enumerate(data["points"], start=1):
            where = f"{path.name} {row['slug']}"
            obj, write_m2m = self.upsert(
                PracticePoint,
                {"slug": row["slug"]},
                {
                    "headline": (row.get("headline") or "").strip(),
                    "text": row["text"].strip(),
                    "guidance": (row.get("guidance") or "").strip(),
                    "review": review,
                    "position": position,
                    "all_agencies": bool(row.get("all_agencies")),
                    "status": Status.PUBLISHED,
                },
            )
            if write_m2m:
                self.set_m2m(obj, "themes", self.resolve(Theme, row.get("themes"), where))
                self.set_m2m(obj, "agencies", self.resolve(Agency, row.get("agencies"), where))
                self.set_m2m(obj, "resources", self.resolve(Resource, row.get("resources"), where))


def seed_content_load(directory: Path, *, update: bool = False) -> SeedReport:
    """Load every seed file in one transaction: all of it, or nothing."""
    with transaction.atomic():
        return _Loader(Path(directory), update).load()
