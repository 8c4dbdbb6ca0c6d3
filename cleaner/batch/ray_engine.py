"""Ray engine: the same per-unit function under Ray Data ``map_batches``.

Each Ray task runs :func:`~cleaner.batch.worker.run_task` on a batch of
units and appends the same records to segment logs as the local engine; the driver
records the manifest and then runs the same assembly, so the outputs are
identical to the local engine's on the same input. On a multi-machine
cluster, INPUT and OUTPUT must be on a filesystem every node mounts (NFS,
a FUSE-mounted bucket).

Near-duplicates in distributed form: the expensive part, the MinHash
signatures of every document and paragraph, is computed inside the
``map_batches`` tasks (it is part of ``run_task``); the driver then only
streams 16 band keys per item through the bucket join of
:func:`~cleaner.batch.neardup.find_clusters`, a linear pass.

The units are fed in windows of :data:`WINDOW` (one ``ray.data.from_items``
each), so the driver never holds a dict per unit of the whole dump.

Ray is optional: ``pip install 'cleaner[ray]'``. With no Ray cluster
running, a local one with ``--jobs`` CPUs is started for the run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import numpy as np

from .inputs import Task
from .manifest import Manifest
from .worker import WorkerConfig, run_task

BATCH_SIZE = 8
WINDOW = 10_000  # units per dataset: bounds the driver's memory, and is many batches for the cluster


def _clean_batch(batch: dict[str, np.ndarray], cfg: WorkerConfig) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"id": [], "key": [], "hash": [], "bytes": [], "skipped": [], "loc": []}
    for i in range(len(batch["key"])):
        t = Task(key=str(batch["key"][i]), path=str(batch["path"][i]), kind=str(batch["kind"][i]),
                 offset=int(batch["offset"][i]), length=int(batch["length"][i]), size=int(batch["size"][i]))
        known = json.loads(str(batch["known"][i])) or None  # [hash, [segment, offset, length]] or null
        s = run_task(t, cfg, (known[0], tuple(known[1])) if known else None)
        s["loc"] = json.dumps(s["loc"])  # one string column rather than a nested list
        for k in out:
            out[k].append(s[k])
    return out


def run_ray(tasks: Iterable[Task], cfg: WorkerConfig, manifest: Manifest, fp: str, jobs: int) -> Iterator[dict[str, Any]]:
    import ray

    started = False
    if not ray.is_initialized():
        ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False, configure_logging=False)
        started = True
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False
        listed = iter(tasks)
        while items := [{"key": t.key, "path": t.path, "kind": t.kind, "offset": t.offset, "length": t.length,
                         "size": t.size, "known": json.dumps(manifest.known(t.id, fp))}
                        for t in islice(listed, WINDOW)]:
            ds = ray.data.from_items(items).map_batches(_clean_batch, fn_kwargs={"cfg": cfg},
                                                        batch_size=BATCH_SIZE, batch_format="numpy")
            del items
            for row in ds.iter_rows():
                s = {"id": row["id"], "key": row["key"], "hash": row["hash"], "bytes": int(row["bytes"]),
                     "skipped": bool(row["skipped"]), "loc": json.loads(row["loc"])}
                manifest.record(s["id"], s["key"], s["hash"], fp, s["loc"])
                yield s
    finally:
        if started:
            ray.shutdown()
