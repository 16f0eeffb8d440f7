"""Words: how the search reads text, the same way for a query, a snippet and the
vocabulary, whichever database runs.

Tokens are runs of letters and digits (``[^\\W_]+``), lower-cased; a possessive ``'s``
is dropped ("Clare's law" reads as "clare law"), other apostrophes, hyphens, underscores,
punctuation, symbols and emoji separate words. Stems come from the Snowball English
stemmer, the one PostgreSQL's ``english`` configuration uses.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

MAX_QUERY_LENGTH = 200

# PostgreSQL's english.stop (Snowball's list), so both databases drop the same words.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now
    """.split()
)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"(?<=[^\W_])['’]s\b", re.UNICODE | re.IGNORECASE)
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}", re.UNICODE)

_local = threading.local()


def clean_query(raw: str | None) -> str:
    """What a practitioner typed, made safe to search: no control characters (NUL
    included), no runaway length, single spaces."""
    if not raw:
        return ""
    text = "".join(ch if ch.isprintable() else " " for ch in str(raw)[: MAX_QUERY_LENGTH * 4])
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def normalise_query(raw: str | None) -> str:
    """The form a query is logged in: cleaned and lower-cased."""
    return clean_query(raw).casefold()


def tokens(text: str) -> list[str]:
    """The words of ``text``, lower-cased, in order."""
    return [match.group().casefold() for match in _TOKEN.finditer(_POSSESSIVE.sub("", text))]


def token_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word of ``text`` with where it is: (start, end, lower-cased word)."""
    return [(m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(text)]


def _stemmer():
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word.casefold())


def stems(words) -> tuple[str, ...]:
    return tuple(stem(word) for word in words)


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS


def vocabulary_words(text: str) -> set[str]:
    """The content words of ``text`` worth suggesting: letters only, 3 to 40 long, not
    stop words."""
    return {
        word
        for word in (m.group().casefold() for m in _VOCABULARY_WORD.finditer(text or ""))
        if word not in STOP_WORDS
    }
