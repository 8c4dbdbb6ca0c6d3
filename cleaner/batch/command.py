"""``cleaner batch INPUT -o OUTPUT``: clean a whole dump, resumably.

OUTPUT receives the cleaned tree (or ``cleaned.jsonl`` for JSONL input),
``findings.jsonl``, ``duplicates.jsonl``, ``articles.jsonl`` (when the
articles stage is installed), ``report.json``, and the hidden state folder
``.cleaner-batch/`` (manifest, part files, ``run.json`` with timings) that
``--resume`` uses.

The parent keeps no per-unit state in memory: the units are listed lazily,
recorded in the state database as they are listed (:class:`~cleaner.batch.
manifest.Units`, for the assembly's fixed order) and looked up there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console

from ..files import atomic_write_text
from .inputs import InputError, Task, input_mode, iter_tasks
from .manifest import Manifest, fingerprint
from .worker import WorkerConfig, cleaner_for

STATE = ".cleaner-batch"
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace, Console, Console], int]]:
    p = sub.add_parser("batch", help="clean a whole dump (folder, glob or JSONL) in parallel, resumably")
    p.add_argument("input", help="a folder tree, a glob pattern (quote it), or a .jsonl file")
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true", help="skip units already done with the same input and rules")
    p.add_argument("--engine", choices=["local", "ray"], default="local")
    p.add_argument("--dedup", action="store_true", help="remove later copies of near-duplicate documents/paragraphs")
    p.add_argument("--no-neardup", action="store_true", help="skip near-duplicate detection")
    p.add_argument("--no-articles", action="store_true", help="skip reassembling articles (articles.jsonl)")
    p.add_argument("--text-field", default="text", help="JSONL field holding the text (default: text)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no report tables")
    from ..cli import _add_selection, _codes

    _add_selection(p)
    p.set_defaults(_codes=_codes)
    return {"batch": cmd_batch}


def cmd_batch(args: argparse.Namespace, out: Console, err: Console) -> int:
    codes = args._codes
    try:
        mode = input_mode(args.input)
    except InputError as e:
        err.print(f"[bold red]error[/]: {e}")
        return EXIT_ERROR
    out_dir: Path = args.output
    if mode == "tree" and Path(args.input).is_dir() and _inside(out_dir, Path(args.input)):
        err.print("[bold red]error[/]: the output folder must not be inside the input folder")
        return EXIT_ERROR
    state = out_dir / STATE
    if not args.resume and state.exists():
        shutil.rmtree(state)
    (state / "segments").mkdir(parents=True, exist_ok=True)
    cfg = WorkerConfig(
        state_dir=str(state.resolve()),
        select=tuple(codes(args.select)) or None,
        ignore=tuple(codes(args.ignore)),
        extend_select=tuple(codes(args.extend_select)),
        unsafe_fixes=args.unsafe_fixes,
        config=str(args.config) if args.config else None,
        no_config=args.no_config,
        text_field=args.text_field,
        neardup=not args.no_neardup,
    )
    cleaner = cleaner_for(cfg)  # validates the rule set before any worker starts
    fp = fingerprint(cleaner.rules, {"unsafe_fixes": cleaner.engine.unsafe_fixes, "neardup": cfg.neardup,
                                     "text_field": cfg.text_field, "mode": mode})
    # Without --resume the state folder was just emptied, so the manifest starts empty.
    manifest = Manifest(state / "manifest.jsonl")
    jobs = max(1, args.jobs)
    show = not args.quiet and err.is_terminal
    t0 = time.perf_counter()
    done = skipped = 0
    nbytes = 0
    try:
        manifest.load()
        units = manifest.units()  # every unit, in input order, for the assembly (on disk)

        def listed() -> Iterator[Task]:
            for t in iter_tasks(args.input):
                units.add(t.key, t.kind)
                yield t

        summaries: Iterable[dict[str, Any]] = ()
        try:
            if args.engine == "ray":
                from .ray_engine import run_ray

                summaries = run_ray(listed(), cfg, manifest, fp, jobs)
            else:
                from .runner import run_local

                summaries = run_local(listed(), cfg, manifest, fp, jobs)
            with _progress(err, show, args.input) as advance:
                for s in summaries:
                    nbytes += s["bytes"]
                    skipped += s["skipped"]
                    done += not s["skipped"]
                    advance(s["bytes"])
        finally:
            # On Ctrl-C or an error: stop the engine (its pool, and the feeder thread that
            # lists units and looks them up) before the manifest is committed and closed.
            close = getattr(summaries, "close", None)
            if close is not None:
                close()
            manifest.sync()
        map_seconds = time.perf_counter() - t0
        from .assemble import assemble

        report = assemble(out_dir, state, units, "jsonl" if mode == "jsonl" else "tree",
                          text_field=cfg.text_field,
                          neardup=cfg.neardup, dedup=args.dedup, articles=not args.no_articles, jobs=jobs)
    finally:
        manifest.close()
    from .report import print_report, write_report

    write_report(out_dir, report)
    seconds = time.perf_counter() - t0
    run = {"seconds": round(seconds, 3), "clean_seconds": round(map_seconds, 3), "units_done": done,
           "units_skipped": skipped, "bytes": nbytes, "mb_per_s": round(nbytes / 1e6 / max(seconds, 1e-9), 3),
           "jobs": jobs, "engine": args.engine}
    atomic_write_text(state / "run.json", json.dumps(run, indent=2) + "\n")
    if not args.quiet:
        print_report(err, report, run)
    if report["errors"]:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(v["findings"] > v["fixes"] for v in report["rules"].values()) else EXIT_OK


def _inside(child: Path, parent: Path) -> bool:
    c, p = child.resolve(), parent.resolve()
    return c == p or p in c.parents


class _progress:
    """Rich progress (files, MB, MB/s, ETA) on a terminal; a no-op otherwise."""

    def __init__(self, con: Console, show: bool, spec: str) -> None:
        self.con, self.show, self.spec = con, show, spec

    def __enter__(self) -> Callable[[int], None]:
        if not self.show:
            return lambda n: None
        from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                                   TransferSpeedColumn)

        total_bytes = total_files = 0
        for t in iter_tasks(self.spec):  # a stat-only pass for the totals
            total_bytes += t.size
            total_files += 1
        self.p = Progress(TextColumn("[bold]batch[/] {task.fields[units]}"), BarColumn(), DownloadColumn(),
                          TransferSpeedColumn(), TimeRemainingColumn(), console=self.con, transient=False)
        self.p.__enter__()
        task = self.p.add_task("batch", total=total_bytes, units=f"0/{total_files} files")
        done = [0]

        def advance(n: int) -> None:
            done[0] += 1
            self.p.update(task, advance=n, units=f"{done[0]}/{total_files} files")

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.show:
            self.p.__exit__(*exc)
