"""Posting admin change forms as a browser would: the values the page shows (hidden
fields included: the version the editor opened), with a test's changes."""

import datetime

from django.urls import reverse


def change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def form_data(response, **changes) -> dict:
    """The POST data of the admin form in ``response`` (a page showing it), changed."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for name, value in changes.items():
        if isinstance(value, list | tuple):
            value = [str(getattr(item, "pk", item)) for item in value]
        data[name] = value
    return data
