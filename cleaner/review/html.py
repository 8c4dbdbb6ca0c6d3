"""A self-contained HTML page of the diff: original and cleaned side by side.

Inline CSS only (no scripts, no external assets), so the file can be mailed or
attached to an issue. Every piece of text goes through :func:`html.escape`;
changes are ``<del>``/``<ins>`` with the rules behind them in ``title``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from ..diffing import visible
from ..model import AppliedEdit
from .sidebyside import FOLD_CONTEXT, Row, RuleIndex, Seg, fold, pair_rows

CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em}h2{font-size:1.05em;margin-top:2em;font-family:ui-monospace,monospace}
table.diff{border-collapse:collapse;width:100%;table-layout:fixed}
table.diff td{vertical-align:top;padding:1px 6px;white-space:pre-wrap;word-break:break-all;line-height:1.6}
td.n{width:3.5em;text-align:right;color:#999;font-family:ui-monospace,monospace;font-size:.85em;user-select:none}
tr.changed td.l{background:#fff5f5}tr.changed td.r{background:#f3fff3}
del{background:#ffc9c9;color:#900;text-decoration:line-through}
ins{background:#b8f5c0;color:#060;text-decoration:none}
del[title],ins[title]{cursor:help}
tr.fold td{text-align:center;color:#888;background:#f6f6f6;font-size:.85em}
.summary{color:#555}
"""


@dataclass
class FileDiff:
    path: str
    original: str
    cleaned: str
    edits: Sequence[AppliedEdit]


def _segs(segs: list[Seg]) -> str:
    out = []
    for s in segs:
        if s.kind == "eq":
            out.append(html.escape(s.text))
            continue
        tag = "del" if s.kind == "del" else "ins"
        title = f' title="{html.escape(s.title)}"' if s.title else ""
        out.append(f"<{tag}{title}>{html.escape(visible(s.text))}</{tag}>")
    return "".join(out)


def _row(r: Row | int) -> str:
    if isinstance(r, int):
        return f'<tr class="fold"><td colspan="4">⋯ {r} unchanged line{"s" if r != 1 else ""} ⋯</td></tr>'
    cls = ' class="changed"' if r.changed else ""
    ln = "" if r.left_no is None else str(r.left_no)
    rn = "" if r.right_no is None else str(r.right_no)
    return (f"<tr{cls}><td class=\"n\">{ln}</td><td class=\"l\">{_segs(r.left)}</td>"
            f"<td class=\"n\">{rn}</td><td class=\"r\">{_segs(r.right)}</td></tr>")


def report_html(files: Sequence[FileDiff], names: dict[str, str] | None = None,
                title: str = "cleaner diff", context: int = FOLD_CONTEXT) -> str:
    """The whole page as a string."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    total = sum(len(f.edits) for f in files)
    parts.append(f'<p class="summary">{len(files)} file{"s" if len(files) != 1 else ""}, '
                 f"{total} edit{'s' if total != 1 else ''}. Hover a change to see its rule.</p>")
    for f in files:
        rows = pair_rows(f.original, f.cleaned, RuleIndex(f.edits, names))
        changed = sum(1 for r in rows if r.changed)
        parts.append(f"<h2>{html.escape(f.path)} — {changed} changed line{'s' if changed != 1 else ''}, "
                     f"{len(f.edits)} edit{'s' if len(f.edits) != 1 else ''}</h2>")
        if not changed:
            parts.append("<p>No changes.</p>")
            continue
        parts.append('<table class="diff"><colgroup><col style="width:3.5em"><col><col style="width:3.5em"><col>'
                     "</colgroup><thead><tr><th></th><th>original</th><th></th><th>cleaned</th></tr></thead><tbody>")
        parts.extend(_row(r) for r in fold(rows, context))
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
