"""Session pack helpers for the public pages.

``{% add_to_pack_form obj %}`` shows a signed-in trainer a small form to add a practice
point, resource, theme or review to one of their packs (or to a new one); a theme also
gets "Start a 30-minute session on this theme". For anyone else it renders nothing and
asks the database nothing. The trainer's packs are loaded once a request however many
forms the page shows (see selectors.trainer_packs).

The forms' controls belong, through their ``form`` attribute, to the one form
``{% add_to_pack_target %}`` renders in the service navigation: the finder's results sit
inside its own GET form, and forms cannot nest.
"""

from __future__ import annotations

from django import template
from django.utils.text import Truncator

from ..access import is_trainer
from ..models import ItemKind
from ..selectors import trainer_packs
from ..services import kind_for_content

register = template.Library()

TARGET_FORM_ID = "app-add-to-pack"
NOUNS = {
    ItemKind.PRACTICE_POINT: "practice point",
    ItemKind.RESOURCE: "resource",
    ItemKind.THEME_OVERVIEW: "theme",
    ItemKind.REVIEW_SUMMARY: "review",
}


@register.simple_tag(takes_context=True)
def user_is_trainer(context) -> bool:
    return is_trainer(context.get("request"))


@register.inclusion_tag("session_packs/includes/add_to_pack_target.html", takes_context=True)
def add_to_pack_target(context):
    request = context.get("request")
    return {
        "show": is_trainer(request),
        "form_id": TARGET_FORM_ID,
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("session_packs/includes/add_to_pack_form.html", takes_context=True)
def add_to_pack_form(context, obj):
    request = context.get("request")
    if obj is None or not is_trainer(request):
        return {"show": False}
    kind = kind_for_content(obj)
    packs = trainer_packs(request)
    label = obj.text if kind == ItemKind.PRACTICE_POINT else str(obj)
    return {
        "show": True,
        "obj": obj,
        "kind": kind,
        "noun": NOUNS[kind],
        "label": Truncator(" ".join(label.split())).words(10),
        "packs": packs,
        "pack_options": [{"value": pack.pk, "label": pack.title} for pack in packs]
        + [{"value": "new", "label": "Start a new pack"}],
        "in_packs": [pack for pack in packs if (kind, obj.pk) in pack.contents],
        "field_id": f"add-to-pack-{kind}-{obj.pk}",
        "field_name": f"pack-{kind}-{obj.pk}",
        "form_id": TARGET_FORM_ID,
        "theme_session": kind == ItemKind.THEME_OVERVIEW,
    }
