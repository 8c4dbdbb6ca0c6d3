"""Work units of a batch run, listed lazily and always in the same order.

INPUT may be a folder tree (every non-hidden file), a glob pattern
(``'dump/**/*.txt'``) or a JSONL file (one object per line with a ``text``
field; every other field is metadata carried through). A folder or glob gives
one unit per file; a JSONL file is cut into chunks of whole lines
(:data:`CHUNK_BYTES`) so that neither the parent nor a worker ever holds the
whole dump, and so that a resumed run sees exactly the same units.

The units are listed lazily: a folder tree is walked folder by folder
(:func:`_walk_tree`), the names of a folder held in a list up to
:data:`_LIST_IN_MEMORY` and sorted on disk beyond, and the matches of a glob
pattern are sorted on disk (:func:`_sorted_on_disk`), so listing holds a
bounded number of names, never the whole dump nor a whole flat folder.
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
_LIST_IN_MEMORY = 50_000  # names of one folder kept in a list; beyond that, sorted on disk
_DISK_BATCH = 4096  # rows per SQLite insert / fetch


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
        yield from _walk_tree(p)


def _walk_tree(top: Path) -> Iterator[Task]:
    """The file units of the folder tree ``top``: exactly what ``os.walk(top)``
    (top-down, ``followlinks=False``, ``onerror=None``) gives with each
    folder's files and then its subfolders taken in ``sorted()`` order and
    names starting with "." skipped — a folder's files (entries that are not
    folders and for which ``Path.is_file()`` holds, so symlinks to files
    count), then its subfolders one after the other; a symlink to a folder is
    listed but not entered (so it gives nothing), a folder that cannot be
    listed, or fails while being listed, is skipped with everything under it.

    Unlike ``os.walk``, which lists a whole folder in memory, the names of a
    folder are streamed from ``os.scandir`` into :class:`_Names` (a list up
    to :data:`_LIST_IN_MEMORY`, a temporary SQLite table beyond), so a flat
    folder of millions of files costs a bounded amount of memory; and the
    walk keeps its own stack, so depth is not limited by recursion."""
    pending: list[Iterator[str]] = [iter([os.fspath(top)])]  # folders to walk, per level
    while pending:
        folder = next(pending[-1], None)
        if folder is None:
            pending.pop()
            continue
        listing = _list_folder(folder)
        if listing is None:
            continue
        files, dirs = listing
        try:
            for name in files.sorted():
                f = Path(folder) / name
                if f.is_file():
                    try:
                        task = _file_task(f, f.relative_to(top))
                    except FileNotFoundError:  # vanished since is_file()
                        continue
                    yield task
        except BaseException:
            dirs.close()
            raise
        finally:
            files.close()
        pending.append(_subfolders(folder, dirs))


def _list_folder(folder: str) -> tuple[_Names, _Names] | None:
    """(files, subfolders) of ``folder`` as ``os.walk`` splits them (an entry
    is a subfolder when ``DirEntry.is_dir()`` holds, following symlinks, and
    a file otherwise), hidden names left out; None when the folder cannot be
    listed, as ``os.walk`` skips it then."""
    files, dirs = _Names(), _Names()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else files).append(name)
    except OSError:  # scandir() or the listing failed: os.walk skips the folder
        files.close()
        dirs.close()
        return None
    except BaseException:
        files.close()
        dirs.close()
        raise
    return files, dirs


def _subfolders(folder: str, dirs: _Names) -> Iterator[str]:
    """The paths of the subfolders to walk into, in order: ``os.walk`` checks
    ``islink`` just before entering each and does not enter symlinks."""
    for name in dirs.sorted():
        path = os.path.join(folder, name)
        if not os.path.islink(path):
            yield path


class _Names:
    """The names of one folder, given back in ``sorted()`` order: kept in a
    list up to :data:`_LIST_IN_MEMORY`, then moved to a :class:`_DiskSort`
    and added to it :data:`_DISK_BATCH` at a time."""

    __slots__ = ("_names", "_disk")

    def __init__(self) -> None:
        self._names: list[str] = []
        self._disk: _DiskSort | None = None

    def append(self, name: str) -> None:
        self._names.append(name)
        if len(self._names) > (_LIST_IN_MEMORY if self._disk is None else _DISK_BATCH):
            if self._disk is None:
                self._disk = _DiskSort()
            self._disk.add(self._names)
            self._names = []

    def sorted(self) -> Iterator[str]:
        """Every name, sorted; the names are given up as they are read."""
        names, self._names = self._names, []
        if self._disk is None:
            names.sort()
            yield from names
            return
        try:
            self._disk.add(names)
            del names
            yield from self._disk.sorted()
        finally:
            self.close()

    def close(self) -> None:
        self._names = []
        if self._disk is not None:
            self._disk.close()
            self._disk = None


class _DiskSort:
    """Strings sorted by SQLite in a temporary database (its pages spill to a
    temporary file beyond a small cache). The sort key is the string in
    UTF-32-BE, whose bytes compare (memcmp, as SQLite compares blobs) in
    code-point order, as Python compares strings; ``surrogatepass`` keeps the
    undecodable bytes of file names (``surrogateescape``) in their place."""

    __slots__ = ("_db",)

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # private, temporary, deleted on close
        self._db.execute("CREATE TABLE p (k BLOB NOT NULL)")

    def add(self, strings: Iterable[str]) -> None:
        it = iter(strings)
        while rows := [(s.encode("utf-32-be", "surrogatepass"),) for _, s in zip(range(_DISK_BATCH), it)]:
            self._db.executemany("INSERT INTO p VALUES (?)", rows)

    def sorted(self) -> Iterator[str]:
        cur = self._db.execute("SELECT k FROM p ORDER BY k")
        while rows := cur.fetchmany(_DISK_BATCH):
            for (k,) in rows:
                yield k.decode("utf-32-be", "surrogatepass")

    def close(self) -> None:
        self._db.close()


def _sorted_on_disk(paths: Iterable[str]) -> Iterator[str]:
    """``sorted(paths)``, sorted on disk (:class:`_DiskSort`), for a pattern
    may match millions of files."""
    disk = _DiskSort()
    try:
        disk.add(paths)
        yield from disk.sorted()
    finally:
        disk.close()


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
