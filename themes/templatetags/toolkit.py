"""Template helpers shared by the public pages."""

from __future__ import annotations

from django import template

from reviews_toolkit.richtext import render_markdown

register = template.Library()


@register.filter
def prose(text: str | None) -> str:
    """Content text as GOV.UK paragraphs and bulleted lists, with light Markdown (bold,
    italic, http(s) links): blank lines separate paragraphs, lines starting with '-' or
    '*' are list items. Sanitised with nh3 against an allow-list whatever the template's
    autoescaping (see ``reviews_toolkit.richtext``)."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def url_with(context, **changes) -> str:
    """The current query string with some parameters replaced (``None`` removes one),
    always without ``page``."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def prose_with_sources(text: str | None) -> str:
    """Like ``prose``, for texts whose paragraphs carry a provenance line
    (``themes.provenance``): each paragraph is followed by its source, or by "Written
    by the partnership"."""
    from themes.provenance import render

    return render(text)


@register.filter
def without_provenance(text: str | None) -> str:
    """The text without its provenance lines (for excerpts)."""
    from themes.provenance import strip_marks

    return strip_marks(text)


@register.filter
def first_paragraph_with_source(text: str | None) -> str:
    """The text's first paragraph, followed by where it comes from (for excerpts)."""
    from themes.provenance import PARAGRAPH_BREAK, render

    return render(PARAGRAPH_BREAK.split((text or "").strip(), maxsplit=1)[0])
