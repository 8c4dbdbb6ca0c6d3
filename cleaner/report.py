"""Rendering findings and diffs for people (rich) and programs (JSON, JSONL, GitHub)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import IO, Any

from rich.console import Console
from rich.text import Text

from .api import FileResult, finding_to_dict
from .diffing import Change, Hunk, hunks, line_col, visible
from .model import Finding

CONTEXT = 20


def file_dict(fr: FileResult) -> dict[str, Any]:
    """One file of ``check --format json`` (the DESIGN.md contract)."""
    d: dict[str, Any] = {"path": fr.path, "encoding": fr.encoding or "unknown"}
    if fr.error:
        d["error"] = fr.error
        d["findings"] = []
        return d
    assert fr.result is not None
    d["findings"] = [finding_to_dict(f, fr.result.original) for f in fr.result.findings]
    meta = {k: v for k, v in fr.meta.items() if k != "encoding"}
    if meta:
        d["meta"] = meta  # document metadata rules extracted (BP008: date, source)
    return d


def write_json(results: Sequence[FileResult], out: IO[str]) -> None:
    json.dump({"files": [file_dict(r) for r in results]}, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_jsonl(results: Sequence[FileResult], out: IO[str]) -> None:
    for r in results:
        d = file_dict(r)
        if r.error:
            out.write(json.dumps({"path": r.path, "error": r.error}, ensure_ascii=False) + "\n")
        for f in d["findings"]:
            out.write(json.dumps({"path": r.path, **f}, ensure_ascii=False) + "\n")


def write_github(results: Sequence[FileResult], out: IO[str]) -> None:
    """GitHub Actions workflow commands (``::warning file=…,line=…``)."""
    for r in results:
        if r.error:
            out.write(f"::error file={r.path}::{_gh_escape(r.error)}\n")
            continue
        assert r.result is not None
        text = r.result.original
        for f in r.result.findings:
            line, col = line_col(text, f.start)
            eline, ecol = line_col(text, f.end)
            level = "error" if f.category in ("encoding",) else "warning"
            out.write(
                f"::{level} title={f.rule},file={r.path},line={line},col={col},endLine={eline},endColumn={ecol}::"
                f"{_gh_escape(f'{f.rule} {f.message}')}\n"
            )


def _gh_escape(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


# ------------------------------------------------------------------------ rich text


def print_findings(console: Console, fr: FileResult) -> None:
    if fr.error:
        console.print(Text.assemble((f"{fr.path}", "bold"), ": ", ("error", "bold red"), f": {fr.error}"))
        return
    assert fr.result is not None
    text = fr.result.original
    for f in fr.result.findings:
        console.print(_finding_header(fr.path, text, f))
        console.print(_finding_context(text, f))


def _finding_header(path: str, text: str, f: Finding) -> Text:
    line, col = line_col(text, f.start)
    safety = {"safe": ("fix", "green"), "unsafe": ("unsafe fix", "yellow"), "none": ("report", "dim")}[f.safety]
    return Text.assemble(
        (path, "bold"),
        f":{line}:{col}: ",
        (f.rule, "bold red"),
        " ",
        (f"[{f.category}]", "magenta"),
        " ",
        f.message,
        " ",
        (f"({safety[0]}, {f.confidence:.2f})", safety[1]),
    )


def _finding_context(text: str, f: Finding) -> Text:
    """The finding's span with context; a fix shows as struck-out old and green new text."""
    t = Text("    ")
    if f.edits:
        a, b = f.fix_span()
        t.append(_oneline(text[max(0, a - CONTEXT) : a]), "dim")
        t.append(visible(text[a:b]), "red strike")
        t.append(visible(f.replacement(text) or ""), "green")
    else:
        a, b = f.start, f.end
        span = text[a:b]
        shown = span if len(span) <= 80 else span[:38] + " … " + span[-38:]
        t.append(_oneline(text[max(0, a - CONTEXT) : a]), "dim")
        t.append(_oneline(shown), "bold yellow")
    t.append(_oneline(text[b : b + CONTEXT]), "dim")
    return t


def _oneline(s: str) -> str:
    return s.replace("\n", "⏎")


def print_diff(console: Console, path: str, a: str, b: str, context: int = 30) -> int:
    """Print a character-level diff of ``a`` → ``b``; return the number of hunks."""
    n = 0
    for h in hunks(a, b, context):
        n += 1
        line, col = line_col(a, h.a0)
        console.print(Text.assemble(("@@ ", "cyan"), (f"{path}:{line}:{col}", "bold"), (" @@", "cyan")))
        console.print(render_hunk(a, b, h))
    return n


def render_hunk(a: str, b: str, h: Hunk) -> Text:
    return changes_text(a, b, h.changes, h.a0, h.a1, prefix="  ")


def changes_text(
    a: str,
    b: str,
    chs: Sequence[Change],
    start: int,
    end: int,
    *,
    plain: Callable[[str], str] = _oneline,
    prefix: str = "",
) -> Text:
    """``a[start:end]`` with the changes marked: deletions red struck through,
    insertions green, invisible characters made visible; ``plain`` renders the
    unchanged text between them."""
    t = Text(prefix)
    pos = start
    for ch in chs:
        t.append(plain(a[pos : ch.a0]))
        if ch.a1 > ch.a0:
            t.append(visible(a[ch.a0 : ch.a1]), "bold red strike")
        if ch.b1 > ch.b0:
            t.append(visible(b[ch.b0 : ch.b1]), "bold green")
        pos = ch.a1
    t.append(plain(a[pos:end]))
    return t


def summary_line(results: Sequence[FileResult], fixed: bool = False) -> str:
    errors = sum(1 for r in results if r.error)
    counts: Counter[str] = Counter()
    applied = 0
    for r in results:
        if r.result is not None:
            counts.update(f.rule for f in (r.result.remaining if fixed else r.result.findings))
            applied += len(r.result.edits)
    total = sum(counts.values())
    parts = [f"{len(results)} file{'s' if len(results) != 1 else ''}"]
    if fixed:
        parts.append(f"{applied} edit{'s' if applied != 1 else ''} applied")
        parts.append(f"{total} finding{'s' if total != 1 else ''} remaining")
    else:
        parts.append(f"{total} finding{'s' if total != 1 else ''}")
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    return ", ".join(parts)
