"""The resume manifest and the run's list of units, both kept on disk.

A batch of millions of files must not hold a Python object per unit in the
parent (about 0.5 KB each: half a gigabyte for a million files), so the
bookkeeping lives in two files of the state folder:

``manifest.jsonl``, the journal: one JSON line per finished unit, ``{"id",
"key", "hash", "fp", "loc"}`` (the unit, the content hash of its input, the
fingerprint of the rule set that cleaned it, and where its record lies in the
segment logs, :mod:`cleaner.batch.segments`), appended and flushed as each
unit finishes, so it survives the process being killed line by line; it is
fsync'd at the end of the map stage. It is the truth about what was done.

``manifest.sqlite``, an index of the journal (SQLite in WAL mode,
``synchronous=NORMAL``) that ``--resume`` lookups and the assembly query
instead of a dict in memory. It remembers how many bytes of the journal it
holds; opening it indexes whatever the journal has beyond that (a killed
run's last lines, whose rows were not committed yet), and a journal it does
not know (another file, or shorter than what it indexed) is indexed anew from
the start, as is a journal whose index is missing or unreadable. So an old
state folder with only ``manifest.jsonl`` resumes as before: its index is
built on the first ``--resume``. Rows are committed every
:data:`COMMIT_EVERY` records, each after its journal line, and at the end
(also on Ctrl-C or an error).

The same database holds this run's units in input order (:class:`Units`):
the assembly streams them, and looks up by ordinal the units the
near-duplicate stage asks for; and the cleaned files per folder that the
articles stage reads. SQLite's page cache is bounded (2 MB by default), so
the parent's memory does not grow with the dump.

``--resume`` skips a unit when its input still has the recorded hash, the
rule set has the same fingerprint, and its record is intact. A torn last
journal line (the process was killed while appending) is ignored, so that
unit is simply redone; so is a unit whose line was lost in a system crash,
or whose record no longer matches the sizes and hashes recorded in it
(:meth:`~cleaner.batch.segments.Reader.intact`).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .. import __version__
from ..ruleset import Rule
from .inputs import unit_id
from .segments import Location, location

COMMIT_EVERY = 64  # records per transaction: a killed run loses at most these rows (re-indexed from the journal)
COMMIT_OTHERS_EVERY = 4096  # other writes (the run's units, the cleaned files per folder): no durability needed
SCHEMA_VERSION = 1
_INDEX_BATCH = 4096  # journal lines per transaction when indexing a journal

_SCHEMA = """
CREATE TABLE manifest (id TEXT PRIMARY KEY, hash TEXT NOT NULL, fp TEXT NOT NULL,
                       seg TEXT NOT NULL, off INTEGER NOT NULL, len INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE journal (one INTEGER PRIMARY KEY CHECK (one = 0), dev INTEGER NOT NULL, ino INTEGER NOT NULL,
                      indexed INTEGER NOT NULL);
CREATE TABLE units (ordinal INTEGER PRIMARY KEY, id TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL);
CREATE TABLE folders (first INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE published (folder TEXT NOT NULL, ordinal INTEGER NOT NULL, key TEXT NOT NULL,
                        PRIMARY KEY (folder, ordinal)) WITHOUT ROWID;
"""


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


def _entry(line: bytes) -> tuple[str, str, str, str, int, int] | None:
    """A manifest row (id, hash, fp, segment, offset, length) from a journal line, or None."""
    try:
        d = json.loads(line)
        loc = location(d["loc"])
        if loc is None or not all(type(d[k]) is str for k in ("id", "hash", "fp")):
            return None  # an older manifest's line (no record), or garbage
        return (d["id"], d["hash"], d["fp"], *loc)
    except (ValueError, KeyError, TypeError):
        return None  # a torn line from a killed run


class Manifest:
    """Finished units: the journal ``path`` (``manifest.jsonl``) and its index beside it.

    One SQLite connection, shared by the threads of a run (the local pool's
    feeder thread looks units up while the main thread records them) under a
    lock. Use :meth:`load` (or any lookup) to open it, :meth:`sync` at the
    end of the map stage and :meth:`close` at the end of the run.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db_path = path.with_suffix(".sqlite")
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._fh: IO[bytes] | None = None
        self._ident = (0, 0)  # (st_dev, st_ino) of the journal the index holds
        self._end = 0  # bytes of the journal the index holds
        self._pending = 0  # manifest records since the last commit
        self._others = 0  # other writes since the last commit
        self._closed = False

    # ------------------------------------------------------------------ opening

    def load(self) -> Manifest:
        """Open the index and bring it up to date with the journal."""
        self._db()
        return self

    def _db(self) -> sqlite3.Connection:
        with self._lock:
            if self._conn is None:
                if self._closed:
                    raise RuntimeError(f"{self.path}: the manifest is closed")
                try:
                    self._conn = self._connect()
                    self._catch_up()
                except sqlite3.DatabaseError:  # not a database, or a damaged one: index the journal anew
                    self._drop()
                    self._conn = self._connect()
                    self._catch_up()
            return self._conn

    def _connect(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.db_path, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
                for name in names:
                    conn.execute(f'DROP TABLE "{name}"')
                conn.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
            conn.commit()
        except BaseException:
            conn.close()
            raise
        return conn

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.db_path) + suffix).unlink(missing_ok=True)

    def _catch_up(self) -> None:
        """Index the journal from where the index left it (from the start if it is another journal)."""
        conn = self._conn
        assert conn is not None
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        ident = (st.st_dev, st.st_ino) if st else (0, 0)
        row = conn.execute("SELECT dev, ino, indexed FROM journal").fetchall()
        if st and row and (row[0][0], row[0][1]) == ident and row[0][2] <= st.st_size:
            start = row[0][2]
        else:
            conn.execute("DELETE FROM manifest")
            start = 0
        self._ident, self._end = ident, start
        if st is not None:
            with open(self.path, "rb") as fh:
                fh.seek(start)
                batch: list[tuple[Any, ...]] = []
                pos = start
                for line in fh:
                    if not line.endswith(b"\n"):
                        break  # a torn last line: that unit is redone
                    pos += len(line)
                    e = _entry(line)
                    if e is not None:
                        batch.append(e)
                    if len(batch) >= _INDEX_BATCH:
                        conn.executemany("INSERT OR REPLACE INTO manifest VALUES (?, ?, ?, ?, ?, ?)", batch)
                        batch.clear()
                        self._end = pos
                        self._commit()
                conn.executemany("INSERT OR REPLACE INTO manifest VALUES (?, ?, ?, ?, ?, ?)", batch)
                self._end = pos
        self._commit()

    # ------------------------------------------------------------------ writing

    def _write(self, sql: str, params: Sequence[Any], record: bool = False) -> int:
        """Execute a write; the rows it changed. Other writes than manifest
        rows (``record``, committed by :meth:`record`) commit every
        :data:`COMMIT_OTHERS_EVERY`."""
        with self._lock:
            changed = self._db().execute(sql, params).rowcount
            if not record:
                self._others += 1
                if self._others >= COMMIT_OTHERS_EVERY:
                    self._commit()
            return changed

    def _commit(self) -> None:
        with self._lock:
            conn = self._conn
            if conn is None:
                return
            conn.execute("INSERT OR REPLACE INTO journal VALUES (0, ?, ?, ?)", (*self._ident, self._end))
            conn.commit()
            self._pending = self._others = 0

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._db().execute(sql, params).fetchall()

    def _journal(self) -> IO[bytes]:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")  # noqa: SIM115 - closed in sync()
            if self._fh.tell() > 0:
                self._fh.write(b"\n")  # terminate a torn line left by a killed run
            st = os.fstat(self._fh.fileno())
            self._ident = (st.st_dev, st.st_ino)
        return self._fh

    _UPSERT = ("INSERT INTO manifest VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
               "hash = excluded.hash, fp = excluded.fp, seg = excluded.seg, off = excluded.off, len = excluded.len "
               "WHERE (hash, fp, seg, off, len) IS NOT (excluded.hash, excluded.fp, excluded.seg, excluded.off, "
               "excluded.len)")

    def record(self, task_id: str, key: str, content_hash: str, fp: str, loc: Location | list) -> None:
        """Journal a finished unit (a no-op when it is recorded so already) and index it.

        The row is written first (one statement finds whether it changes
        anything) but committed only after its journal line was flushed."""
        loc = (str(loc[0]), int(loc[1]), int(loc[2]))
        with self._lock:
            if not self._write(self._UPSERT, (task_id, content_hash, fp, *loc), record=True):
                return  # skipped by --resume: recorded so already
            fh = self._journal()
            fh.write(json.dumps({"id": task_id, "key": key, "hash": content_hash, "fp": fp, "loc": list(loc)},
                                ensure_ascii=False).encode("utf-8") + b"\n")
            fh.flush()  # survives the process being killed; a system crash may lose the tail (redone)
            self._end = fh.tell()
            self._pending += 1
            if self._pending >= COMMIT_EVERY:
                self._commit()

    def sync(self) -> None:
        """Commit the index and make the journal durable (the end of the map stage)."""
        with self._lock:
            if self._fh is not None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()
                self._fh = None
            self._commit()

    def close(self) -> None:
        """:meth:`sync` and close the index; it is not opened again."""
        with self._lock:
            try:
                self.sync()
            finally:
                self._closed = True
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None

    # ------------------------------------------------------------------ lookups

    def known(self, task_id: str, fp: str) -> tuple[str, Location] | None:
        """(input hash, record location) of a unit done with this rule set, or None."""
        got = self._rows("SELECT hash, seg, off, len FROM manifest WHERE id = ? AND fp = ?", (task_id, fp))
        return (got[0][0], (got[0][1], got[0][2], got[0][3])) if got else None

    def location(self, task_id: str) -> Location:
        """Where the record of a unit done in this run (or skipped as done) lies."""
        got = self._rows("SELECT seg, off, len FROM manifest WHERE id = ?", (task_id,))
        if not got:
            raise KeyError(task_id)
        return (got[0][0], got[0][1], got[0][2])

    def units(self) -> Units:
        """This run's list of units, emptied (a new run lists its units anew)."""
        return Units(self)


UnitRow = tuple[int, str, str, Location]
"""(ordinal in the run, key, kind, record location) of a unit."""


class Units:
    """This run's units in input order, and the cleaned files per folder, in the state database.

    The map stage :meth:`add`\\ s each unit as it is listed; the assembly
    streams them with :meth:`scan`, reads single ones with :meth:`get` (the
    texts the near-duplicate stage compares), :meth:`publish`\\ es each
    cleaned file, and the articles stage reads them back per folder with
    :meth:`folders`.
    """

    def __init__(self, manifest: Manifest) -> None:
        self._m = manifest
        with manifest._lock:
            conn = manifest._db()
            for table in ("units", "folders", "published"):
                conn.execute(f"DELETE FROM {table}")
            manifest._commit()
        self._count = 0
        self._last_folder: str | None = None

    def __len__(self) -> int:
        return self._count

    def add(self, key: str, kind: str) -> None:
        """List the next unit."""
        self._m._write("INSERT INTO units VALUES (?, ?, ?, ?)", (self._count, unit_id(key), key, kind))
        self._count += 1

    _SELECT = ("SELECT u.ordinal, u.key, u.kind, m.seg, m.off, m.len FROM units u "
               "LEFT JOIN manifest m ON m.id = u.id ")

    @staticmethod
    def _row(r: Sequence[Any]) -> UnitRow:
        if r[3] is None:
            raise KeyError(f"unit {r[1]!r} has no record in the manifest")
        return (r[0], r[1], r[2], (r[3], r[4], r[5]))

    def get(self, i: int) -> UnitRow:
        """The unit with ordinal ``i``."""
        got = self._m._rows(self._SELECT + "WHERE u.ordinal = ?", (i,))
        if not got:
            raise IndexError(i)
        return self._row(got[0])

    def scan(self, batch: int = 128) -> Iterator[UnitRow]:
        """Every unit in input order, read ``batch`` rows at a time (no statement stays open
        between them, so the caller may query and write meanwhile)."""
        after = -1
        while True:
            rows = self._m._rows(self._SELECT + "WHERE u.ordinal > ? ORDER BY u.ordinal LIMIT ?", (after, batch))
            if not rows:
                return
            for r in rows:
                yield self._row(r)
            after = rows[-1][0]
            del rows, r  # one batch in memory at a time, not two

    def publish(self, i: int, key: str, folder: str) -> None:
        """Note that unit ``i`` became the cleaned file ``key`` of ``folder`` (for the articles stage)."""
        if folder != self._last_folder:  # a folder's first file fixes its place (units come in order)
            self._m._write("INSERT OR IGNORE INTO folders VALUES (?, ?)", (i, folder))
            self._last_folder = folder
        self._m._write("INSERT INTO published VALUES (?, ?, ?)", (folder, i, key))

    def folder_count(self) -> int:
        return self._m._rows("SELECT COUNT(*) FROM folders")[0][0]

    def folders(self, batch: int = 64) -> Iterator[list[str]]:
        """The published keys of each folder in run order, folders in the order of their first file."""
        after = -1
        while True:
            rows = self._m._rows("SELECT first, name FROM folders WHERE first > ? ORDER BY first LIMIT ?",
                                 (after, batch))
            if not rows:
                return
            for _, name in rows:
                yield [k for (k,) in self._m._rows("SELECT key FROM published WHERE folder = ? ORDER BY ordinal",
                                                   (name,))]
            after = rows[-1][0]
            del rows
