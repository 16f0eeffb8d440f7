"""Full history of the content, one-click restore and recoverable deletes (django-reversion).

What is recorded
- Every content model is registered with django-reversion below (a practice point's
  themes, agencies and resources are part of its versions; a practice week's versions
  include its days). Every admin add, change, restore and delete, and every workflow step
  (``backoffice.workflow``), saves a revision: who, when, and a comment saying what
  changed (the admin's change message, e.g. "Changed Learning point and Themes.").
- A delete saves a last revision of the item (comment "Deleted theme ‘Neglect’.")
  before it goes, with the items tagged with it, so "Recover deleted ..." in the admin
  brings any deleted item back with its own tags, and a recovered theme, agency or
  resource tags again the items it tagged (those that still exist).

Restoring (``HistoryAdmin``)
- The History page lists the versions, newest first, each with who, when, the comment and
  the fields it changed (before and after). Choosing one shows the change form filled in
  with that version; saving it restores it (a normal save: the search index is updated
  and a new revision says what was restored).
- Only that item (and what it follows: a week's days) is restored, never the other items
  that happened to be saved in the same revision (e.g. the points of a review edited
  together), so a restore cannot silently roll back someone else's later edits.
- The workflow holds: restoring a version that is published or archived, or restoring
  over an item that is published or archived, needs the publish permission
  (``<app>.publish_<model>``, the Publisher role). An Editor is refused with a message.
- The restore is protected by the concurrent-edit check (``backoffice.locking``) like any
  other save.

Why signals are not muted while a version is shown: django-reversion mutes all model
signals (globally, for every thread) while rendering a version; here the preview runs in
a transaction that is rolled back instead, so a save in another request at that moment
still gets its text sanitised and its search index entry.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from reversion.admin import VersionAdmin
from reversion.errors import RevertError
from reversion.models import Version

from backoffice.workflow import (
    PUBLISHER_STATUSES,
    transition,
    transition_refusal,
    user_can_publish,
)
from content import registry
from content.models import Status

# What is versioned, and how: each content type's ``versioning`` in the content registry
# (content/registry.py), e.g. a point without its derived search vector, a week with its days.


def _follows(model: type[models.Model]) -> tuple[str, ...]:
    """The relations saved with ``model``'s versions (a week's days)."""
    if not registry.is_registered(model):
        return ()
    return tuple((registry.get(model).versioning or {}).get("follow", ()))


DELETED_COMMENT = "Deleted."  # several at once; one: "Deleted theme ‘Neglect’."
RESTORE_REFUSED = (
    "Only a Publisher can restore {what}: {reason}. Nothing was restored. Ask a Publisher "
    "to restore it, or copy what you need from this version into the item."
)
HISTORY_LIMIT = 200  # versions shown on a History page
SAVED_AT = r"j F Y \a\t H:i"  # 23 November 2026 at 14:05


def history_register_models() -> None:
    """Register the content with django-reversion (once; before any admin registers it
    itself, so these options win)."""
    for entry in registry.versioned():
        if not reversion.is_registered(entry.model):
            reversion.register(entry.model, **entry.versioning)


history_register_models()


# --- Reading versions ------------------------------------------------------------------


def history_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields whose changes the history shows: what staff edit."""
    opts = model._meta
    return [
        f for f in [*opts.concrete_fields, *opts.many_to_many] if f.editable and not f.primary_key
    ]


class _Names:
    """The names of related objects, fetched once per model (deleted ones by number)."""

    def __init__(self):
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.found: dict[type[models.Model], dict] = {}

    def want(self, model, pks) -> None:
        self.wanted[model].update(pk for pk in pks if pk is not None)

    def name(self, model, pk) -> str:
        if model not in self.found:
            self.found[model] = model._base_manager.in_bulk(list(self.wanted[model]))
        obj = self.found[model].get(pk)
        return str(obj) if obj is not None else f"#{pk} (deleted)"


def _wanted_relations(field_dict: dict, model, names: _Names) -> None:
    for f in history_fields(model):
        value = field_dict.get(f.attname)
        if f.many_to_many:
            names.want(f.related_model, value or [])
        elif f.is_relation:
            names.want(f.related_model, [value])


def _display(field_dict: dict, f: models.Field, names: _Names) -> str:
    value = field_dict.get(f.attname)
    if f.many_to_many:
        shown = sorted(names.name(f.related_model, pk) for pk in value or [])
        return ", ".join(shown) if shown else "(none)"
    if value is None or value == "":
        return "(empty)"
    if f.is_relation:
        return names.name(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def _same(before, after) -> bool:
    if isinstance(before, list | tuple) or isinstance(after, list | tuple):
        return sorted(before or []) == sorted(after or [])
    return before == after


@dataclass
class HistoryEntry:
    """One version on the History page, with what it changed from the one before."""

    version: Version
    url: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    first: bool = False
    readable: bool = True

    @property
    def revision(self):
        return self.version.revision


def history_entries(model, versions: list[Version], url_for) -> list[HistoryEntry]:
    """``versions`` (oldest first) as history entries, each with its changed fields."""
    names = _Names()
    dicts = []
    for version in versions:
        try:
            field_dict = version.field_dict
        except (RevertError, ObjectDoesNotExist, LookupError, ValueError):
            field_dict = None
        dicts.append(field_dict)
        if field_dict is not None:
            _wanted_relations(field_dict, model, names)
    entries = []
    previous = None
    for index, (version, field_dict) in enumerate(zip(versions, dicts, strict=True)):
        entry = HistoryEntry(version=version, url=url_for(version), first=index == 0)
        if field_dict is None:
            entry.readable = False
        elif previous is not None:
            entry.changes = [
                (
                    capfirst(str(f.verbose_name)),
                    _display(previous, f, names),
                    _display(field_dict, f, names),
                )
                for f in history_fields(model)
                if not _same(previous.get(f.attname), field_dict.get(f.attname))
            ]
        if field_dict is not None:
            previous = field_dict
        entries.append(entry)
    return entries


# --- Restoring -------------------------------------------------------------------------


def _stored_status(version: Version) -> str | None:
    model = version._model
    return (
        model._base_manager.using(version.db)
        .filter(pk=version.object_id)
        .values_list("status", flat=True)
        .first()
    )


def restore_refusal(user, version: Version) -> str | None:
    """Why ``user`` may not restore ``version`` (None if they may): restoring to, or
    over, published or archived content is the Publisher's, and a restore that changes
    the status is a move the workflow's transition table must have (no one restores an
    "in review" version over published content: unpublish it first)."""
    model = version._model
    if not any(f.name == "status" for f in model._meta.concrete_fields):
        return None
    restored = version.field_dict.get("status")
    current = _stored_status(version)
    if current and restored and current != restored and transition(current, restored) is None:
        return f"{transition_refusal(current, restored)} Nothing was restored."
    if user_can_publish(user, model):
        return None
    if restored in PUBLISHER_STATUSES:
        reason = f"this version is {Status(restored).label.lower()}"
    elif current in PUBLISHER_STATUSES:
        reason = f"the {model._meta.verbose_name} is {Status(current).label.lower()} now"
    else:
        return None
    return RESTORE_REFUSED.format(
        what=f"this {model._meta.verbose_name}" if current else "a published or archived item",
        reason=reason,
    )


def _followed_versions(version: Version) -> list[Version]:
    """The versions, in the same revision, of what ``version``'s object follows (a week's
    days), found by their foreign key to it."""
    model = version._model
    followed = []
    follow = _follows(model)
    if not follow:
        return followed
    others = [v for v in version.revision.version_set.all() if v.pk != version.pk]
    for name in follow:
        relation = model._meta.get_field(name)
        if not relation.one_to_many:
            continue
        fk_attname = relation.field.attname
        followed += [
            v
            for v in others
            if v._model is relation.related_model
            and str(v.field_dict.get(fk_attname)) == str(version.object_id)
        ]
    return followed


def _drop_missing_references(version: Version) -> None:
    """Tags deleted since the version was saved are left out of it (they are gone); a
    missing review or week (a foreign key) stops the restore with a message. Checked
    here because the database checks these only when the transaction commits."""
    deserialized = version._object_version
    obj = deserialized.object
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        if f.is_relation and value is not None:
            if not f.related_model._base_manager.using(version.db).filter(pk=value).exists():
                raise RevertError(
                    f"Could not restore {version.object_repr}: its {f.verbose_name} no "
                    "longer exists."
                )
    for name, pks in (deserialized.m2m_data or {}).items():
        related = obj._meta.get_field(name).related_model
        existing = set(
            related._base_manager.using(version.db).filter(pk__in=pks).values_list("pk", flat=True)
        )
        deserialized.m2m_data[name] = [pk for pk in pks if pk in existing]


def history_revert(version: Version, *, keep_version: bool = True) -> models.Model:
    """Write ``version`` (and the versions of what it follows, removing followed objects
    added since) back to the database as it was, and return the object. Only this
    object: not the rest of its revision. Call inside a transaction.

    ``keep_version``: the row keeps its current ``version`` number (the save that follows
    moves it on, and a concurrent save is still noticed); without it the raw write moves
    it on by one (``backoffice.locking``)."""
    model = version._model
    manager = model._base_manager.using(version.db)
    current = manager.filter(pk=version.object_id).first()
    stored_version = getattr(current, "version", None)
    followed = _followed_versions(version)
    if current is not None:
        restored_keys = {(v._model, str(v.object_id)) for v in followed}
        for name in _follows(model):
            related = getattr(current, name)
            if isinstance(related, models.Manager):
                for obj in related.all():
                    if (type(obj), str(obj.pk)) not in restored_keys:
                        obj.delete()
    try:
        with transaction.atomic(using=version.db):
            for each in (version, *followed):
                _drop_missing_references(each)
                each.revert()
    except (IntegrityError, ObjectDoesNotExist) as exc:
        raise RevertError(
            f"Could not restore {version.object_repr}: it conflicts with the content as it "
            "is now (e.g. another item has its slug)."
        ) from exc
    if current is None:
        _tag_again(version)
    if keep_version and stored_version is not None:
        manager.filter(pk=version.object_id).update(version=stored_version)
    return manager.get(pk=version.object_id)


@transaction.atomic
def version_restore(version: Version, *, user) -> models.Model:
    """Restore ``version`` as a normal save by ``user`` (search index, history and
    ``version`` move on): what the admin's restore does, for code and tests."""
    refusal = restore_refusal(user, version)
    if refusal:
        raise PermissionDenied(refusal)
    with reversion.create_revision():
        obj = history_revert(version)
        obj.full_clean()
        obj.save()
        reversion.set_user(user)
        reversion.set_comment(restored_comment(version))
    return obj


def restored_comment(version: Version) -> str:
    saved = date_format(timezone.localtime(version.revision.date_created), SAVED_AT)
    return f"Restored the version saved on {saved}."


def history_record_deletion(objs, *, user) -> None:
    """Save a last revision of ``objs`` before they are deleted, so they can be
    recovered (with their tags) from "Recover deleted ..."."""
    objs = list(objs)
    if not objs:
        return
    if reversion.is_active():
        # Inside another revision, versions of rows deleted before it ends are dropped:
        # add them there and let the caller's revision stand (best effort).
        for obj in objs:
            reversion.add_to_revision(obj)
        return
    with reversion.create_revision():
        reversion.set_user(user)
        if len(objs) == 1:
            meta = objs[0]._meta
            reversion.set_comment(f"Deleted {meta.verbose_name} ‘{objs[0]}’.")
        else:
            reversion.set_comment(DELETED_COMMENT)
        for obj in objs:
            reversion.add_to_revision(obj)
            # The items tagged with it (their tags change when it goes): recovering it
            # tags them again.
            for linked in _tagged_with(obj):
                reversion.add_to_revision(linked)


def _tagged_with(obj: models.Model):
    """The versioned objects linking to ``obj`` through a many-to-many field of theirs
    (a theme's practice points, resources and practice week days)."""
    for relation in obj._meta.related_objects:
        if relation.many_to_many and reversion.is_registered(relation.related_model):
            yield from getattr(obj, relation.get_accessor_name()).all()


def _tag_again(version: Version) -> None:
    """After recovering ``version``'s object: the items that were tagged with it when it
    was deleted (and still exist) are tagged with it again."""
    model, pk = version._model, str(version.object_id)
    for other in version.revision.version_set.exclude(pk=version.pk):
        linking_model = other._model
        for f in linking_model._meta.many_to_many:
            if f.related_model is not model:
                continue
            try:
                was_tagged = pk in {str(v) for v in other._object_version.m2m_data.get(f.name, [])}
            except RevertError:
                continue
            linked = linking_model._base_manager.filter(pk=other.object_id).first()
            if was_tagged and linked is not None:
                getattr(linked, f.name).add(version.object_id)


# --- The admin -------------------------------------------------------------------------


class _RollBackPreview(Exception):
    def __init__(self, response):
        self.response = response


class HistoryAdmin(VersionAdmin):
    """django-reversion's ``VersionAdmin`` (History, restore, "Recover deleted ..."), with
    what changed per version, the Publisher rule on restores, one-object restores, and
    deletes that can always be recovered."""

    history_latest_first = True
    object_history_template = "backoffice/history/object_history.html"
    recover_list_template = "backoffice/history/recover_list.html"
    revision_form_template = "backoffice/history/revision_form.html"
    recover_form_template = "backoffice/history/recover_form.html"

    # History -----------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        versions = list(
            Version.objects.get_for_object_reference(self.model, unquote(object_id))
            .select_related("revision", "revision__user")
            .order_by("-pk")[:HISTORY_LIMIT]
        )
        versions.reverse()

        def url_for(version):
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=(quote(version.object_id), version.pk),
            )

        entries = history_entries(self.model, versions, url_for)
        entries.reverse()
        context = {
            "action_list": entries,
            "can_restore": self.has_change_permission(request),
            "pagination_required": False,
            **(extra_context or {}),
        }
        # Django's own history page (object, permission and title), with these entries
        # instead of the admin log.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    # Restoring ---------------------------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # By model as well as id (as django-reversion's own view does): a version of
        # another model with the same object id is not this item's.
        version = get_object_or_404(
            Version.objects.get_for_object_reference(self.model, unquote(object_id)),
            pk=version_id,
        )
        refusal = self._restore_refusal(request, version)
        if refusal:
            return refusal
        context = {
            "title": f"Restore {version.object_repr}",
            "revert": True,
            "version_saved": version.revision.date_created,
            **(extra_context or {}),
        }
        return self._history_form_view(
            request,
            version,
            self.revision_form_template or self._reversion_get_template_list("revision_form.html"),
            context,
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_model(self.model), pk=version_id)
        refusal = self._restore_refusal(request, version)
        if refusal:
            return refusal
        context = {
            "title": f"Recover {version.object_repr}",
            "recover": True,
            **(extra_context or {}),
        }
        return self._history_form_view(
            request,
            version,
            self.recover_form_template or self._reversion_get_template_list("recover_form.html"),
            context,
        )

    def _restore_refusal(self, request, version):
        opts = self.model._meta
        try:
            message = restore_refusal(request.user, version)
        except RevertError as exc:  # the stored version can no longer be read
            messages.error(request, str(exc))
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        if message is None:
            return None
        messages.error(request, message)
        exists = self.model._base_manager.filter(pk=version.object_id).exists()
        if exists:
            return redirect(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                quote(version.object_id),
            )
        return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_recoverlist")

    def _history_form_view(self, request, version, template_name, extra_context):
        """The version written back (in a transaction), then the normal change form on
        it: shown and rolled back on GET, saved (and kept) on a valid POST."""
        opts = self.model._meta
        try:
            with transaction.atomic(using=version.db):
                with self.create_revision(request):
                    history_revert(version)
                    response = self.changeform_view(
                        request, quote(version.object_id), request.path, extra_context
                    )
                    if request.method == "POST" and response.status_code == 302:
                        change = reversion.get_comment()
                        reversion.set_comment(f"{restored_comment(version)} {change}".strip())
                    elif response.status_code == 200:
                        response.template_name = template_name
                        response.render()
                        raise _RollBackPreview(response)
                    else:
                        raise RevertError(f"Could not load {version.object_repr}.")
        except RevertError as exc:
            messages.error(request, str(exc))
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except models.ProtectedError as exc:
            messages.error(request, str(exc.args[0]) if exc.args else "Could not restore.")
            return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        except _RollBackPreview as preview:
            return preview.response
        return response

    # Deleting ----------------------------------------------------------------------

    def delete_model(self, request, obj):
        history_record_deletion([obj], user=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        history_record_deletion(queryset, user=request.user)
        super().delete_queryset(request, queryset)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") == "delete_selected":
            # Not inside VersionAdmin's revision: the deletion records its own revision
            # first (a revision saved after the rows are gone would drop them).
            context = {"has_change_permission": self.has_change_permission(request)}
            context.update(extra_context or {})
            return admin.ModelAdmin.changelist_view(self, request, context)
        return super().changelist_view(request, extra_context)
