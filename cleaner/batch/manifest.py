"""The resume manifest: one JSON line per finished unit, appended (and fsync'd at the end).

A line is ``{"id", "key", "hash", "fp", "loc"}``: the unit, the content
hash of its input, the fingerprint of the rule set that cleaned it, and where
its record lies in the segment logs (:mod:`cleaner.batch.segments`).
``--resume`` skips a unit when its input still has that hash, the rule set
has the same fingerprint, and its record is intact. A torn last line (the
process was killed while appending) is ignored, so that unit is simply
redone; so is a unit whose line was lost in a system crash, or whose record
no longer matches the sizes and hashes recorded in it
(:meth:`~cleaner.batch.segments.Reader.intact`). The manifest held in memory
is one short entry per unit: the assembler reads the records through it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from .. import __version__
from ..ruleset import Rule
from .segments import Location, location


def fingerprint(rules: Sequence[Rule], options: dict) -> str:
    """Hash of the rule files, the code of python rules, the engine and options."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"cleaner {__version__}\n{json.dumps(options, sort_keys=True, default=str)}\n".encode())
    pkg = Path(__file__).resolve().parent.parent
    for name in ("engine.py", "decode.py", "batch/worker.py", "batch/neardup.py", "batch/segments.py"):
        h.update((pkg / name).read_bytes())
    seen_modules: set[str] = set()
    for r in sorted(rules, key=lambda r: r.id):
        h.update(r.id.encode())
        h.update(json.dumps(r.spec, sort_keys=True, default=str).encode())
        entry = r.spec.get("entry")
        if isinstance(entry, str) and entry not in seen_modules:
            seen_modules.add(entry)
            src = _module_file(entry)
            if src is not None:
                h.update(src.read_bytes())
    return h.hexdigest()


def _module_file(entry: str) -> Path | None:
    import importlib.util

    mod = entry.rpartition(":")[0]
    try:
        spec = importlib.util.find_spec(mod)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and Path(spec.origin).is_file() else None


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: dict[str, tuple[str, str, Location]] = {}  # id -> (hash, fingerprint, record location)
        self._fh: IO[str] | None = None
        # Segment names and fingerprints repeat across all units: one string object each.
        self._names: dict[str, str] = {}

    def _shared(self, s: str) -> str:
        return self._names.setdefault(s, s)

    def load(self) -> Manifest:
        if self.path.exists():
            with self.path.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        d = json.loads(line)
                        loc = location(d["loc"])
                        if loc is not None:
                            loc = (self._shared(loc[0]), loc[1], loc[2])
                            self.done[d["id"]] = (d["hash"], self._shared(d["fp"]), loc)
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn line from a killed run
        return self

    def known(self, task_id: str, fp: str) -> tuple[str, Location] | None:
        """(input hash, record location) of a unit done with this rule set, or None."""
        got = self.done.get(task_id)
        return (got[0], got[2]) if got and got[1] == fp else None

    def location(self, task_id: str) -> Location:
        """Where the record of a unit done in this run (or skipped as done) lies."""
        return self.done[task_id][2]

    def record(self, task_id: str, key: str, content_hash: str, fp: str, loc: Location | list) -> None:
        entry = (content_hash, self._shared(fp), (self._shared(loc[0]), int(loc[1]), int(loc[2])))
        if self.done.get(task_id) == entry:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("a", encoding="utf-8")
            if self._fh.tell() > 0:
                self._fh.write("\n")  # terminate a torn line left by a killed run
        self._fh.write(json.dumps({"id": task_id, "key": key, "hash": content_hash, "fp": fp, "loc": list(entry[2])},
                                  ensure_ascii=False) + "\n")
        self._fh.flush()  # survives the process being killed; a system crash may lose the tail (redone)
        self.done[task_id] = entry

    def close(self) -> None:
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
            self._fh = None
