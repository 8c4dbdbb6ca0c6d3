"""Local engine: a process pool over the units, streaming, with a progress bar.

Units are fed to ``imap_unordered`` from a generator that blocks once
:data:`IN_FLIGHT_PER_JOB` x jobs units are queued, so neither the parent
nor the pool ever holds more than a bounded window of the dump (a Pool would
otherwise drain the whole iterator into its task queue). Each finished unit
is recorded in the manifest as soon as its summary arrives. ``jobs=1`` runs
in-process (no pickling, the reference for speed-up figures).

The pool's feeder thread, which runs that generator (listing units and
looking them up in the manifest), is told to stop when the run ends early
(Ctrl-C, an error): closing the pool waits for that thread, which would
otherwise wait forever for a place in the window.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import threading
from collections.abc import Iterable, Iterator
from typing import Any

from .inputs import Task
from .manifest import Manifest
from .segments import Location
from .worker import WorkerConfig, prepare, run_task

IN_FLIGHT_PER_JOB = 16
CHUNKSIZE = 4

Summary = dict[str, Any]
Known = tuple[str, Location] | None


def _call(args: tuple[Task, WorkerConfig, Known]) -> Summary:
    return run_task(*args)


def run_local(tasks: Iterable[Task], cfg: WorkerConfig, manifest: Manifest, fp: str,
              jobs: int) -> Iterator[Summary]:
    """Process every unit; yields summaries in completion order.

    The pool is forked here, before the caller starts a progress bar (whose
    refresh thread must not exist at fork time).
    """
    def args() -> Iterator[tuple[Task, WorkerConfig, Known]]:
        for t in tasks:
            yield t, cfg, manifest.known(t.id, fp)

    prepare(cfg)
    # The cleaner's tables (the lexicon: ~350,000 entries) never become garbage:
    # move them out of the collector's sight, so full collections do not walk
    # them again and again, and forked workers do not copy the pages they sit on.
    gc.freeze()
    if jobs <= 1:
        return _inline(args(), manifest, fp)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    return _pooled(ctx.Pool(jobs), args(), manifest, fp, jobs)


def _inline(args: Iterator[tuple[Task, WorkerConfig, Known]], manifest: Manifest, fp: str) -> Iterator[Summary]:
    for a in args:
        s = run_task(*a)
        manifest.record(s["id"], s["key"], s["hash"], fp, s["loc"])
        yield s


def _pooled(pool: Any, args: Iterator[tuple[Task, WorkerConfig, Known]], manifest: Manifest, fp: str,
            jobs: int) -> Iterator[Summary]:
    window = threading.BoundedSemaphore(max(IN_FLIGHT_PER_JOB, CHUNKSIZE * 2) * jobs)
    stop = threading.Event()

    def bounded() -> Iterator[tuple[Task, WorkerConfig, Known]]:
        for a in args:
            while not window.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield a

    with pool:  # terminates the workers on exit, also on Ctrl-C or an error
        try:
            for s in pool.imap_unordered(_call, bounded(), chunksize=CHUNKSIZE):
                window.release()
                manifest.record(s["id"], s["key"], s["hash"], fp, s["loc"])
                yield s
        finally:
            stop.set()
