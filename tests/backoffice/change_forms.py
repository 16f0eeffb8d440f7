"""Posting admin change forms as a browser would: the values the page shows (hidden
fields included: the version the editor opened), with a test's changes."""

import datetime

from django.contrib.messages import get_messages
from django.urls import reverse


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _text(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _values(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        key = form.add_prefix(name)
        if form.fields[name].show_hidden_initial:  # e.g. dates with a default of today
            data[form.add_initial_prefix(name)] = _text(value)
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(getattr(value, "pk", value))
    return data


def form_data(response, **changes) -> dict:
    """The POST data of the admin form in ``response`` (a page showing it, its inlines
    included), with ``changes``."""
    data = _values(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            data.update(_values(form))
    for name, value in changes.items():
        if isinstance(value, list | tuple):
            value = [str(getattr(item, "pk", item)) for item in value]
        data[name] = value
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]
