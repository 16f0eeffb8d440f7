"""Writing records to the database (the transfer engine's third step): all or nothing,
each row validated with ``full_clean()``, every status change checked against the
workflow's transition table (``backoffice.workflow.transition_check``), the one write
path of the admin import, ``import_content`` and ``load_seed_content``."""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable
from typing import Any

import reversion
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backoffice.workflow import (
    PUBLISHER_ONLY_TO_EDIT,
    transition_check,
    user_can_edit,
    user_can_publish,
)
from content.models import Status
from practice_points.models import Review
from resources.models import Resource
from themes.models import Agency, PracticeWeek, PracticeWeekDay, Theme

from .schema import (
    _KIND_OF,
    DAY,
    KINDS,
    POINT,
    REVIEW,
    WEEK,
    ImportResult,
    Kind,
    ParsedImport,
    Record,
)

logger = logging.getLogger(__name__)

# -- Writing ---------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _choice(model_field, value: str) -> str:
    lowered = value.strip().lower()
    for choice_value, choice_label in model_field.choices:
        if lowered in (str(choice_value).lower(), str(choice_label).lower()):
            return choice_value
    allowed = ", ".join(str(choice_value) for choice_value, _ in model_field.choices)
    raise ValidationError(f"Unknown {model_field.verbose_name} '{value}': use one of {allowed}.")


def _clean_value(kind: Kind, name: str, value: Any) -> Any:
    model_field = kind.model._meta.get_field(name)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(f"{model_field.verbose_name}: holds a NUL character.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            message = f"{model_field.verbose_name}: holds invalid characters."
            raise ValidationError(message) from exc
    if model_field.choices and value not in (None, ""):
        return _choice(model_field, str(value))
    if isinstance(model_field, models.DateTimeField):
        if value in (None, ""):
            return None
        moment = parse_datetime(str(value)) if isinstance(value, str) else value
        if not isinstance(moment, datetime.datetime):
            raise ValidationError(f"{model_field.verbose_name}: '{value}' is not a date and time.")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if isinstance(model_field, (models.DateField, models.IntegerField)):
        if value in (None, ""):
            if model_field.null:
                return None
            raise ValidationError(f"{model_field.verbose_name}: a value is required.")
        try:
            return model_field.to_python(value)
        except ValidationError as exc:
            raise ValidationError(f"{model_field.verbose_name}: {' '.join(exc.messages)}") from exc
    if value is None:
        return None if model_field.null else ""
    return value


def _field_label(model, name: str) -> str:
    if name == "__all__":
        return ""
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        label = name
    return label[:1].upper() + label[1:] + ": "


class _RowFailed(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(errors)
        self.errors = errors


def _tag_label(obj) -> str:
    return str(getattr(obj, "name", None) or getattr(obj, "title", None) or obj)


ProgressCallback = Callable[[int, int], None]
PROGRESS_EVERY = 25  # rows between progress reports


class _Importer:
    """Checks and writes one record at a time, finding every problem a row has.

    The workflow's rules (``backoffice.workflow``) decide what the user may change,
    exactly as in the admin: content in a status only a Publisher handles (published,
    archived) is changed only by a Publisher (``user_can_edit``); a status change is
    made only if the transition table allows it to the user (``transition_check``,
    refused with the admin's words); a practice week's days are changed only by
    someone who may change the week (the admin edits them inline, on the week's form)."""

    def __init__(
        self,
        parsed: ParsedImport,
        user,
        progress: ProgressCallback | None = None,
        keep_existing: bool = False,
    ):
        self.parsed = parsed
        self.user = user
        self.progress = progress
        self.keep_existing = keep_existing
        self.failed: dict[str, set[str]] = {kind.key: set() for kind in (*KINDS, DAY)}
        self.matched: dict[tuple, models.Model] = {}  # (model, slug or name) -> found

    def can(self, action: str, model) -> bool:
        if self.user is None:
            return True
        meta = model._meta
        return self.user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")

    def may_edit(self, obj) -> bool:
        return self.user is None or user_can_edit(self.user, obj)

    def refusal(self, obj, old: str, new: str) -> str | None:
        """Why the transition table refuses this move to the user (None: allowed)."""
        return transition_check(self.user, obj, old, new, trusted=self.user is None)

    def run(self) -> None:
        total = len(self.parsed.records)
        for index, record in enumerate(self.parsed.records, start=1):
            self.one(record)
            if self.progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
                self.progress(index, total)
        for record in self.parsed.records:
            if record.links and record.pk is not None and not record.errors and not record.kept:
                self.link(record)

    def link(self, record: Record) -> None:
        """Set a record's links to other items (e.g. the review a summary summarises),
        once every item of the file is written, whatever their order."""
        kind = record.kind
        obj = kind.model.objects.get(pk=record.pk)
        changed = []
        for name, slug in record.links.items():
            target = None
            if slug:
                target = kind.links[name].objects.filter(slug=slug).first()
                if target is None:
                    label = kind.links[name]._meta.verbose_name
                    record.errors.append(
                        f"{_field_label(kind.model, name)}unknown {label} '{slug}'."
                    )
                    continue
            if getattr(obj, f"{name}_id") != (target.pk if target else None):
                setattr(obj, name, target)
                changed.append(name)
        if record.errors:
            record.action = ""
            return
        if changed and not self.may_edit(obj):
            record.errors.append(PUBLISHER_ONLY_TO_EDIT)
            record.action = ""
            return
        if changed:
            try:
                obj.full_clean()
            except ValidationError as exc:
                record.errors.extend(self.messages(kind.model, exc))
                record.action = ""
                return
            obj.save()
            if reversion.is_active() and reversion.is_registered(type(obj)):
                reversion.add_to_revision(obj)
            if record.action == "unchanged":
                record.action = "updated"
            record.changes.extend(_field_label(kind.model, name)[:-2] for name in changed)

    def one(self, record: Record) -> None:
        if not record.values and record.errors:
            self.failed[record.kind.key].add(record.key)
            return  # nothing to check further (not a mapping, not a list ...)
        try:
            with transaction.atomic():
                self.write(record)
        except _RowFailed as exc:
            record.errors.extend(exc.errors)
        except DatabaseError as exc:
            logger.warning("Import row %s refused by the database: %s", record.where, exc)
            record.errors.append(f"The database refused this row: {exc.__class__.__name__}.")
        if record.errors:
            record.action = ""
            self.failed[record.kind.key].add(record.key)

    @staticmethod
    def messages(model, exc: ValidationError) -> list[str]:
        if hasattr(exc, "error_dict"):
            return [
                f"{_field_label(model, name)}{message}"
                for name, errors in exc.message_dict.items()
                for message in errors
            ]
        return list(exc.messages)

    def lookup(self, record: Record):
        model = record.kind.model
        if record.kind is DAY:
            week = PracticeWeek.objects.filter(slug=record.week_slug).first()
            if week is None:
                if record.week_slug in self.failed[WEEK.key]:
                    raise _RowFailed(
                        [f"Its practice week '{record.week_slug}' has errors (see above)."]
                    )
                raise _RowFailed([f"Its practice week '{record.week_slug}' was not imported."])
            return (
                PracticeWeekDay.objects.filter(week=week, weekday=record.values["weekday"]).first(),
                {"week": week},
            )
        slug = record.values.get("slug")
        return (model.objects.filter(slug=slug).first() if slug else None), {}

    def write(self, record: Record) -> None:
        kind = record.kind
        values: dict[str, Any] = {}
        errors: list[str] = []
        failed_fields: set[str] = set(record.bad_fields)
        for name, value in record.values.items():
            try:
                values[name] = _clean_value(kind, name, value)
            except ValidationError as exc:
                errors.extend(exc.messages)
                failed_fields.add(name)
        if kind is DAY:
            if "weekday" not in values:
                raise _RowFailed(errors)
            record.values["weekday"] = values["weekday"]
        if kind is POINT:
            values["review"] = self.review_for(record, errors)
        targets = {name: self.resolve(record, name, errors) for name in record.refs}
        record.tags = {name: [_tag_label(obj) for obj in objs] for name, objs in targets.items()}

        try:
            obj, fixed = self.lookup(record)
        except _RowFailed as exc:
            raise _RowFailed([*errors, *exc.errors]) from None
        created = obj is None
        if not self.can("add" if created else "change", kind.model):
            verb = "add" if created else "change"
            errors.append(
                f"You do not have permission to {verb} {kind.model._meta.verbose_name_plural}."
            )
            raise _RowFailed(errors)
        if created:
            obj = kind.model(**fixed)
        keep = self.keep_existing and not created  # checked, then left as it is
        for name in kind.m2m:
            if name not in record.tags and not created and not keep:
                record.tags[name] = [_tag_label(o) for o in getattr(obj, name).all()]

        new_status = self.status_for(record, obj, created, values, errors)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        m2m_changed = [
            name
            for name, objs in targets.items()
            if (
                objs if created else not keep and self.stored_ids(obj, name) != {o.pk for o in objs}
            )
        ]
        if kind.publishable:
            if new_status != (Status.DRAFT if created else obj.status):
                changed.append("status")
            record.status = Status(new_status).label

        edits = [name for name in (*changed, *m2m_changed) if name != "status"]
        if not created and edits and kind.publishable and not self.may_edit(obj):
            errors.append(PUBLISHER_ONLY_TO_EDIT)
        if kind is DAY and (created or edits) and not self.may_edit(fixed["week"]):
            errors.append(PUBLISHER_ONLY_TO_EDIT)

        if not created and not changed and not m2m_changed and not errors and not record.errors:
            record.action = "unchanged"
            record.pk = obj.pk
            record.kept = self.keep_existing
            return
        for name in changed:
            if name != "status":
                setattr(obj, name, values[name])
        if kind.publishable:
            obj.status = new_status
        exclude = set(failed_fields)
        if not record.values.get("slug"):
            exclude.add("slug")
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as exc:
            errors.extend(self.messages(kind.model, exc))
        if errors or record.errors:
            raise _RowFailed(errors)
        if keep:
            # Checked like any row, then left as staff have it (the seed without --update).
            record.action, record.pk, record.kept = "unchanged", obj.pk, True
            return
        obj.save()
        for name in m2m_changed:
            getattr(obj, name).set(targets[name])
        if reversion.is_active() and reversion.is_registered(type(obj)):
            reversion.add_to_revision(obj)  # once, with its tags (see content_import)
        record.pk = obj.pk
        record.action = "created" if created else "updated"
        record.changes = [_field_label(kind.model, name)[:-2] for name in (*changed, *m2m_changed)]

    def status_for(self, record: Record, obj, created: bool, values: dict, errors: list) -> str:
        """The status the row's item will have, checked against the workflow; the file's
        ``status`` and (unless the user publishes) ``published_at`` leave ``values``."""
        if not record.kind.publishable:
            return ""
        requested = values.pop("status", None) or None
        if not (self.user is None or user_can_publish(self.user, record.kind.model)):
            values.pop("published_at", None)
        old = Status.DRAFT if created else Status(obj.status)
        if requested is None or requested == old:
            return old
        refusal = self.refusal(obj, old, requested)
        if refusal is None:
            return Status(requested)
        if created:
            record.notes.append(
                f"Arrives as a draft: you cannot make it {Status(requested).label.lower()}."
            )
            return Status.DRAFT
        errors.append(refusal)
        return old

    def review_for(self, record: Record, errors: list[str]):
        if not record.review_slug:
            return None
        review = self.matched.get((Review, record.review_slug))
        if review is None:
            review = Review.objects.filter(slug=record.review_slug).first()
            self.matched[(Review, record.review_slug)] = review
        if review is None:
            if record.review_slug in self.failed[REVIEW.key]:
                errors.append(f"Its review '{record.review_slug}' has errors (see above).")
            else:
                errors.append(f"Unknown review '{record.review_slug}'.")
        return review

    @staticmethod
    def stored_ids(obj, name: str) -> set[int]:
        return set(getattr(obj, name).values_list("pk", flat=True))

    def resolve(self, record: Record, name: str, errors: list[str]) -> list:
        model = record.kind.m2m[name]
        label = str(model._meta.verbose_name)
        found = []
        for ref in record.refs[name]:
            cached = self.matched.get((model, ref))
            if cached is not None:  # the same theme, agency ... on many rows
                found.append(cached)
                continue
            matches = list(model.objects.filter(slug=ref)[:1])  # slugs are unique
            if not matches and model in (Theme, Agency):
                matches = list(model.objects.filter(name__iexact=ref)[:2])
            if not matches and model is Resource:
                matches = list(model.objects.filter(url=ref)[:2])
            if len(matches) > 1:
                plural = model._meta.verbose_name_plural
                errors.append(f"'{ref}' matches several {plural}: use the slug.")
            elif not matches:
                failed = ref in self.failed[_KIND_OF[model].key]
                errors.append(
                    f"Unknown {label} '{ref}'" + (" (it has errors, see above)." if failed else ".")
                )
            else:
                found.append(matches[0])
                self.matched[(model, ref)] = matches[0]
        return found


@contextlib.contextmanager
def _revision(record: bool, user, filename: str):
    """One revision for the whole import (or none)."""
    if not record:
        yield
        return
    with reversion.create_revision(manage_manually=True):
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(f"Imported from {filename}"[:500])
        yield


def content_import(
    parsed: ParsedImport,
    *,
    user,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    keep_existing: bool = False,
    revision: bool = True,
    check: Callable[[], list[str]] | None = None,
) -> ImportResult:
    """Write the parsed records, all or nothing: when any row has an error, or for a dry run,
    nothing is saved. ``user`` None means a trusted command-line import (every permission
    but never a move the transition table has not).
    The saved changes are one django-reversion revision "Imported from <filename>"
    (``revision=False``: none, as for the seed, whose first revisions ``make run`` makes).
    ``progress(done, total)`` is called every few rows. ``keep_existing`` leaves every
    record already in the database as it is (checked, reported unchanged): the seed's
    default. ``check()``, run once everything is written, returns problems with the
    whole (the seed's sources) that undo it."""
    result = ImportResult(
        filename=parsed.filename,
        format=parsed.format,
        records=parsed.records,
        errors=list(parsed.errors),
        dry_run=dry_run,
    )
    if result.errors:
        return result
    for record in parsed.records:
        record.action, record.changes, record.notes = "", [], []
        record.tags, record.status, record.pk, record.kept = {}, "", None, False
    try:
        # One revision; each saved item is added to it once, after its tags are set
        # (reversion's own signals would serialise it again for every tag list).
        with transaction.atomic(), _revision(revision, user, parsed.filename):
            _Importer(parsed, user, progress, keep_existing).run()
            if result.ok and check is not None:
                result.errors.extend(check())
            if dry_run or not result.ok:
                raise _Rollback
    except _Rollback:
        return result
    result.saved = True
    return result
