"""Rich rendering of one proposed change: where, which rule, why, and a char-level diff.

Context is cut to fit the terminal by *cells* (a CJK character is two cells
wide), so the line under the diff can point at the change exactly.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from ..diffing import changes, line_col, visible
from ..report import changes_text
from .session import Change

SAFETY_STYLE = {"safe": "green", "unsafe": "yellow", "none": "dim"}


def oneline(s: str) -> str:
    """Context shown on one line: line breaks and tabs as visible marks, other controls as symbols."""
    out = []
    for ch in s:
        if ch in "\n\r\t":
            out.append(visible(ch))
        elif ord(ch) < 0x20:
            out.append(chr(0x2400 + ord(ch)))
        else:
            out.append(ch)
    return "".join(out)


def fit_left(s: str, cells: int) -> str:
    """The longest tail of ``s`` that fits in ``cells`` terminal cells."""
    used = 0
    i = len(s)
    while i > 0 and used + cell_len(s[i - 1]) <= cells:
        i -= 1
        used += cell_len(s[i])
    return s[i:]


def fit_right(s: str, cells: int) -> str:
    """The longest head of ``s`` that fits in ``cells`` terminal cells."""
    used = 0
    i = 0
    while i < len(s) and used + cell_len(s[i]) <= cells:
        used += cell_len(s[i])
        i += 1
    return s[:i]


def diff_text(before: str, after: str) -> Text:
    """``before`` → ``after`` as one line: deletions red struck through, insertions green."""
    return changes_text(before, after, changes(before, after), 0, len(before), plain=oneline)


def header(ch: Change, decided: str | None = None) -> Text:
    f = ch.finding
    line, col = line_col(ch.text, ch.site.lo)
    t = Text.assemble(
        (ch.path, "bold"), f":{line}:{col}", "  ",
        (f"change {ch.index + 1}/{ch.total}", "cyan"),
        (f"  pass {ch.pass_no}" if ch.pass_no > 1 else "", "cyan"),
        "\n",
        (f.rule, "bold red"), " ", (f.name or "", "bold"), "  ",
        (f"[{f.category}]", "magenta"), "  ",
        (f.safety, SAFETY_STYLE.get(f.safety, "")), "  ",
        f"confidence {f.confidence:.2f}",
    )
    if decided:
        t.append(f"  (decided before: {decided})", "yellow")
    t.append("\n")
    t.append(f.message)
    return t


def change_line(ch: Change, width: int, context: int = 40, replacement: str | None = None) -> tuple[Text, Text]:
    """The diff with up to ``context`` characters each side, cut to ``width`` cells; and a marker line."""
    text, s = ch.text, ch.site
    after = s.after if replacement is None else replacement
    mid = diff_text(s.before, after)
    mid_cells = cell_len(mid.plain)
    room = max(0, width - 4 - mid_cells)
    left = oneline(text[max(0, s.lo - context) : s.lo])
    right = oneline(text[s.hi : s.hi + context])
    lcells = min(cell_len(left), room // 2 + max(0, room // 2 - cell_len(right)))
    left = fit_left(left, lcells)
    right = fit_right(right, room - cell_len(left))
    line = Text("  ")
    line.append(left, "dim")
    line.append_text(mid)
    line.append(right, "dim")
    marks = Text("  " + " " * cell_len(left) + "^" * max(1, mid_cells), "bold cyan")
    return line, marks


MIN_MOVE = 8


def find_move(ch: Change) -> tuple[int, int, int] | None:
    """(start, end, destination) when the fix moves a block of text instead of changing it.

    A move is a fix whose edits delete one span and insert exactly that text
    elsewhere (article or paragraph reassembly); it is shown as a move, not as
    a deletion and an unrelated insertion.
    """
    edits = ch.finding.edits
    if len(edits) != 2:
        return None
    for a, b in (edits, edits[::-1]):
        moved = ch.text[a.start : a.end]
        if not a.replacement and b.start == b.end and len(moved) >= MIN_MOVE and b.replacement == moved:
            return a.start, a.end, b.start
    return None


def _abridge(s: str, cells: int) -> str:
    s = oneline(s)
    if cell_len(s) <= cells:
        return s
    half = max(1, (cells - 3) // 2)
    return fit_right(s, half) + " … " + fit_left(s, half)


def render_move(ch: Change, move: tuple[int, int, int], width: int, context: int = 40) -> list[RenderableType]:
    lo, hi, dst = move
    text = ch.text
    (l1, c1), (l2, c2) = line_col(text, lo), line_col(text, dst)
    room = max(10, width - 4)
    head = Text.assemble(("  moved ", "bold cyan"), (f"{hi - lo} characters", "cyan"),
                         f"  from line {l1}:{c1} to line {l2}:{c2}")
    block = Text.assemble(("  ", ""), (_abridge(text[lo:hi], room), "bold cyan"))
    side = max(0, (room - 3) // 2)
    dest = Text.assemble(("  to: ", "dim"), (fit_left(oneline(text[max(0, dst - context) : dst]), side - 3), "dim"),
                         ("⟪…⟫", "bold green"), (fit_right(oneline(text[dst : dst + context]), side - 3), "dim"))
    src = Text.assemble(("  from: ", "dim"), (fit_left(oneline(text[max(0, lo - context) : lo]), side - 4), "dim"),
                        ("⟪…⟫", "bold red strike"), (fit_right(oneline(text[hi : hi + context]), side - 4), "dim"))
    return [head, block, src, dest]


def render_change(ch: Change, width: int = 100, context: int = 40, decided: str | None = None) -> RenderableType:
    move = find_move(ch)
    if move is not None:
        return Group(header(ch, decided), Text(""), *render_move(ch, move, width, context))
    line, marks = change_line(ch, width, context)
    s = ch.site
    parts: list[RenderableType] = [header(ch, decided), Text(""), line, marks]
    if any(c != visible(c) for c in s.before + s.after) or len(s.before) + len(s.after) > 20:
        parts.append(Text.assemble(("  before: ", "dim"), (visible(s.before) or "∅", "red")))
        parts.append(Text.assemble(("  after:  ", "dim"), (visible(s.after) or "∅", "green")))
    return Group(*parts)
