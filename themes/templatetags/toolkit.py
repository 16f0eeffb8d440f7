"""Template helpers shared by the public pages."""

from __future__ import annotations

from django import template

from content.richtext import render_markdown
from themes.provenance import PARAGRAPH_BREAK, render, strip_marks

register = template.Library()


@register.filter
def prose(text: str | None) -> str:
    """Content text as GOV.UK paragraphs and bulleted lists, with light Markdown (bold,
    italic, http(s) links): blank lines separate paragraphs, lines starting with '-' or
    '*' are list items. Sanitised with nh3 against an allow-list whatever the template's
    autoescaping (see ``content.richtext``)."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def querystring_without(context, name: str, value) -> str:
    """The current query string without ONE value of a parameter that may have several
    (``theme=a&theme=b`` without ``b`` gives ``theme=a``), and without ``page``: the link
    that removes one selected filter. Django's ``{% querystring %}`` does everything else
    (pagination, "did you mean"), but it can only set or delete a parameter under a name
    written in the template, not drop one value of a name held in a variable. With
    nothing left it gives the page's own path (all filters cleared)."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    params.setlist(name, [v for v in params.getlist(name) if v != str(value)])
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


@register.filter
def prose_with_sources(text: str | None) -> str:
    """Like ``prose``, for texts whose paragraphs carry a provenance line
    (``themes.provenance``): each paragraph is followed by its source, or by "Written
    by the partnership"."""
    return render(text)


@register.filter
def without_provenance(text: str | None) -> str:
    """The text without its provenance lines (for excerpts)."""
    return strip_marks(text)


@register.filter
def first_paragraph_with_source(text: str | None) -> str:
    """The text's first paragraph, followed by where it comes from (for excerpts)."""
    return render(PARAGRAPH_BREAK.split((text or "").strip(), maxsplit=1)[0])
