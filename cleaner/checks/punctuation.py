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

import re
from collections.abc import Iterator

from ..context import RuleContext
from ..model import Finding
from ..ruleset import Rule

PAIRS: dict[str, str] = {"“": "”", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』"}
CLOSING: dict[str, str] = {c: o for o, c in PAIRS.items()}
_MARKS = frozenset(PAIRS) | frozenset(CLOSING)
# Only the marks and line ends are visited: the text between them is never looked at.
_SCAN = re.compile("[" + "".join(sorted(_MARKS)) + "\n]")
_QUICK = re.compile("[" + "".join(sorted(_MARKS)) + "]")


def _next_paragraph_opens_quote(text: str, end: int) -> bool:
    i = end
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i < n and text[i] == "“"


def unbalanced(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    if not _QUICK.search(text):
        return
    stack: list[tuple[str, int]] = []
    line_start = 0
    for m in _SCAN.finditer(text):
        ch = m.group(0)
        i = m.start()
        line = (line_start, i)
        if ch == "\n":
            if stack:
                yield from _unclosed(text, stack, i, line, rule)
                stack = []
            line_start = i + 1
        elif ch in PAIRS:
            stack.append((ch, i))
        else:
            want = CLOSING[ch]
            if stack and stack[-1][0] == want:
                stack.pop()
            elif any(o == want for o, _ in stack):
                while stack[-1][0] != want:
                    o, j = stack.pop()
                    yield rule.finding(j, j + 1, f"{o} is not closed before {ch}", related=_line(text, j),
                                       data={"mark": o})
                stack.pop()
            else:
                yield rule.finding(i, i + 1, f"{ch} closes nothing in this paragraph ({want} missing)",
                                   related=_line(text, i), data={"mark": ch})
    if stack:
        yield from _unclosed(text, stack, len(text), (line_start, len(text)), rule)


def _line(text: str, i: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, i) + 1
    b = text.find("\n", i)
    return a, len(text) if b < 0 else b


def _unclosed(text: str, stack: list[tuple[str, int]], end: int, line: tuple[int, int],
              rule: Rule) -> Iterator[Finding]:
    continued = _next_paragraph_opens_quote(text, end)
    for o, j in stack:
        if o == "“" and continued:
            continue  # multi-paragraph quotation: the next paragraph reopens it
        yield rule.finding(j, j + 1, f"{o} is not closed in this paragraph ({PAIRS[o]} missing)",
                           related=line, data={"mark": o})
