"""Concurrent-edit protection (optimistic locking) for content in the admin.

Every workflow model has a ``version`` (``content.models.Publishable``) that each
save of an existing row moves on by one. The admin's change form carries, as hidden
fields, the version the editor opened and a fingerprint of the values they saw. When they
save:

1. the form locks the row (``SELECT ... FOR UPDATE`` inside the admin's transaction, on
   PostgreSQL) and compares its version with the one the editor opened. If someone saved
   meanwhile, the save is refused: the form comes back with an error at the top saying
   who changed the item and when (from the django-reversion history, when known), and the
   fields that changed since the editor opened the page, with their saved values now.
   Nothing is overwritten; the form now carries the new version, so the editor can
   re-apply their edit and save again;
2. the save itself is conditional (``UPDATE ... SET version = v + 1 WHERE version = v``,
   ``content.models.version_claim``): even a save that slipped past step 1 (e.g.
   on SQLite, which has no row locks) cannot overwrite a newer row. The admin then shows
   the form again with the refusal.

Inline rows of versioned content (a review's practice points) carry their own version
and are checked the same way when they are saved (a row left as it is is not saved, so
not checked). A save without the hidden version (not the admin's own form: a script, or a
page kept from before the check) is refused with ``BAD_FORM_VERSION``: nothing is saved
unless the sender says which version it is changing.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from reversion.errors import RevertError
from reversion.models import Version

from content.models import ConcurrentEditError, Publishable

OPENED_VERSION = "opened_version"
OPENED_FINGERPRINT = "opened_fingerprint"
LOCKING_FIELDS = (OPENED_VERSION, OPENED_FINGERPRINT)
CHANGED_AT = "H:i, j F Y"  # 14:05, 23 November 2026

NOT_SAVED = "Someone else changed this item while you were editing it{who}. Nothing was saved."
DELETED = "Someone else deleted this item while you were editing it. Nothing was saved."
REAPPLY = (
    "Check the saved values, re-apply your edit to the form below if it is still needed, "
    "and save again."
)
CHANGED_FIELDS_INTRO = "Changed since you opened this page (the saved value now):"
FIELD_CHANGED = "Someone else changed this since you opened the page: see the message above."
BAD_FORM_VERSION = "This page was not sent back as it was shown. Reload the page and try again."


# --- What an editor saw ----------------------------------------------------------------


def locked_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose changes an editor is told about: everything staff can edit."""
    opts = model._meta
    return [
        field
        for field in [*opts.concrete_fields, *opts.many_to_many]
        if field.editable and not field.primary_key
    ]


def _comparable(obj: models.Model, field: models.Field):
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(getattr(obj, field.attname).values_list("pk", flat=True))
    value = field.value_from_object(obj)
    return value if isinstance(value, bool | int | float | type(None)) else str(value)


def fingerprint(obj: models.Model) -> dict[str, str]:
    """A short hash of each editable field's value: small enough for a hidden field, enough
    to tell later which fields changed."""
    return {
        field.name: hashlib.sha256(
            json.dumps(_comparable(obj, field), default=str).encode()
        ).hexdigest()[:16]
        for field in locked_fields(type(obj))
    }


def display_value(obj: models.Model, field: models.Field) -> str:
    """A field's value as an editor reads it (choices by label, tags by name)."""
    if field.many_to_many:
        names = [str(item) for item in getattr(obj, field.name).all()]
        return ", ".join(names) if names else "(none)"
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")())
    value = getattr(obj, field.name)
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), CHANGED_AT)
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


# --- Who changed it ------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """Why a save was refused: the row as it is now, who last changed it and what."""

    current: models.Model | None  # None: deleted
    changed: list[tuple[str, models.Field, str]]  # (label, field, saved value now)
    by: str = ""
    at: str = ""

    def messages(self) -> list[str]:
        if self.current is None:
            return [DELETED]
        who = ""
        if self.by and self.at:
            who = f" (by {self.by} at {self.at})"
        elif self.at:
            who = f" (at {self.at})"
        lines = [NOT_SAVED.format(who=who)]
        if self.changed:
            lines.append(CHANGED_FIELDS_INTRO)
            lines += [f"{label}: {value}" for label, _field, value in self.changed]
        lines.append(REAPPLY)
        return lines


def _last_change(obj: models.Model, opened_version: int) -> tuple[str, str]:
    """Who made the latest saved change after ``opened_version``, and when, from the
    django-reversion history (who is unknown when the change left no revision)."""
    at = date_format(timezone.localtime(obj.updated_at), CHANGED_AT)
    if not reversion.is_registered(type(obj)):
        return "", at
    versions = Version.objects.get_for_object(obj).select_related("revision__user")[:5]
    for version in versions:
        try:
            saved_version = version.field_dict.get("version") or 0
        except (RevertError, LookupError, ValueError):  # a version that can't be read
            continue
        if saved_version > opened_version:
            user = version.revision.user
            when = date_format(timezone.localtime(version.revision.date_created), CHANGED_AT)
            if user is not None:
                return (user.get_full_name() or user.get_username()), when
            return "", when
    return "", at


def conflict_for(
    current: models.Model | None, opened_version: int, opened: dict | None, labels: dict
) -> Conflict:
    if current is None:
        return Conflict(current=None, changed=[])
    now = fingerprint(current)
    changed = [
        (
            labels.get(field.name) or capfirst(field.verbose_name),
            field,
            display_value(current, field),
        )
        for field in locked_fields(type(current))
        if opened is not None and opened.get(field.name) != now[field.name]
    ]
    by, at = _last_change(current, opened_version)
    return Conflict(current=current, changed=changed, by=by, at=at)


def locked_row(model: type[models.Model], pk, *, using: str | None = None):
    """The stored row, locked until the surrounding transaction ends (``FOR UPDATE``; no
    lock outside a transaction, or on SQLite, where the save's conditional update is the
    guard)."""
    using = using or router.db_for_write(model)
    queryset = model._base_manager.using(using).filter(pk=pk).order_by("pk")
    if transaction.get_connection(using).in_atomic_block:
        queryset = queryset.select_for_update()
    return queryset.first()


# --- The form --------------------------------------------------------------------------


class LockingField(forms.CharField):
    """A hidden field of the check: never itself a change (not in the change message)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class LockingFormMixin:
    """For a ModelForm of a ``Publishable`` model: carries the opened version and refuses a
    stale save (see the module docstring). Use ``locking_form(FormClass)``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if not self.is_bound and instance.pk is not None and not instance._state.adding:
            self.initial.setdefault(OPENED_VERSION, str(instance.version))
            self.initial.setdefault(OPENED_FINGERPRINT, json.dumps(fingerprint(instance)))

    def _opened(self) -> tuple[int | None, dict | None]:
        raw_version = (self.cleaned_data.get(OPENED_VERSION) or "").strip()
        if not raw_version:
            return None, None
        try:
            version = int(raw_version)
            fingerprint_ = json.loads(self.cleaned_data.get(OPENED_FINGERPRINT) or "null")
        except ValueError as exc:
            raise ValidationError(BAD_FORM_VERSION, code="bad_version") from exc
        if version < 1 or not isinstance(fingerprint_, dict | type(None)):
            raise ValidationError(BAD_FORM_VERSION, code="bad_version")
        return version, fingerprint_

    # Inline rows are saved only when changed: an untouched row is not checked.
    locking_skip_unchanged = False

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return cleaned_data
        if self.locking_skip_unchanged and not self.has_changed():
            return cleaned_data
        opened_version, opened = self._opened()
        if opened_version is None:
            # Not the page as it was shown: refuse rather than overwrite blindly.
            raise ValidationError(BAD_FORM_VERSION, code="missing_version")
        current = locked_row(type(instance), instance.pk)
        if current is not None and current.version == opened_version:
            # The save is then conditional on this version too (race-safe without locks).
            instance._locking_expected_version = opened_version
            return cleaned_data
        labels = {name: field.label for name, field in self.fields.items() if field.label}
        conflict = conflict_for(current, opened_version, opened, labels)
        if current is not None:
            # The form now carries the saved version: after checking, saving again is a
            # decision made knowing what changed.
            self.data = self.data.copy()
            self.data[self.add_prefix(OPENED_VERSION)] = str(current.version)
            self.data[self.add_prefix(OPENED_FINGERPRINT)] = json.dumps(fingerprint(current))
            for _label, field, _value in conflict.changed:
                if field.name in self.fields:
                    self.add_error(field.name, FIELD_CHANGED)
        raise ValidationError(conflict.messages(), code="concurrent_edit")


def locking_form(
    form_class: type[forms.ModelForm], *, inline: bool = False
) -> type[forms.ModelForm]:
    """``form_class`` with the hidden fields and the check (the same class if it has them).
    ``inline``: for the rows of an inline, where only changed rows are saved."""
    if issubclass(form_class, LockingFormMixin):
        return form_class
    return type(
        f"Locking{form_class.__name__}",
        (LockingFormMixin, form_class),
        {
            "__module__": __name__,
            "locking_skip_unchanged": inline,
            OPENED_VERSION: LockingField(),
            OPENED_FINGERPRINT: LockingField(),
        },
    )


# --- The admin -------------------------------------------------------------------------


class LockingAdminMixin:
    """For a ``ModelAdmin`` of a ``Publishable`` model: its change form (whatever ``form``
    and ``fieldsets`` it has) carries the opened version and refuses stale saves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = locking_form(self.form)

    def get_fields(self, request, obj=None):
        return [name for name in super().get_fields(request, obj) if name not in LOCKING_FIELDS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not fieldsets or not self.has_change_permission(request, obj):
            return fieldsets
        present = set(flatten_fieldsets(fieldsets))
        missing = tuple(name for name in LOCKING_FIELDS if name not in present)
        if missing:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": (*options["fields"], missing)})
        return fieldsets

    def get_inline_instances(self, request, obj=None):
        """Inline rows of content with a version (a review's practice points) are checked
        too. (An inline with neither ``fields`` nor ``fieldsets`` shows the hidden fields
        from its form.)"""
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if not issubclass(inline.model, Publishable):
                continue
            inline.form = locking_form(inline.form, inline=True)
            if (
                inline.fields is not None
                and obj is not None
                and inline.has_change_permission(request, obj)
            ):
                inline.fields = (*inline.fields, LOCKING_FIELDS)
        return inlines

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            pass
        # Another save won the race after the form's check (the conditional save refused
        # this one; nothing was written): show the form again, now with the refusal.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError:
            messages.error(request, NOT_SAVED.format(who="") + " " + REAPPLY)
            return HttpResponseRedirect(request.path)


# --- Restores ------------------------------------------------------------------------


@receiver(pre_save, dispatch_uid="backoffice_locking_raw_save_version")
def _raw_save_moves_version_on(sender, instance, raw=False, using=None, **kwargs):
    """A raw save (django-reversion restoring a version, ``loaddata``) of an existing row
    writes old field values, ``version`` included: it still moves the stored version on,
    so a form opened before the restore cannot overwrite it."""
    if not raw or not issubclass(sender, Publishable) or instance.pk is None:
        return
    stored = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .order_by()
        .values_list("version", flat=True)
    ).first()
    if stored is not None:
        instance.version = stored + 1
