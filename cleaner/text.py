"""Character classes and paragraph helpers shared by the rules and the article stage."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
# Marks that end a sentence (full- and half-width), closing quotes after them allowed.
TERMINAL = "。！？!?…；;"
CLOSERS = "”’」』）)》】"
OPENING_PUNCT = "“‘「『（(《【"


def bmp_table(chars: Iterable[str]) -> Any:
    """numpy booleans indexed by BMP code point: is it one of ``chars``. The
    characters must lie below U+FFFF (see :func:`bmp_marks`)."""
    import numpy as np

    codes = [ord(c) for c in chars]
    if codes and max(codes) >= 0xFFFF:
        raise ValueError("bmp_table: characters must lie below U+FFFF")
    table = np.zeros(0x10000, dtype=bool)
    table[codes] = True
    return table


def bmp_marks(text: str, table: Any) -> tuple[Any, Any]:
    """(code points of ``text``, which of them ``table`` marks), as numpy
    arrays: a page's characters looked up in one vectorised step. Astral code
    points clip to U+FFFF, which a :func:`bmp_table` never marks; lone
    surrogates pass through as themselves."""
    import numpy as np

    a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return a, table[np.minimum(a, 0xFFFF)]


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
