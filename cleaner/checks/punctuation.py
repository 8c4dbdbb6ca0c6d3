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
from ..memo import store
from ..model import Finding
from ..ruleset import Rule

PAIRS: dict[str, str] = {"“": "”", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』"}
CLOSING: dict[str, str] = {c: o for o, c in PAIRS.items()}
_MARKS = frozenset(PAIRS) | frozenset(CLOSING)
# Only the marks are visited: the text between them is never looked at.
_QUICK = re.compile("[" + "".join(sorted(_MARKS)) + "]")


def _next_paragraph_opens_quote(text: str, end: int) -> bool:
    i = end
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return i < n and text[i] == "“"


# What one line holds, as found by :func:`_scan_line`: the problems found inside
# it, in order, as (position in the line, message, mark), and the openers left
# unclosed at its end as (mark, position).
_LineScan = tuple[tuple[tuple[int, str, str], ...], tuple[tuple[str, int], ...]]
_CLEAN: _LineScan = ((), ())
_SCANNED: dict[str, _LineScan] = {}


def _scan_line(line: str) -> _LineScan:
    """Match the marks of one line with a stack (see the module docstring)."""
    if not _QUICK.search(line):
        return _CLEAN
    stack: list[tuple[str, int]] = []
    found: list[tuple[int, str, str]] = []
    for m in _QUICK.finditer(line):
        ch = m.group(0)
        i = m.start()
        if ch in PAIRS:
            stack.append((ch, i))
            continue
        want = CLOSING[ch]
        if stack and stack[-1][0] == want:
            stack.pop()
        elif any(o == want for o, _ in stack):
            while stack[-1][0] != want:
                o, j = stack.pop()
                found.append((j, f"{o} is not closed before {ch}", o))
            stack.pop()
        else:
            found.append((i, f"{ch} closes nothing in this paragraph ({want} missing)", ch))
    if not found and not stack:
        return _CLEAN
    return tuple(found), tuple(stack)


def _all_but(chars: str) -> str:
    """A character class of every character but ``chars``. (A class written as
    the ranges between them tests a little faster, but the pattern repeats it
    hundreds of times and ``re`` then takes over a second to compile it: a cost
    every command would pay at start-up.)"""
    return "[^" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


def _balanced_prefix(depth: int) -> re.Pattern[str]:
    """A pattern that matches text from a line start for as long as every line
    is balanced: each mark pairs with its closer on the same line, nested at
    most ``depth`` deep. Its match stops at the first mark that breaks this (a
    closer with no opener, an opener not closed in its line, or deeper
    nesting), so one C-speed match skips all the balanced lines before it."""
    marks = "".join(_MARKS)
    between = _all_but(marks) + "*+"  # text between pairs, line breaks included
    inside = _all_but(marks + "\n") + "*+"  # a pair never spans a line break
    level = inside
    for _ in range(depth):
        pair = "(?:" + "|".join(o + level + c for o, c in PAIRS.items()) + ")"
        level = inside + f"(?:{pair}{inside})*+"
    return re.compile(between + f"(?:{pair}{between})*+")


# Possessive quantifiers: the split of a line into pairs is unique, so nothing
# is lost by never backtracking, and a failing line costs no more than its length.
_BALANCED = _balanced_prefix(3)


def unbalanced(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """PU001. Only the lines where :data:`_BALANCED` stops are scanned with the
    stack (every other line is balanced, and its scan would find nothing); the
    verdict on each is memoised by its text, for later engine passes."""
    memo = _SCANNED
    n = len(text)
    match = _BALANCED.match
    pos = match(text).end()
    while pos < n:
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        if end < 0:
            end = n
        line = text[start:end]
        r = memo.get(line)
        if r is None:
            r = store(memo, line, _scan_line(line))
        if r is not _CLEAN:
            found, left = r
            for j, message, mark in found:
                yield rule.finding(start + j, start + j + 1, message, related=(start, end), data={"mark": mark})
            if left:
                yield from _unclosed(text, [(o, start + j) for o, j in left], end, (start, end), rule)
        pos = match(text, end).end()


def _unclosed(text: str, stack: list[tuple[str, int]], end: int, line: tuple[int, int],
              rule: Rule) -> Iterator[Finding]:
    continued = _next_paragraph_opens_quote(text, end)
    for o, j in stack:
        if o == "“" and continued:
            continue  # multi-paragraph quotation: the next paragraph reopens it
        yield rule.finding(j, j + 1, f"{o} is not closed in this paragraph ({PAIRS[o]} missing)",
                           related=line, data={"mark": o})
