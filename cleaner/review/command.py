"""``cleaner review`` and the whole-file views of ``cleaner diff`` (--side-by-side, --stat, --html)."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..api import Cleaner, FileResult
from ..files import atomic_write_text, iter_inputs
from .decisions import DecisionStore, export_examples, read_decisions
from .html import FileDiff, report_html
from .render import render_change
from .session import KEYS, FileQueue, Session, apply_decisions
from .sidebyside import side_by_side

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

Command = Callable[[argparse.Namespace, Console, Console], int]


def register(sub: argparse._SubParsersAction) -> dict[str, Command]:
    from ..cli import _add_selection

    p = sub.add_parser("review", help="accept or reject proposed changes one at a time (like git add -p)")
    p.add_argument("paths", nargs="+", help="files or folders")
    p.add_argument("--decisions", type=Path, metavar="FILE",
                   help="apply decisions from this JSONL file without asking (works without a terminal)")
    p.add_argument("--export-examples", type=Path, metavar="DIR",
                   help="write the stored decisions as [[examples]] TOML snippets per rule into DIR, then exit")
    p.add_argument("--all", action="store_true", help="show changes decided in earlier reviews again")
    p.add_argument("--context", type=int, default=40, help="characters of context on each side")
    _add_selection(p)
    return {"review": cmd_review}


# ------------------------------------------------------------------ review


def _inputs(paths: Sequence[str], err: Console) -> list[Path] | None:
    files: list[Path] = []
    for a in paths:
        if a == "-":
            err.print("[bold red]error[/]: review needs files (decisions are kept beside them), not '-'")
            return None
        try:
            files += [inp.path for inp in iter_inputs([a])]
        except FileNotFoundError as e:
            err.print(f"[bold red]error[/]: {e}")
            return None
    return files


def _review_cleaner(args: argparse.Namespace) -> Cleaner:
    from ..cli import _cleaner

    c = _cleaner(args)
    c._decisions = None  # the session supplies the decisions itself
    return c


def cmd_review(args: argparse.Namespace, out: Console, err: Console) -> int:
    files = _inputs(args.paths, err)
    if files is None:
        return EXIT_ERROR
    if args.export_examples:
        return _export(files, args.export_examples, out)
    if args.decisions is None and not sys.stdin.isatty():
        err.print("[bold red]error[/]: cleaner review is interactive and standard input is not a terminal; "
                  "run it in a terminal, or give --decisions FILE to apply decisions from a file")
        return EXIT_ERROR
    cleaner = _review_cleaner(args)
    queues: list[FileQueue] = []
    for f in files:
        try:
            queues.append(FileQueue.load(f, cleaner))
        except (OSError, ValueError) as e:
            err.print(f"[bold red]error[/]: {f}: {e}")
            return EXIT_ERROR
    session = Session(queues, fresh=args.all)
    if args.decisions is not None:
        return _apply_file(session, args.decisions, out, err)
    return _interactive(session, out, args.context)


def _apply_file(session: Session, path: Path, out: Console, err: Console) -> int:
    try:
        with path.open(encoding="utf-8") as fh:
            decisions, bad = read_decisions(fh)
    except OSError as e:
        err.print(f"[bold red]error[/]: cannot read {path}: {e.strerror or e}")
        return EXIT_ERROR
    if bad:
        err.print(f"[yellow]warning[/]: {path}: {bad} line{'s' if bad != 1 else ''} not understood, ignored")
    applied, undecided = apply_decisions(session, decisions)
    out.print(f"{applied} decision{'s' if applied != 1 else ''} applied, {undecided} change"
              f"{'s' if undecided != 1 else ''} left undecided")
    return EXIT_OK


def _export(files: list[Path], out_dir: Path, out: Console) -> int:
    stores = {p.resolve().parent: DecisionStore.beside(p) for p in files}
    names = {p.name for p in files}
    decisions = [d for s in stores.values() for d in s.decisions.values() if d.file in names]
    counts = export_examples(decisions, out_dir)
    for rule, n in counts.items():
        out.print(f"{out_dir / (rule + '.toml')}: {n} example{'s' if n != 1 else ''}")
    if not counts:
        out.print("no decisions stored for these files")
    return EXIT_OK


class KeyReader:
    """Single keys from a terminal (cbreak mode), or whole lines as a fallback."""

    def __init__(self, fd: int = 0) -> None:
        self.fd = fd
        try:
            import termios  # noqa: F401
            import tty  # noqa: F401

            self.raw = os.isatty(fd)
        except ImportError:
            self.raw = False

    def key(self) -> str:
        if not self.raw:
            line = sys.stdin.readline()
            return line[:1] if line else "q"
        import termios
        import tty

        old = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd)
            data = os.read(self.fd, 8)
        finally:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, old)
        if not data:
            return "q"
        if data.startswith(b"\x1b"):
            return ""  # arrow keys and other escape sequences: ignored
        return data.decode("utf-8", "replace")[:1]

    def line(self, prompt: str) -> str:
        try:
            return input(prompt)
        except EOFError:
            return ""


def _interactive(session: Session, out: Console, context: int, keys: KeyReader | None = None) -> int:
    keys = keys or KeyReader()
    stored = 0 if session.fresh else session.stored()
    pending = session.pending()
    out.print(Text.assemble(("cleaner review", "bold"), f": {pending} change{'s' if pending != 1 else ''} to review"
                            + (f" ({stored} decided before; --all shows them again)" if stored else "")))
    shown = None
    counts: Counter[str] = Counter()
    while not session.quit:
        ch = session.current()
        if ch is None:
            break
        if ch is not shown:
            out.print()
            earlier = session.stores[ch.path].get(ch.key) if session.fresh else None
            out.print(render_change(ch, width=out.width, context=context,
                                    decided=earlier.decision if earlier is not None else None))
            shown = ch
        out.print(Text(f"({ch.index + 1}/{ch.total}) Accept this change [{KEYS}]? ", "bold blue"), end="")
        out.file.flush()
        k = keys.key()
        out.print(k if k.isprintable() else "")
        before = len(session.actions)
        msg = session.handle_key(k, ask=keys.line)
        if len(session.actions) > before:
            counts[session.actions[-1].label] += 1
        if msg:
            out.print(msg, style="yellow" if not msg.startswith("y -") else "")
        if k == "u":
            shown = None
    decided = Counter(d.decision for d in session.overlay.values() if d is not None)
    out.print()
    summary = ", ".join(f"{n} {kind}ed" if kind != "edit" else f"{n} edited" for kind, n in sorted(decided.items()))
    left = session.pending()
    out.print(Text.assemble(("review ", "bold"), ("finished" if session.finished and not session.quit else "stopped"),
                            f": {summary or 'nothing decided'}; {left} undecided"))
    where = sorted({str(s.path) for s in session.stores.values()})
    if decided:
        out.print(f"decisions saved in {', '.join(where)}; `cleaner fix` honours them")
    return EXIT_OK


# ------------------------------------------------------------------ diff views


def rule_names() -> dict[str, str]:
    from ..config import load_config
    from ..ruleset import builtin_rules_dir, load_rules

    try:
        return {r.id: r.name for r in load_rules([builtin_rules_dir(), *load_config().rule_dirs])}
    except Exception:  # names are decoration; a broken config is reported elsewhere
        return {}


def diff_views(args: argparse.Namespace, results: Sequence[FileResult], out: Console, err: Console) -> int:
    """``cleaner diff --side-by-side / --stat / --html FILE``; returns the exit status."""
    ok = [fr for fr in results if fr.result is not None]
    names = rule_names()
    status = EXIT_ERROR if any(fr.error for fr in results) else EXIT_OK
    if any(fr.result.changed for fr in ok) and status == EXIT_OK:  # type: ignore[union-attr]
        status = EXIT_FINDINGS
    if args.html:
        page = report_html([FileDiff(fr.path, fr.result.original, fr.result.text, fr.result.edits)  # type: ignore
                            for fr in ok], names, title=f"cleaner diff — {', '.join(args.paths)}")
        atomic_write_text(Path(args.html), page)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(args.html, 0o666 & ~umask)  # a report to share, not a private temp file
        err.print(f"wrote {args.html}")
    if args.stat:
        print_stat(out, ok, names)
    if args.side_by_side:
        width = args.width or out.width
        rows: list[Text] = []
        for fr in ok:
            r = fr.result
            assert r is not None
            rows += side_by_side(fr.path, r.original, r.text, r.edits, width, names)
        _page(out, rows, width)
    return status


def _page(out: Console, rows: list[Text], width: int) -> None:
    def emit(c: Console) -> None:
        for t in rows:
            c.print(t, no_wrap=True, overflow="ignore", crop=False, width=width)

    if out.is_terminal and len(rows) > out.height and os.environ.get("CLEANER_NO_PAGER") is None:
        os.environ.setdefault("LESS", "FRX")  # quit if one screen, keep colours
        with out.pager(styles=True):
            emit(out)
    else:
        emit(out)


def print_stat(out: Console, results: Sequence[FileResult], names: dict[str, str]) -> None:
    """Edits per file and rule, and the totals."""
    total: Counter[str] = Counter()
    t = Table("file", "edits", "rules", box=None, pad_edge=False)
    for fr in results:
        assert fr.result is not None
        c = Counter(e.rule for e in fr.result.edits)
        total.update(c)
        t.add_row(fr.path, str(sum(c.values())), "  ".join(f"{r}×{n}" for r, n in sorted(c.items())))
    out.print(t)
    if total:
        s = Table("rule", "name", "edits", box=None, pad_edge=False)
        for r, n in sorted(total.items(), key=lambda x: (-x[1], x[0])):
            s.add_row(r, names.get(r, ""), str(n))
        out.print(s)
    n = sum(total.values())
    out.print(f"{len(results)} file{'s' if len(results) != 1 else ''}, {n} edit{'s' if n != 1 else ''}", style="bold")

