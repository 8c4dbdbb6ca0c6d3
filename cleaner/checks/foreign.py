"""Stray English function words inside Chinese sentences (精神 and 习近平).

Copy-paste and machine translation leave English connectives between Chinese
words. Only a closed list of lower-case function words is touched, and only
when Chinese characters stand on both sides (spaces allowed), so acronyms and
model names (MES, LED, CVD, 3D, 5G, T20, 10kV) and English phrases (made in
China, in situ) are never matched. Words with a Chinese equivalent are
translated (and → 和); the others are removed together with their spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..context import RuleContext
from ..model import Finding
from ..ruleset import Rule
from .encoding import latin1_part

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese equivalents; an empty string means the word is dropped.
EQUIVALENTS: dict[str, str] = {
    "and": "和", "or": "或", "with": "与", "of": "的", "the": "", "in": "", "on": "", "at": "",
    "for": "", "to": "", "by": "", "from": "", "an": "",
}
# Translations keep the meaning and Chinese has no articles; dropping a
# preposition may lose a nuance (the sentence may want 在, 对, 从 there).
_SAFE = {"and", "or", "with", "of", "the", "an"}
# Fast path: Latin words are rare in Chinese text; the context test runs only for them.
_LATIN = re.compile(r"[A-Za-z]+")
_CJK_CH = re.compile(f"[{_CJK}]")
_SPACES = " \u00a0\u3000"
# Every word of EQUIVALENTS contains one of these (lower case): when the text's
# Latin-1 characters, run together, contain none, no word can match.
_CORES = (b"an", b"or", b"with", b"of", b"the", b"in", b"on", b"at", b"to", b"by", b"from")
assert all(any(c.decode() in w for c in _CORES) for w in EQUIVALENTS)


def _spaced_cjk(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of the word with its spaces when CJK characters stand on both sides.

    Spaces are optional: a lower-case English word glued between Chinese
    characters (精神and习近平) cannot be part of an English phrase either.
    """
    a = start
    while a > 0 and text[a - 1] in _SPACES:
        a -= 1
    b = end
    while b < len(text) and text[b] in _SPACES:
        b += 1
    if a == 0 or b == len(text):
        return None
    if not (_CJK_CH.match(text[a - 1]) and _CJK_CH.match(text[b])):
        return None
    return a, b


def _may_have_words(text: str) -> bool:
    latin = latin1_part(text)
    if not latin:
        return False
    low = latin.lower()
    return any(c in low for c in _CORES)


_WORDS = tuple(w.encode() for w in EQUIVALENTS)
_ASCII_LETTERS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _word_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the ``[A-Za-z]+`` runs of ``text`` that are, lower-cased, a
    word of EQUIVALENTS, in order.

    The text as latin-1 bytes with ``?`` for every other character keeps the
    offsets; ``bytes.find`` for each word (memchr) then replaces a regex scan
    over every Latin word of the text.
    """
    low = text.encode("latin-1", "replace").lower()
    n = len(low)
    letters = _ASCII_LETTERS
    spans = []
    for w in _WORDS:
        k = len(w)
        p = low.find(w)
        while p >= 0:
            e = p + k
            if (p == 0 or low[p - 1] not in letters) and (e == n or low[e] not in letters):
                spans.append((p, e))
            p = low.find(w, p + 1)
    spans.sort()
    return spans


def stray_function_words(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not _may_have_words(text):
        return
    for start, end in _word_spans(text):
        word = text[start:end]
        low = word.lower()
        if word.isupper() and len(word) > 1:
            continue  # OR, IN, AND in capitals: an acronym or a code, not a connective
        if not word.islower() and not (start > 0 and text[start - 1] in _SPACES):
            continue  # glued and capitalised (临汾In): more likely a name or a code
        span = _spaced_cjk(text, start, end)
        if span is None:
            continue
        new = EQUIVALENTS[low]
        fix = "safe" if low in _SAFE else "unsafe"
        what = f"replaced by {new}" if new else "removed"
        yield rule.finding(span[0], span[1], f"English word {word!r} in a Chinese sentence: {what}",
                           replacement=new, fix=fix, data={"word": word})
