"""The registry of content types: each kind of content is described ONCE, here, by the app
that owns its model, and every feature reads it instead of keeping its own list.

Who registers: the subject apps (themes, practice_points, resources) at the bottom of their
``models.py``, one ``register(Model, ...)`` call per model; a feature may register its own
models the same way (session_packs registers its packs for sanitising only). Registering a
model twice is an error.

Who reads (and for what):

========================  ==================================================================
``search``                ``searchable()``: what is indexed and how (``SearchSpec``)
``backoffice.transfer``   ``transferable()``: import, export and seed fields (``TransferSpec``)
``backoffice.preview``    ``previewable()``: the staff preview of each kind (``PreviewSpec``)
``backoffice.history``    ``versioned()``: what django-reversion keeps, with its options
``content.sanitising``    ``sanitised_models()``: whose text is cleaned on save
``backoffice.dashboard``  ``workflow_models()``: the dashboard, "due for review" lists
``session_packs``         ``pack_kinds()``: what can be added to a pack, by its item kind
========================  ==================================================================

The API in short::

    from content import registry

    registry.register(
        PracticePoint,
        key="practice_point",              # one name per type, used everywhere
        workflow=True,                     # draft -> in review -> published -> archived
        versioning={"exclude": ("search_vector",)},   # reversion.register(**versioning)
        search=registry.SearchSpec(...),   # None: not searched
        transfer=registry.TransferSpec(...),  # None: not imported/exported
        preview=registry.PreviewSpec(...),    # None: no staff preview
        pack_kind="practice_point",        # None: cannot be put in a session pack
    )
    registry.get(PracticePoint)            # -> ContentType (or by "app_label.Model" / key)
    registry.registrations()               # every ContentType, in registration order

Reading the registry before the models are loaded raises ``AppRegistryNotReady``: a
module that reads it at import time would see an incomplete list, so read it inside
functions (or through a lazy mapping, as ``search.kinds.KINDS`` does).

Callables in a spec (a preview's queryset and context) are dotted paths, imported when
first used (``django.utils.module_loading.import_string``), so a model module never
imports its app's views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import models
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SearchSpec:
    """How a type is searched. Every type has three weighted parts: A (what it is called or
    says first) > B (its guidance or summary) > C (the rest)."""

    key: str  # the finder's and the index's name for the kind, e.g. "practice_points"
    label: str  # "practice point"
    label_plural: str  # "practice points"
    fts_table: str  # SQLite's FTS5 table
    fields: dict[str, tuple[str, ...]]  # model fields of each part ("a", "b", "c")
    title_field: str
    summary_fields: tuple[str, ...]
    position: int = 100  # the order of its section on the search page (lowest first)


@dataclass(frozen=True)
class TransferSpec:
    """How a type is imported, exported and seeded (``backoffice.transfer``)."""

    key: str  # the document's list name, e.g. "points"
    fields: tuple[str, ...]  # concrete fields, in export order (slug first)
    # Many-to-many fields written by the slugs of the related items: name -> "app.Model".
    m2m: dict[str, str] = field(default_factory=dict)
    # Foreign keys to another item by its slug, set once all are written: name -> "app.Model".
    links: dict[str, str] = field(default_factory=dict)
    # Fields older exports have that are now derived: read and ignored.
    ignored: tuple[str, ...] = ()
    # Written inside its parent's record (a week's days), not as a list of its own.
    nested: bool = False


@dataclass(frozen=True)
class PreviewSpec:
    """The staff preview: the public page's template with the context its view builds."""

    key: str  # the preview URL's segment: /preview/<key>/<pk>/
    template: str
    context: str  # dotted path: (obj) -> the template's context
    # Dotted path: () -> QuerySet of every item, whatever its status (None: all rows).
    queryset: str | None = None

    @cached_property
    def get_context(self) -> Callable[[models.Model], dict]:
        return import_string(self.context)

    def items(self, model: type[models.Model]) -> models.QuerySet:
        """Every item of ``model`` as the preview loads it, whatever its status."""
        if self.queryset is None:
            return model._default_manager.all()
        return import_string(self.queryset)()


@dataclass(frozen=True)
class ContentType:
    """One registered type of content."""

    model: type[models.Model]
    key: str  # one name for the type, e.g. "practice_point"
    workflow: bool  # has the draft -> in review -> published -> archived workflow
    # Options for ``reversion.register`` (``{}``: every field); None: no history kept.
    versioning: dict | None
    sanitised: bool  # text cleaned on save (content.richtext) and URLs checked
    search: SearchSpec | None
    transfer: TransferSpec | None
    preview: PreviewSpec | None
    pack_kind: str | None  # the session pack item kind it is added as, if any

    @property
    def label(self) -> str:
        """``app_label.ModelName``."""
        return self.model._meta.label

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


# The workflow's fields every publishable type imports and exports after its own.
PUBLISHABLE_FIELDS = ("status", "published_at", "last_reviewed", "review_by")

_REGISTRY: dict[type[models.Model], ContentType] = {}


def register(
    model: type[models.Model],
    *,
    key: str,
    workflow: bool = False,
    versioning: dict | None = None,
    sanitised: bool = True,
    search: SearchSpec | None = None,
    transfer: TransferSpec | None = None,
    preview: PreviewSpec | None = None,
    pack_kind: str | None = None,
) -> ContentType:
    """Describe ``model`` once. Raises ``ValueError`` if the model or the key is taken."""
    if model in _REGISTRY:
        raise ValueError(f"{model._meta.label} is registered already")
    if any(entry.key == key for entry in _REGISTRY.values()):
        raise ValueError(f"the content type key {key!r} is taken")
    entry = ContentType(
        model=model,
        key=key,
        workflow=workflow,
        versioning=versioning,
        sanitised=sanitised,
        search=search,
        transfer=transfer,
        preview=preview,
        pack_kind=pack_kind,
    )
    _REGISTRY[model] = entry
    return entry


def registrations() -> tuple[ContentType, ...]:
    """Every registered type, in the order the apps registered them."""
    apps.check_models_ready()
    return tuple(_REGISTRY.values())


def get(model_or_name: type[models.Model] | models.Model | str) -> ContentType:
    """The registration of a model class, an instance, an ``"app_label.Model"`` label or a
    type's key; ``LookupError`` if there is none."""
    apps.check_models_ready()
    if isinstance(model_or_name, str):
        for entry in _REGISTRY.values():
            if model_or_name in (entry.key, entry.label):
                return entry
        raise LookupError(f"no content type {model_or_name!r}")
    model = model_or_name if isinstance(model_or_name, type) else type(model_or_name)
    model = model._meta.concrete_model
    try:
        return _REGISTRY[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not a registered content type") from None


def is_registered(model: type[models.Model]) -> bool:
    return model in _REGISTRY


def workflow_models() -> tuple[type[models.Model], ...]:
    """Content with the draft -> in review -> published -> archived workflow."""
    return tuple(entry.model for entry in registrations() if entry.workflow)


def supporting_models() -> tuple[type[models.Model], ...]:
    """Content without its own workflow, edited alongside (tags, the days of a week):
    versioned content types that have no workflow."""
    return tuple(
        entry.model
        for entry in registrations()
        if not entry.workflow and entry.versioning is not None
    )


def versioned() -> tuple[ContentType, ...]:
    """What django-reversion keeps, each with its ``versioning`` options."""
    return tuple(entry for entry in registrations() if entry.versioning is not None)


def sanitised_models() -> tuple[type[models.Model], ...]:
    return tuple(entry.model for entry in registrations() if entry.sanitised)


def searchable() -> tuple[ContentType, ...]:
    return tuple(entry for entry in registrations() if entry.search is not None)


def transferable() -> tuple[ContentType, ...]:
    """Types with a ``TransferSpec``, in registration order (what others refer to is
    registered first: agencies and themes before resources, reviews before points)."""
    return tuple(entry for entry in registrations() if entry.transfer is not None)


def previewable() -> tuple[ContentType, ...]:
    return tuple(entry for entry in registrations() if entry.preview is not None)


def pack_kinds() -> dict[str, type[models.Model]]:
    """Session pack item kind -> the model added as that kind."""
    return {entry.pack_kind: entry.model for entry in registrations() if entry.pack_kind}
