"""Work units of a batch run, listed lazily and always in the same order.

INPUT may be a folder tree (every non-hidden file), a glob pattern
(``'dump/**/*.txt'``) or a JSONL file (one object per line with a ``text``
field; every other field is metadata carried through). A folder or glob gives
one unit per file; a JSONL file is cut into chunks of whole lines
(:data:`CHUNK_BYTES`) so that neither the parent nor a worker ever holds the
whole dump, and so that a resumed run sees exactly the same units.

The units are listed lazily: a folder tree is walked folder by folder, and
the matches of a glob pattern are sorted on disk (:func:`_sorted_on_disk`),
so listing holds the entries of one folder at a time, never the whole dump.
"""

from __future__ import annotations

import glob
import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK_BYTES = 1 << 20  # JSONL units: about 1 MiB of whole lines each


@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a whole file, or a byte range of whole JSONL lines."""

    key: str  # output-relative path (files) or "<name>#<offset>" (JSONL chunks)
    path: str  # the input file
    kind: str = "file"  # "file" | "jsonl"
    offset: int = 0
    length: int = -1  # -1: the whole file
    size: int = 0  # bytes, for progress

    @property
    def id(self) -> str:
        """Stable name of this unit (its manifest entry)."""
        return unit_id(self.key)


def unit_id(key: str) -> str:
    return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()


class InputError(ValueError):
    pass


def input_mode(spec: str) -> str:
    """``"tree"``, ``"glob"`` or ``"jsonl"`` for an INPUT argument."""
    p = Path(spec)
    if p.is_dir():
        return "tree"
    if p.is_file():
        return "jsonl" if p.suffix.lower() in (".jsonl", ".ndjson") else "tree"
    if glob.has_magic(spec):
        return "glob"
    raise InputError(f"{spec}: no such file, folder or matching pattern")


def iter_tasks(spec: str) -> Iterator[Task]:
    """Every unit of INPUT, in a deterministic order (sorted per folder)."""
    mode = input_mode(spec)
    p = Path(spec)
    if mode == "jsonl":
        yield from _jsonl_chunks(p)
    elif mode == "glob":
        base = Path(_glob_base(spec))
        for f in _sorted_on_disk(glob.iglob(spec, recursive=True)):
            fp = Path(f)
            if fp.is_file() and not _hidden(fp.relative_to(base)):
                yield _file_task(fp, fp.relative_to(base))
    elif p.is_file():
        yield _file_task(p, Path(p.name))
    else:
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                f = Path(root) / name
                if f.is_file():
                    yield _file_task(f, f.relative_to(p))


def _sorted_on_disk(paths: Iterable[str]) -> Iterator[str]:
    """``sorted(paths)``, sorted by SQLite in a temporary database (its pages
    spill to a temporary file beyond a small cache), for a pattern may match
    millions of files. The sort key is the path in UTF-32-BE, whose bytes
    compare (memcmp, as SQLite compares blobs) in code-point order, as
    Python compares strings; ``surrogatepass`` keeps the undecodable bytes
    of file names (``surrogateescape``) in their place."""
    db = sqlite3.connect("")  # private, temporary, deleted on close
    try:
        db.execute("CREATE TABLE p (k BLOB NOT NULL)")
        it = iter(paths)
        while True:
            rows = [(p.encode("utf-32-be", "surrogatepass"),) for _, p in zip(range(4096), it)]
            if not rows:
                break
            db.executemany("INSERT INTO p VALUES (?)", rows)
        cur = db.execute("SELECT k FROM p ORDER BY k")
        while rows := cur.fetchmany(4096):
            for (k,) in rows:
                yield k.decode("utf-32-be", "surrogatepass")
    finally:
        db.close()


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _glob_base(pattern: str) -> str:
    """The longest leading folder of ``pattern`` without wildcards."""
    parts = Path(pattern).parts
    fixed: list[str] = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return str(Path(*fixed)) if fixed else "."


def _file_task(f: Path, rel: Path) -> Task:
    return Task(key=rel.as_posix(), path=str(f), size=f.stat().st_size)


def _jsonl_chunks(p: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[Task]:
    """Cut a JSONL file at line ends into chunks of about ``chunk_bytes``."""
    size = p.stat().st_size
    start = 0
    with p.open("rb") as fh:
        while start < size:
            fh.seek(min(size, start + chunk_bytes))
            if start + chunk_bytes >= size:
                end = size
            else:
                fh.readline()  # to the end of the line the cut fell into
                end = fh.tell()
            yield Task(key=f"{p.name}#{start:012d}", path=str(p), kind="jsonl",
                       offset=start, length=end - start, size=end - start)
            start = end
