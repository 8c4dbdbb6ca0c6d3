"""Whole-file side-by-side view: original and cleaned text in two columns.

Lines are paired with difflib (changed lines paired by similarity), each pair
gets a character-level diff, and each side is wrapped to its column by
terminal *cells* (CJK characters are two cells wide), so every printed row is
exactly the console width and the columns line up. Long runs of unchanged
lines are folded.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel
from rich.cells import cell_len
from rich.text import Text

from ..diffing import changes, visible
from ..model import AppliedEdit

GUTTER = 5  # "1234 "
SEP = " │ "
FOLD_CONTEXT = 3


@dataclass
class Seg:
    text: str
    kind: str = "eq"  # eq | del | ins
    title: str = ""  # rules behind a change


@dataclass
class Row:
    """One original line and the cleaned line it became (either may be missing)."""

    left_no: int | None
    right_no: int | None
    left: list[Seg] = field(default_factory=list)
    right: list[Seg] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.left_no is None or self.right_no is None or any(s.kind != "eq" for s in self.left + self.right)


class RuleIndex:
    """Which rules' applied edits touch a span of the original text."""

    def __init__(self, edits: Sequence[AppliedEdit], names: dict[str, str] | None = None) -> None:
        self.spans = sorted((e.orig_start, e.orig_end, e.rule) for e in edits)
        self.names = names or {}

    def title(self, a: int, b: int) -> str:
        rules: list[str] = []
        for s, e, rule in self.spans:
            if s > b:
                break
            if (s < b and a < e) or (a == b and s <= a <= e) or (s == e and a <= s <= b):
                if rule not in rules:
                    rules.append(rule)
        return ", ".join(f"{r} {self.names[r]}" if self.names.get(r) else r for r in rules)


def _line_starts(lines: list[str]) -> list[int]:
    out, pos = [], 0
    for ln in lines:
        out.append(pos)
        pos += len(ln) + 1
    return out


def pair_rows(a: str, b: str, index: RuleIndex | None = None) -> list[Row]:
    """Rows of original/cleaned line pairs with character-level segments."""
    index = index or RuleIndex(())
    al, bl = a.split("\n"), b.split("\n")
    astart = _line_starts(al)
    rows: list[Row] = []

    def pair(i: int, j: int) -> None:
        la, lb = al[i], bl[j]
        row = Row(i + 1, j + 1)
        pa = pb = 0
        for c in changes(la, lb):
            if c.a0 > pa:
                row.left.append(Seg(la[pa : c.a0]))
            if c.b0 > pb:
                row.right.append(Seg(lb[pb : c.b0]))
            title = index.title(astart[i] + c.a0, astart[i] + c.a1)
            if c.a1 > c.a0:
                row.left.append(Seg(la[c.a0 : c.a1], "del", title))
            if c.b1 > c.b0:
                row.right.append(Seg(lb[c.b0 : c.b1], "ins", title))
            pa, pb = c.a1, c.b1
        if pa < len(la):
            row.left.append(Seg(la[pa:]))
        if pb < len(lb):
            row.right.append(Seg(lb[pb:]))
        rows.append(row)

    def left_only(i: int) -> None:
        title = index.title(astart[i], astart[i] + len(al[i]) + 1)
        rows.append(Row(i + 1, None, left=[Seg(al[i] or "⏎", "del", title)]))

    def right_only(j: int) -> None:
        rows.append(Row(None, j + 1, right=[Seg(bl[j] or "⏎", "ins")]))

    sm = difflib.SequenceMatcher(None, al, bl, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                rows.append(Row(i1 + k + 1, j1 + k + 1, [Seg(al[i1 + k])], [Seg(bl[j1 + k])]))
            continue
        j = j1
        for i in range(i1, i2):
            # a blank line only pairs with the next right line: pairing it further on would
            # push the real counterparts of the lines around it out of alignment
            reach = j + 1 if not al[i].strip() else j + 6
            match = next(
                (k for k in range(j, min(j2, reach)) if Indel.normalized_similarity(al[i], bl[k]) >= 0.5), None
            )
            if match is None:
                left_only(i)
                continue
            for k in range(j, match):
                right_only(k)
            pair(i, match)
            j = match + 1
        for k in range(j, j2):
            right_only(k)
    return rows


def fold(rows: list[Row], context: int = FOLD_CONTEXT) -> list[Row | int]:
    """Keep changed rows and ``context`` rows around them; an int stands for that many hidden rows."""
    keep = [False] * len(rows)
    for i, r in enumerate(rows):
        if r.changed:
            for k in range(max(0, i - context), min(len(rows), i + context + 1)):
                keep[k] = True
    out: list[Row | int] = []
    hidden = 0
    for r, k in zip(rows, keep):
        if k:
            if hidden:
                out.append(hidden)
                hidden = 0
            out.append(r)
        else:
            hidden += 1
    if hidden and any(keep):
        out.append(hidden)
    return out


# ------------------------------------------------------------------ terminal

STYLE = {"eq": "", "del": "bold red strike", "ins": "bold green"}


def _cells(segs: list[Seg]) -> list[tuple[str, str]]:
    """(display character, style) for each character, invisible ones made visible in changes."""
    out: list[tuple[str, str]] = []
    for s in segs:
        for ch in s.text:
            if s.kind != "eq":
                shown = visible(ch)
            elif ch == "\t" or ch == "\r":
                shown = visible(ch)
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                shown = "␡" if ord(ch) == 0x7F else chr(0x2400 + ord(ch))
            else:
                shown = ch
            for d in shown:
                out.append((d, STYLE[s.kind]))
    return out


def wrap(segs: list[Seg], width: int) -> list[Text]:
    """Wrap segments into lines of exactly ``width`` cells."""
    lines: list[Text] = []
    cur, used = Text(), 0
    for ch, style in _cells(segs):
        w = cell_len(ch)
        if w > width:  # cannot happen for width >= 2; keep the row width exact anyway
            ch, w = "?", 1
        if used + w > width:
            cur.append(" " * (width - used))
            lines.append(cur)
            cur, used = Text(), 0
        cur.append(ch, style)
        used += w
    cur.append(" " * (width - used))
    lines.append(cur)
    return lines


def column_width(total: int) -> int:
    return max(4, (total - 2 * GUTTER - len(SEP)) // 2)


def render_rows(items: list[Row | int], total: int) -> list[Text]:
    """Terminal rows, each exactly ``total`` cells wide."""
    col = column_width(total)
    pad = total - 2 * (GUTTER + col) - len(SEP)
    out: list[Text] = []
    for it in items:
        if isinstance(it, int):
            out.append(banner(f" ⋯ {it} unchanged line{'s' if it != 1 else ''} ⋯ ", total, "·", "dim"))
            continue
        left = wrap(it.left, col) if it.left_no is not None else [Text(" " * col)]
        right = wrap(it.right, col) if it.right_no is not None else [Text(" " * col)]
        n = max(len(left), len(right))
        left += [Text(" " * col)] * (n - len(left))
        right += [Text(" " * col)] * (n - len(right))
        for k in range(n):
            row = Text()
            row.append(_gutter(it.left_no if k == 0 else None), "red" if it.changed else "dim")
            row.append_text(left[k])
            row.append(SEP, "dim")
            row.append(_gutter(it.right_no if k == 0 else None), "green" if it.changed else "dim")
            row.append_text(right[k])
            row.append(" " * pad)
            out.append(row)
    return out


def _gutter(n: int | None) -> str:
    if n is None:
        return " " * GUTTER
    s = str(n)[-(GUTTER - 1) :]
    return s.rjust(GUTTER - 1) + " "


def banner(label: str, total: int, fill: str = "─", style: str = "bold") -> Text:
    """``label`` centred in a rule of exactly ``total`` cells (cut by cells if too long)."""
    from .render import fit_right

    label = fit_right(label, total)
    room = total - cell_len(label)
    return Text(fill * (room // 2) + label + fill * (room - room // 2), style)


def side_by_side(path: str, a: str, b: str, edits: Sequence[AppliedEdit], total: int,
                 names: dict[str, str] | None = None, context: int = FOLD_CONTEXT) -> list[Text]:
    """The whole view of one file: a header row, then folded rows."""
    rows = pair_rows(a, b, RuleIndex(edits, names))
    n = sum(1 for r in rows if r.changed)
    head = banner(f" {path} — {n} changed line{'s' if n != 1 else ''} ", total)
    if n == 0:
        return [head]
    return [head, *render_rows(fold(rows, context), total)]
