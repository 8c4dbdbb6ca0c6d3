"""Traditional or variant characters inside simplified text (開發區 → 开发区).

The check is per document. Two character sets are computed once from OpenCC:
the characters that t2s changes (traditional-only forms) and the ones that s2t
changes but t2s does not (simplified-only forms). A document with no
traditional-only character is skipped by a set test (the fast path). Otherwise
the document counts as simplified when simplified-only characters clearly
outnumber traditional-only ones; only then are the CJK runs holding
traditional characters converted with OpenCC's phrase-aware t2s, and only
the characters that are in the traditional-only set are replaced (so words
like 乾隆 that t2s keeps by phrase stay as they are). A traditional document is
left alone unless the rule parameter or the option ``convert_traditional`` asks
for conversion.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..context import RuleContext
from ..model import Edit, Finding
from ..ruleset import Rule
from ..text import bmp_marks, bmp_table

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{_CJK}]+")


@functools.lru_cache(maxsize=1)
def _converters():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@functools.lru_cache(maxsize=1)
def char_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(traditional-only characters, simplified-only characters) of the BMP CJK blocks."""
    t2s, s2t = _converters()
    chars = [chr(c) for r in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(*r)]
    joined = "\n".join(chars)
    to_simp = t2s.convert(joined).split("\n")
    to_trad = s2t.convert(joined).split("\n")
    trad = frozenset(c for c, o in zip(chars, to_simp) if c != o)
    simp = frozenset(c for c, o in zip(chars, to_trad) if c != o) - trad
    return trad, simp


@functools.lru_cache(maxsize=1)
def _trad_re() -> re.Pattern[str]:
    """One character class of every traditional-only character: the fast-path test."""
    trad, _ = char_sets()
    return re.compile("[" + "".join(re.escape(c) for c in sorted(trad)) + "]")


def document_script(text: str, max_share: float = 0.3) -> tuple[str, int, int]:
    """Classify ``text`` as ``simplified``, ``traditional`` or ``neutral``; with the counts."""
    trad, simp = char_sets()
    chars = set(text)
    if not chars & trad:
        return ("simplified" if chars & simp else "neutral"), 0, 0
    n_trad = sum(1 for c in text if c in trad)
    n_simp = sum(1 for c in text if c in simp)
    kind = "simplified" if n_simp > 0 and n_trad <= max_share * (n_trad + n_simp) else "traditional"
    return kind, n_trad, n_simp


@functools.lru_cache(maxsize=1)
def _trad_table():
    """numpy booleans by BMP code point: is it a traditional-only character."""
    return bmp_table(char_sets()[0])


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a traditional-only character: the fast path. A page
    goes through a code-point table in numpy (40% of the regex search's time);
    short texts take the regex."""
    if len(text) < 2000:
        return _trad_re().search(text) is not None
    return bool(bmp_marks(text, _trad_table())[1].any())


def traditional_chars(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not has_traditional(text):
        return
    trad, _ = char_sets()
    kind, n_trad, n_simp = document_script(text, float(rule.params.get("max_traditional_share", 0.3)))
    force = bool(ctx.options.get("convert_traditional", rule.params.get("convert_traditional", False)))
    if kind != "simplified" and not force:
        return
    t2s, _ = _converters()
    for m in _RUN.finditer(text):
        run = m.group(0)
        if trad.isdisjoint(run):
            continue
        conv = t2s.convert(run)
        if len(conv) != len(run):  # a phrase changed length: fall back to single characters
            conv = "".join(t2s.convert(c) if c in trad else c for c in run)
        i = 0
        while i < len(run):
            if run[i] in trad and conv[i] != run[i] and len(conv) == len(run):
                j = i + 1
                while j < len(run) and run[j] in trad and conv[j] != run[j]:
                    j += 1
                a, b = m.start() + i, m.start() + j
                yield rule.finding(a, b, f"traditional {run[i:j]} in {kind} text: {conv[i:j]}",
                                   edits=[Edit(a, b, conv[i:j])],
                                   data={"trad": n_trad, "simp": n_simp, "document": kind})
                i = j
            else:
                i += 1
