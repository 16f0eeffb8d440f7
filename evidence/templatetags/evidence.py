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
