"""``cleaner articles PATH... [--format jsonl|text]``: articles in reading order."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.text import Text


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace, Console, Console], int]]:
    p = sub.add_parser("articles", help="segment cleaned pages into articles and reassemble split ones")
    p.add_argument("paths", nargs="+", help="files or folders; the files of one folder are pages of one issue")
    p.add_argument("--format", choices=["jsonl", "text"], default="text")
    p.add_argument("--raw", action="store_true", help="segment the files as they are, without cleaning them first")
    return {"articles": cmd_articles}


def _print_text(out: Console, recs: list[dict]) -> None:
    for k, r in enumerate(recs, 1):
        body = Text()
        for key in ("zone", "kicker"):
            if r.get(key):
                body.append(r[key] + "\n", style="dim")
        body.append((r.get("title") or "(no title)") + "\n", style="bold")
        if r.get("subtitle"):
            body.append(r["subtitle"] + "\n", style="italic")
        meta = [f"{key}: {r[key]}" for key in ("dateline", "byline", "date", "source") if r.get(key)]
        if meta:
            body.append("  ".join(meta) + "\n", style="cyan")
        body.append("\n")
        for para in r["paragraphs"]:
            body.append(para + "\n")
        for e in r["evidence"]:
            conf = f" ({e['confidence']})" if "confidence" in e else ""
            body.append(f"\n{e['kind']}: {e.get('reason', '')}{conf}", style="yellow")
        src = ", ".join(f"{Path(s['path']).name}:{s['lines'][0]}-{s['lines'][1]}" for s in r["sources"])
        flags = [f for f in ("fragment", "open_start", "open_end") if r.get(f)]
        sub = src + (f"  [{', '.join(flags)}]" if flags else "")
        out.print(Panel(body, title=f"article {k}", subtitle=sub, title_align="left", subtitle_align="right"))


def cmd_articles(args: argparse.Namespace, out: Console, err: Console) -> int:
    from ..files import iter_inputs
    from . import articles_from_paths, build_articles

    errors: list[tuple[str, str]] = []
    try:
        if args.raw:
            items = [(str(i.path), i.path.read_text(encoding="utf-8", errors="replace")) for i in iter_inputs(args.paths)]
            recs = build_articles(items)
        else:
            recs = articles_from_paths(args.paths, errors=errors)
    except FileNotFoundError as e:
        err.print(f"[bold red]error[/]: {e}")
        return 2
    for path, msg in errors:
        err.print(f"[bold red]error[/]: {path}: {msg}", highlight=False)
    if args.format == "jsonl":
        for r in recs:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        _print_text(out, recs)
    return 2 if errors else 0
