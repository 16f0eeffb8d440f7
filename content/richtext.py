"""Safe rich text: the content's light Markdown rendered as GOV.UK HTML, and the text
itself cleaned when it is saved.

Content text fields hold plain text with light Markdown: blank lines separate
paragraphs, lines starting with ``-``, ``*`` or ``•`` are bullets (a lead line directly
followed by bullets is a paragraph then a list), ``**bold**``, ``*italic*`` and
``[links](https://...)``.

Two layers, both built on nh3 (the Rust ``ammonia`` sanitiser) with one allow-list:

- ``sanitise_text`` runs ON SAVE (``content.sanitising``): it removes HTML tags that are
  not allowed (script and style with their content), event-handler attributes and
  links whose scheme is not http(s) or mailto, in HTML and in Markdown link targets,
  also when they were entity-encoded; "javascript:" and "onerror=" left as bare text
  lose their colon or equals sign. Ordinary prose is kept exactly as typed: "&", "<"
  and ">" in a sentence ("under 5s & their families", "age < 2") are stored as they
  are, never as entities. One-line fields (``markup=False``) keep no tag at all.
- ``render_markdown`` runs ON RENDER (the ``prose`` template filter): Markdown, then nh3
  with the allow-list, then the GOV.UK classes added to what nh3 kept. Text that was
  never sanitised on save (a bulk update, a fixture) is still safe to show.
"""

from __future__ import annotations

import html
import re
import threading
from html.parser import HTMLParser

import markdown
import nh3
from django.core.validators import URLValidator
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "a", "br"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"
# Removed together with everything inside them.
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "template", "iframe", "object", "noscript", "textarea", "title", "xmp"}
)
GOVUK_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
}

_URL_UNSAFE = re.compile(r"[\x00-\x20<>\"'`\x7f]")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Link targets keep no character that could read as markup once the text is
    stored unescaped ("<", ">", quotes, whitespace): they are percent-encoded, as a
    browser would send them anyway."""
    if attribute == "href":
        return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode()), value)
    return value


_CLEANER = nh3.Cleaner(
    attribute_filter=_attribute_filter,
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    # "*": no attribute on every tag (nh3 would otherwise allow lang and title).
    attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)

_TEXT_CLEANER = nh3.Cleaner(
    tags=set(), clean_content_tags=set(CLEAN_CONTENT_TAGS), link_rel=None, strip_comments=True
)

# Every element name an HTML parser gives a meaning to (HTML, obsolete HTML, SVG and
# MathML). "<" followed by one of these, or by "/", is treated as a tag; "<" before any
# other word ("<sleeping arrangements>", "x<y") is prose, unless what follows carries an
# attribute value or a word starting "on" ("<xss onerror=...>"): a tag, removed.
_KNOWN_ELEMENTS = frozenset(
    """a abbr acronym address animate animatemotion animatetransform annotation
    annotation-xml applet area article aside audio b base basefont bdi bdo bgsound big
    blink blockquote body br button canvas caption center circle cite clippath code col
    colgroup command content data datalist dd defs del desc details dfn dialog dir div
    dl dt element ellipse em embed feblend fecolormatrix fieldset figcaption figure
    filter font footer foreignobject form frame frameset g h1 h2 h3 h4 h5 h6 handler
    head header hgroup hr html i iframe image img input ins isindex kbd keygen label
    layer legend li line lineargradient link listing main maction map mark marker
    marquee mask math menu menuitem merror meta meter mfrac mglyph mi mn mo multicol
    nav nextid nobr noembed noframes nolayer noscript object ol optgroup option output
    p param path pattern picture plaintext polygon polyline portal pre progress q
    radialgradient rb rect rp rt rtc ruby s samp script search section select semantics
    set shadow slot small source spacer span stop strike strong style sub summary sup
    svg switch symbol table tbody td template text textarea textpath tfoot th thead time
    title tr track tspan tt u ul use var video view wbr xmp""".split()
)
# Names that start like an element able to run or load something are always tags.
_ACTIVE_PREFIXES = (
    "script",
    "style",
    "svg",
    "iframe",
    "frame",
    "img",
    "image",
    "object",
    "embed",
    "math",
    "meta",
    "link",
    "base",
    "form",
    "input",
    "template",
    "textarea",
    "video",
    "audio",
    "source",
    "applet",
    "portal",
    "xmp",
    "noscript",
)
_TAG_START = re.compile(r"<(/?)([A-Za-z][^\s/>]*)([^>]*)(>?)")
# What may follow "<word" for it to stay prose: words, spaces and plain punctuation.
_PROSE_AFTER_BRACKET = re.compile(r"^[\w \-,.;:'‘’“”!?()&%£+*]*$")
_HANDLER_LIKE = re.compile(r"(?:^|[\s/\"'])on[a-z]", re.I)
_DANGEROUS_SCHEME = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha|file):", re.I)
_SCRIPT_WORD = re.compile(r"(java|vb|live)(script):", re.I)
# "onerror=" written as text (an attribute break-out that found no tag to break out of).
# Not inside a link's query string ("?only=1"): only after a space, quote or slash.
_HANDLER_TEXT = re.compile(r"((?:^|(?<=[\s\"'/;`]))on[a-z]+\s*)=", re.I)
# Markdown inline links and images: [text](target "title") / ![alt](target).
_MD_LINK = re.compile(r"(!?)\[([^\[\]]*)\]\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
# Markdown reference definitions: [label]: target
_MD_REFERENCE = re.compile(r"^(\s*\[[^\]]+\]:\s*)<?(\S+?)>?(\s.*)?$", re.M)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_ROUNDS = 25


def _tag_like(match: re.Match, text: str) -> bool:
    """Would an HTML parser (or a reader) take this "<" as the start of a tag?"""
    name = match.group(2).lower()
    letters = re.match(r"[a-z]*", name).group(0)
    if (
        match.group(1)
        or letters in _KNOWN_ELEMENTS
        or letters.startswith(_ACTIVE_PREFIXES)
        or not name.isalnum()
    ):
        return True
    rest = match.group(3) if match.group(4) else text[match.end(3) :]
    return not _PROSE_AFTER_BRACKET.match(rest) or bool(_HANDLER_LIKE.search(rest))


def escape_stray_brackets(text: str) -> str:
    """Escape each "<" that does not start a tag, so prose like "age <2", "x<y" or
    "<sleeping arrangements>" reaches the HTML parser as text, not as a tag to drop."""

    def replace(match: re.Match) -> str:
        if _tag_like(match, text):
            return match.group(0)
        return "&lt;" + match.group(0)[1:]

    return _TAG_START.sub(replace, text)


def _url_is_dangerous(url: str) -> bool:
    """A link target whose scheme is not allowed: unescaped, without the whitespace and
    control characters browsers ignore, whatever its case."""
    normalised = _CONTROL.sub("", html.unescape(html.unescape(url)))
    if _DANGEROUS_SCHEME.match(normalised):
        return True
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", normalised)
    return bool(scheme) and scheme.group(1).lower() not in URL_SCHEMES


def _neutralise_markdown_links(text: str) -> str:
    def inline(match: re.Match) -> str:
        bang, label, target = match.groups()
        if bang or _url_is_dangerous(target.strip().lstrip("<")):
            return label
        return match.group(0)

    def reference(match: re.Match) -> str:
        if _url_is_dangerous(match.group(2)):
            return match.group(1) + "#" + (match.group(3) or "")
        return match.group(0)

    text = _MD_LINK.sub(inline, text)
    text = _MD_REFERENCE.sub(reference, text)
    # Anywhere else, "javascript:" and "onerror=" are never meaningful in the content:
    # their colon and equals sign are dropped (never a scheme or an attribute, for
    # whoever reads the text as HTML; never longer than typed).
    text = _SCRIPT_WORD.sub(r"\1\2", text)
    return _HANDLER_TEXT.sub(r"\1", text)


def _sanitise_round(text: str, cleaner: nh3.Cleaner) -> str:
    # Control characters (NUL breaks PostgreSQL) but tab, newline and carriage return.
    text = _CONTROL_CHARS.sub("", text)
    text = escape_stray_brackets(text)
    if "<" in text or "&" in text:
        text = html.unescape(cleaner.clean(text))
    return _neutralise_markdown_links(text)


def sanitise_text(text: str | None, *, markup: bool = True) -> str:
    """``text`` with anything unsafe removed, for storing. Repeated until nothing
    changes, so entity-encoded markup (``&lt;script&gt;``) cannot come back at the next
    round: the result is a fixed point, ``sanitise_text(sanitise_text(x)) ==
    sanitise_text(x)``. Plain prose comes back unchanged.

    ``markup=False`` (one-line fields: titles, names) keeps no tag at all, so the
    result is never longer than ``text`` and still fits the field's ``max_length``."""
    if not text:
        return text or ""
    cleaner = _CLEANER if markup else _TEXT_CLEANER
    current = str(text)
    for _ in range(_MAX_ROUNDS):
        cleaned = _sanitise_round(current, cleaner)
        if cleaned == current:
            return cleaned
        current = cleaned
    # Pathologically nested input: keep the words, drop every bracket.
    return _neutralise_markdown_links(current.replace("<", "").replace(">", ""))


# --- Links -------------------------------------------------------------------------

HTTP_URL_MESSAGE = "Enter a web address starting with https:// or http://."
# On URLFields (with Django's own URLValidator, which also allows ftp): http(s) only.
http_url_validator = URLValidator(schemes=["http", "https"], message=HTTP_URL_MESSAGE)


def is_http_url(value: str) -> bool:
    """Does this link lead to a web page (http or https), once the whitespace and
    control characters a browser ignores are taken out?"""
    normalised = _CONTROL.sub("", html.unescape(str(value))).lower()
    return normalised.startswith(("http://", "https://"))


# --- Rendering ------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*[-*•]\s+")
_MARKDOWN_BLOCKS_OFF = ("code", "hashheader", "setextheader", "hr", "olist", "quote", "reference")
_MARKDOWN_INLINE_OFF = ("image_link", "image_reference", "short_image_ref", "backtick")


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One configured Markdown converter per thread (they keep state while converting)."""
    md = getattr(_local, "markdown", None)
    if md is not None:
        return md.reset()
    md = markdown.Markdown(extensions=["nl2br"], output_format="html")
    for name in _MARKDOWN_BLOCKS_OFF:
        md.parser.blockprocessors.deregister(name, strict=False)
    for name in _MARKDOWN_INLINE_OFF:
        md.inlinePatterns.deregister(name, strict=False)
    _local.markdown = md
    return md


def _as_markdown(text: str) -> str:
    """The content's blocks written as unambiguous Markdown: a block of bullets is a
    list, a lead line followed by bullets is a paragraph then a list, anything else is
    a paragraph whose lines are kept as line breaks (a "-" starting one of its lines is
    text)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        bullets = [line for line in lines if _BULLET.match(line)]
        if bullets and len(bullets) == len(lines):
            out.append("\n".join("- " + _BULLET.sub("", line) for line in lines))
        elif bullets and not _BULLET.match(lines[0]) and len(bullets) == len(lines) - 1:
            out.append(_paragraph([lines[0]]))
            out.append("\n".join("- " + _BULLET.sub("", line) for line in lines[1:]))
        else:
            out.append(_paragraph(lines))
    return "\n\n".join(out)


def _paragraph(lines: list[str]) -> str:
    return "\n".join("\\" + line if re.match(r"[-*+]\s", line) else line for line in lines)


class _GovukSerializer(HTMLParser):
    """Writes nh3's output again, adding the GOV.UK classes. Only the allow-listed
    tags and attributes exist at this point; every value is escaped again."""

    BLOCK_CONTAINERS = frozenset({"", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.after_br = False

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            return
        values = dict(attrs)
        rendered = []
        for name in sorted(ALLOWED_ATTRIBUTES.get(tag, ())):
            value = values.get(name)
            if value is not None and not (name == "href" and _url_is_dangerous(value)):
                rendered.append(f' {name}="{escape(value)}"')
        if tag in GOVUK_CLASSES:
            rendered.append(f' class="{GOVUK_CLASSES[tag]}"')
        if tag == "a":
            rendered.append(f' rel="{LINK_REL}"')
        self.parts.append(f"<{tag}{''.join(rendered)}>")
        if tag == "br":
            self.after_br = True
        else:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ALLOWED_TAGS and tag != "br" and tag in self.stack:
            while self.stack:
                open_tag = self.stack.pop()
                self.parts.append(f"</{open_tag}>")
                if open_tag == tag:
                    break

    def handle_data(self, data):
        if self.after_br:
            data = data.lstrip("\n")
            self.after_br = False
        parent = self.stack[-1] if self.stack else ""
        if parent in self.BLOCK_CONTAINERS and not data.strip():
            return
        self.parts.append(str(escape(data)))

    def result(self) -> str:
        self.close()
        while self.stack:
            self.parts.append(f"</{self.stack.pop()}>")
        return "".join(self.parts)


def render_markdown(text: str | None) -> SafeString:
    """Content text as GOV.UK HTML: paragraphs, bulleted lists, bold, italic and http(s)
    or mailto links (``rel="noopener noreferrer"``), nothing else."""
    if not text or not str(text).strip():
        return mark_safe("")  # noqa: S308 - empty
    source = _as_markdown(escape_stray_brackets(str(text)))
    cleaned = _CLEANER.clean(_markdown().convert(source))
    serializer = _GovukSerializer()
    serializer.feed(cleaned)
    rendered = serializer.result().replace(f'<p class="{GOVUK_CLASSES["p"]}"></p>', "")
    return mark_safe(rendered)  # noqa: S308 - nh3 allow-list, every value escaped


def plain_text(text: str | None) -> str:
    """One line or paragraph of content as plain words, for documents that are not
    HTML (Word, PowerPoint, PDF text): tags dropped, ``**bold**`` and ``*italic*``
    without their asterisks, ``[text](url)`` as "text (url)"."""
    if not text:
        return ""
    value = sanitise_text(str(text))
    if "<" in value or "&" in value:
        value = html.unescape(nh3.clean(escape_stray_brackets(value), tags=set()))
    value = re.sub(
        r"\[([^\[\]]*)\]\(\s*<?([^()\s>]*)>?[^)]*\)",
        lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(2) else m.group(1),
        value,
    )
    value = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", value)
    value = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", value)
    return value
