"""Character-level diffs that work for Chinese (no word tokenising).

Opcodes come from rapidfuzz's Indel distance (fast, exact, C++); hunks group
nearby changes with a few dozen characters of context. Invisible characters
inside a change are shown with visible markers so that a removed U+3000 or
NBSP is not an empty red box.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz.distance import Indel

INVISIBLE = {
    " ": "·",
    "\u3000": "□",
    "\u00a0": "⍽",
    "\u200b": "‹ZWSP›",
    "\u200c": "‹ZWNJ›",
    "\u200d": "‹ZWJ›",
    "\ufeff": "‹BOM›",
    "\t": "→",
    "\n": "⏎",
    "\r": "␍",
}


def visible(s: str) -> str:
    """Make whitespace and zero-width characters visible."""
    return "".join(INVISIBLE.get(ch, ch) for ch in s)


@dataclass(frozen=True, slots=True)
class Change:
    tag: str  # "replace" | "delete" | "insert"
    a0: int
    a1: int
    b0: int
    b1: int


@dataclass(slots=True)
class Hunk:
    a0: int
    a1: int
    b0: int
    b1: int
    changes: list[Change]


def changes(a: str, b: str) -> list[Change]:
    """Character-level changes turning ``a`` into ``b`` (adjacent delete+insert merged)."""
    if a == b:
        return []
    raw = [op for op in Indel.opcodes(a, b) if op.tag != "equal"]
    out: list[Change] = []
    for op in raw:
        ch = Change(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        if out and out[-1].a1 == ch.a0 and out[-1].b1 == ch.b0:
            p = out.pop()
            ch = Change("replace", p.a0, ch.a1, p.b0, ch.b1)
        out.append(ch)
    return out


def hunks(a: str, b: str, context: int = 30) -> Iterator[Hunk]:
    """Group changes closer than ``2 * context`` characters into hunks."""
    group: list[Change] = []
    for ch in changes(a, b):
        if group and ch.a0 - group[-1].a1 > 2 * context:
            yield _hunk(group, len(a), len(b), context)
            group = []
        group.append(ch)
    if group:
        yield _hunk(group, len(a), len(b), context)


def _hunk(group: list[Change], la: int, lb: int, context: int) -> Hunk:
    first, last = group[0], group[-1]
    lead = min(context, first.a0, first.b0)
    trail = min(context, la - last.a1, lb - last.b1)
    return Hunk(first.a0 - lead, last.a1 + trail, first.b0 - lead, last.b1 + trail, group)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a code-point offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
