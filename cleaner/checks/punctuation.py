"""Unbalanced quotation marks and brackets within a paragraph.

Each paragraph (line) is scanned with a stack of opening marks. A closing mark
with no opener, an opener never closed, and openers skipped by a closer that
matches one deeper down (“《”) are reported, each at the mark itself. Nothing
is fixed: the right repair (a missing mark, a page break inside the quotation)
needs a reader.

Chinese quotes a passage of several paragraphs by opening each paragraph with
“ and closing only the last one; an opening “ left open at the end of a
paragraph whose next paragraph starts with “ is that style and is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..context import RuleContext
from ..model import Finding
from ..ruleset import Rule

PAIRS: dict[str, str] = {"“": "”", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』"}
CLOSING: dict[str, str] = {c: o for o, c in PAIRS.items()}
_MARKS = frozenset(PAIRS) | frozenset(CLOSING)


def _next_paragraph_opens_quote(text: str, end: int) -> bool:
    i = end
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i < n and text[i] == "“"


def unbalanced(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if _MARKS.isdisjoint(text):
        return
    pos = 0
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        if not _MARKS.isdisjoint(text[pos:end]):
            yield from _check_line(text, pos, end, rule)
        pos = end + 1


def _check_line(text: str, start: int, end: int, rule: Rule) -> Iterator[Finding]:
    stack: list[tuple[str, int]] = []
    line = (start, end)
    for i in range(start, end):
        ch = text[i]
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSING:
            want = CLOSING[ch]
            if stack and stack[-1][0] == want:
                stack.pop()
            elif any(o == want for o, _ in stack):
                while stack[-1][0] != want:
                    o, j = stack.pop()
                    yield rule.finding(j, j + 1, f"{o} is not closed before {ch}", related=line,
                                       data={"mark": o})
                stack.pop()
            else:
                yield rule.finding(i, i + 1, f"{ch} closes nothing in this paragraph ({want} missing)",
                                   related=line, data={"mark": ch})
    if not stack:
        return
    continued = _next_paragraph_opens_quote(text, end)
    for o, j in stack:
        if o == "“" and continued:
            continue  # multi-paragraph quotation: the next paragraph reopens it
        yield rule.finding(j, j + 1, f"{o} is not closed in this paragraph ({PAIRS[o]} missing)",
                           related=line, data={"mark": o})
