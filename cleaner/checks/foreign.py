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

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Chinese equivalents; an empty string means the word is dropped.
EQUIVALENTS: dict[str, str] = {
    "and": "和", "or": "或", "with": "与", "of": "", "the": "", "in": "", "on": "", "at": "",
    "for": "", "to": "", "by": "", "from": "", "an": "",
}
# Translations keep the meaning; deletions of prepositions may drop a nuance.
_SAFE = {"and", "or", "with", "the", "an"}
_QUICK = re.compile(r"[a-z]")
_STRAY = re.compile(
    f"(?<=[{_CJK}])[ \u00a0\u3000]*\\b({'|'.join(sorted(EQUIVALENTS, key=len, reverse=True))})\\b[ \u00a0\u3000]*(?=[{_CJK}])",
    re.IGNORECASE,
)


def stray_function_words(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not _QUICK.search(text):
        return
    for m in _STRAY.finditer(text):
        word = m.group(1)
        if word.isupper() and len(word) > 1:
            continue  # OR, IN, AND in capitals: an acronym or a code, not a connective
        low = word.lower()
        new = EQUIVALENTS[low]
        fix = "safe" if low in _SAFE else "unsafe"
        what = f"replaced by {new}" if new else "removed"
        yield rule.finding(m.start(), m.end(), f"English word {word!r} in a Chinese sentence: {what}",
                           replacement=new, fix=fix, data={"word": word})
