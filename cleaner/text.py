"""Character classes and paragraph helpers shared by the rules and the article stage."""

from __future__ import annotations

import re
from collections.abc import Iterator

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# Marks that end a sentence (full- and half-width), closing quotes after them allowed.
TERMINAL = "。！？!?…；;"
CLOSERS = "”’」』）)》】"
OPENING_PUNCT = "“‘「『（(《【"


def is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff")


def cjk_share(s: str) -> float:
    """Share of CJK characters among the non-space characters of ``s``."""
    chars = [c for c in s if not c.isspace()]
    return sum(1 for c in chars if is_cjk(c)) / len(chars) if chars else 0.0


def ends_sentence(s: str) -> bool:
    """True when ``s`` (stripped) ends with terminal punctuation, closers allowed after it."""
    s = s.rstrip()
    while s and s[-1] in CLOSERS:
        if len(s) >= 2 and s[-2] in TERMINAL:
            return True
        s = s[:-1]
    return bool(s) and s[-1] in TERMINAL


_PARA_RE = re.compile(r"[^\n]+")


def lines(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the non-empty lines of ``text`` (paragraphs of a dump are lines)."""
    for m in _PARA_RE.finditer(text):
        if m.group(0).strip():
            yield m.start(), m.end()
