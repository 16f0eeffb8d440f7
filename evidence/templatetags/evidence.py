"""Evidence of use on other apps' pages, each one line in their template:
``{% load evidence %}{% feedback_form point %}`` (a point or theme page),
``{% what_teams_did theme %}`` (a theme page) and ``{% record_session_link pack shared %}``
(a pack's page)."""

from django import template
from django.urls import reverse

from ..forms import NO_PERSONAL_DATA, FeedbackForm
from ..services import good_practice_for_theme
from ..views import feedback_token

register = template.Library()


@register.inclusion_tag("evidence/includes/feedback_form.html")
def feedback_form(target):
    """'Was this useful?': a plain form posted without cookies (see views.feedback)."""
    form = FeedbackForm(initial={"token": feedback_token(target)})
    return {
        "form": form,
        "action": reverse("evidence:feedback"),
        "no_personal_data": NO_PERSONAL_DATA,
        "prefix": f"feedback-{target.pk}",
    }


@register.inclusion_tag("evidence/includes/what_teams_did.html")
def what_teams_did(theme):
    """Published good practice from teams that used this theme (never drafts)."""
    return {"examples": list(good_practice_for_theme(theme)), "theme": theme}


@register.inclusion_tag("evidence/includes/record_link.html", takes_context=True)
def record_session_link(context, pack, shared=False):
    if shared:
        url = reverse("evidence:shared_start", kwargs={"token": pack.share_token})
    elif context.get("can_edit"):
        url = reverse("evidence:record") + f"?used=pack:{pack.pk}"
    else:
        url = ""
    return {"url": url, "shared": shared}


class _FieldWithoutErrors:
    """A bound field shown without its errors (the record form re-shown to add an action
    row: nothing was submitted yet). Everything else is the field's own."""

    errors = ()

    def __init__(self, bound_field):
        self._bound_field = bound_field

    def __getattr__(self, name):
        return getattr(self._bound_field, name)

    def __iter__(self):
        return iter(self._bound_field)

    def __len__(self):
        return len(self._bound_field)

    def __getitem__(self, index):
        return self._bound_field[index]

    def __str__(self):
        return str(self._bound_field)


@register.filter
def errors_shown(bound_field, show):
    """``field|errors_shown:show_errors``: the field, for the GOV.UK includes, with its
    errors only after a real submit."""
    return bound_field if show else _FieldWithoutErrors(bound_field)


@register.simple_tag
def error_summary_items(form, formset=None) -> list[dict]:
    """The error summary's items (text and href) for a form and its actions formset: the
    form's own errors link to the form, a field's to the field (radios to the first one),
    the formset's to the actions heading, an action's to its box ("Action 2: ...")."""
    items = [{"text": error, "href": "#main-form"} for error in form.non_field_errors()]
    for field in form:
        suffix = "_0" if field.widget_type == "radioselect" else ""
        items += [{"text": error, "href": f"#{field.auto_id}{suffix}"} for error in field.errors]
    if formset:
        items += [{"text": error, "href": "#actions"} for error in formset.non_form_errors()]
        for number, action_form in enumerate(formset, start=1):
            for field in action_form:
                items += [
                    {"text": f"Action {number}: {error}", "href": f"#{field.auto_id}"}
                    for error in field.errors
                ]
    return items
