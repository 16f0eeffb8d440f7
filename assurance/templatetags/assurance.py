"""Template helpers for the assurance pages and the public "What we did"."""

from __future__ import annotations

from django import forms, template
from django.utils import timezone

from ..access import can_read
from ..models import Rag
from ..public import what_we_did_for

register = template.Library()

RAG_TAG = {Rag.RED: "red", Rag.AMBER: "orange", Rag.GREEN: "green", Rag.BLUE: "blue"}


@register.filter
def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.Select):
        return "select"
    if getattr(widget, "input_type", "") == "date":
        return "date"
    return "text"


@register.filter
def can_read_assurance(user) -> bool:
    """Whether ``user`` may open the assurance pages (the admin's home links to them)."""
    return can_read(user)


@register.inclusion_tag("assurance/includes/rag.html")
def rag_tag(action, today=None):
    rag = Rag(action.rag(today or timezone.localdate()))
    return {"rag": rag, "colour": RAG_TAG[rag]}


@register.simple_tag
def rag_colour(value: str) -> str:
    return RAG_TAG[Rag(value)]


@register.inclusion_tag("assurance/includes/what_we_did.html")
def what_we_did(review):
    """The public "What we did" of a published review whose plan says to show it: each
    accepted recommendation, its actions' status and public summary; nothing else."""
    return {"items": what_we_did_for(review), "review": review}
