"""Content text is sanitised when it is saved, whoever saves it (the admin, the seed
loader, a service, a trainer's pack form): see ``content.richtext``.

Also when it is validated: ``full_clean()`` checks the sanitised text (a required
field left empty once the markup is removed is a form error, not a database error).

Which fields: every *editable* ``CharField`` and ``TextField`` of the models in
the content registry's ``sanitised_models()`` (content/registry.py), except slugs, fields with choices, e-mail addresses and URLs
(URLs are checked instead: a link that is not http(s) is refused). Text fields keep
the allowed markup; one-line ``CharField``s (titles, names) keep none. Fields the
application writes itself (``editable=False``: share tokens, link-check results, the
search vector) are left alone.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save

from content import registry
from content.richtext import HTTP_URL_MESSAGE, is_http_url, sanitise_text


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields of ``model`` that hold content text a person typed."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
    ]


def url_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.URLField) and field.editable
    ]


def sanitise_instance(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: clean every text field; refuse a link that is not http(s)."""
    if raw:  # loaddata: fixtures are written as they are
        return
    for field in text_fields(sender):
        value = getattr(instance, field.attname)
        if isinstance(value, str) and value:
            # One-line fields keep no markup (and so never grow past max_length).
            cleaned = sanitise_text(value, markup=isinstance(field, models.TextField))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
    errors = {
        field.name: [HTTP_URL_MESSAGE]
        for field in url_fields(sender)
        if getattr(instance, field.attname) and not is_http_url(getattr(instance, field.attname))
    }
    if errors:
        raise ValidationError(errors)


def _sanitise_when_cleaned(field: models.Field) -> None:
    """Make the field's ``to_python`` sanitise, so ``full_clean()`` (model forms, the
    admin, the services) validates the text as it will be stored: a title that was
    nothing but markup is "This field cannot be blank." on the form, never a database
    error at save. ``get_prep_value`` goes through ``to_python`` too, so a queryset
    ``update()`` writes sanitised text as well."""
    if getattr(field.to_python, "sanitises", False):
        return
    original = field.to_python
    markup = isinstance(field, models.TextField)

    def to_python(value):
        value = original(value)
        return sanitise_text(value, markup=markup) if isinstance(value, str) and value else value

    to_python.sanitises = True  # type: ignore[attr-defined]
    field.to_python = to_python


def connect() -> None:
    """Called from ``ContentConfig.ready()``: every registered type whose text reaches a
    page, an export or the API (``sanitised=True`` in the content registry)."""
    for model in registry.sanitised_models():
        for field in text_fields(model):
            _sanitise_when_cleaned(field)
        pre_save.connect(
            sanitise_instance,
            sender=model,
            dispatch_uid=f"content.sanitise.{model._meta.label}",
        )
