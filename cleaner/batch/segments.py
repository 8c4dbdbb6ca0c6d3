"""The map stage's results: one record per unit, appended to per-process logs.

Each worker process appends the records of the units it cleans to its own
segment file, ``<state>/segments/<pid>-<token>.seg``. A record is

- one line of JSON metadata (encoding, statistics, counts per rule,
  near-duplicate signatures, and the size and hash of the two sections), then
- the findings section: the unit's lines of ``findings.jsonl``, serialised,
- the body section: the cleaned text (file units) or cleaned records (JSONL).

Its :data:`Location` (segment name, offset, length) goes into the resume
manifest. Creating a file costs far more than writing a page into an open
one (0.05-0.4 ms per file on the journaled filesystem of our VM, against
a cleaning budget of about 2 ms per 20 KB page), so the map stage creates no
file per unit; the final outputs are written once, when they are assembled.

Records are not fsync'd: ``--resume`` trusts a record only when its sections
still have the sizes and hashes its metadata line gives (:func:`intact`), so
a record torn by a killed process, or lost in a system crash, is simply
redone; the manifest never points at a record that was not completely
written, because a unit is recorded only after its record was flushed.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import IO, Any

Location = tuple[str, int, int]
"""(segment file name, offset of the record, length of the record)."""

SEGMENTS = "segments"


def content_hash(data: bytes) -> str:
    """128 bits of SHA-256: an input's identity in the manifest and a section's
    check in its record. SHA-256 runs on the CPU's SHA instructions where they
    exist (1.4 GB/s here, BLAKE2b 0.5 GB/s); a worker hashes each input and
    both sections of its record, about 5 bytes per input byte on raw pages."""
    return hashlib.sha256(data).hexdigest()[:32]


class _Writer:
    """The segment this process appends to (opened on first use, after any fork)."""

    def __init__(self, state_dir: str) -> None:
        self.state_dir = state_dir
        self.pid = os.getpid()
        folder = Path(state_dir) / SEGMENTS
        folder.mkdir(parents=True, exist_ok=True)
        self.name = f"{self.pid}-{secrets.token_hex(4)}.seg"
        self.fh: IO[bytes] = open(folder / self.name, "ab")  # noqa: SIM115 - kept open for the process's life

    def usable(self, state_dir: str) -> bool:
        """Same process, same run folder, and the segment still exists (a new run
        without ``--resume`` deletes the state folder; a long-lived Ray worker
        then starts a new segment)."""
        return self.pid == os.getpid() and self.state_dir == state_dir and os.fstat(self.fh.fileno()).st_nlink > 0


_writer: _Writer | None = None


def append(state_dir: str, meta: dict[str, Any], findings: bytes, body: bytes) -> Location:
    """Append one unit's record; return where it lies. ``meta`` gets the sections' sizes and hashes."""
    global _writer
    w = _writer
    if w is None or not w.usable(state_dir):
        w = _writer = _Writer(state_dir)
    meta["sections"] = {"findings": [len(findings), content_hash(findings)], "body": [len(body), content_hash(body)]}
    head = json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    record = head + findings + body
    w.fh.write(record)
    w.fh.flush()  # in the kernel before the unit is reported done: survives this process being killed
    # An append-mode write lands at the end of the file, wherever that is now:
    # the record starts its length before where the write left the position.
    end = os.lseek(w.fh.fileno(), 0, os.SEEK_CUR)
    return (w.name, end - len(record), len(record))


class Reader:
    """Random access to records (one open file per segment)."""

    def __init__(self, state_dir: str | Path) -> None:
        self.folder = Path(state_dir) / SEGMENTS
        self._files: dict[str, IO[bytes]] = {}

    def _file(self, name: str) -> IO[bytes]:
        fh = self._files.get(name)
        if fh is not None and os.fstat(fh.fileno()).st_nlink == 0:  # deleted since (a new run)
            fh.close()
            fh = None
        if fh is None:
            if "/" in name or "\\" in name or name.startswith("."):
                raise ValueError(f"bad segment name {name!r}")
            fh = self._files[name] = open(self.folder / name, "rb")  # noqa: SIM115 - closed in close()
        return fh

    def meta(self, loc: Location) -> dict[str, Any]:
        """The metadata line of the record at ``loc``."""
        fh = self._file(loc[0])
        fh.seek(loc[1])
        return json.loads(fh.readline())

    def _split(self, loc: Location) -> tuple[bytes, dict[str, Any], bytes, bytes]:
        """(the record's bytes, its metadata, findings section, body section)."""
        fh = self._file(loc[0])
        fh.seek(loc[1])
        record = fh.read(loc[2])
        head, _, rest = record.partition(b"\n")
        meta = json.loads(head)
        n = meta["sections"]["findings"][0]
        return record, meta, rest[:n], rest[n:]

    def sections(self, loc: Location) -> tuple[dict[str, Any], bytes, bytes]:
        """(metadata, findings section, body section) of the record at ``loc``."""
        return self._split(loc)[1:]

    def intact(self, loc: Location) -> bool:
        """Whether the record at ``loc`` is complete: readable, of the recorded
        length, and both sections of the sizes and hashes its metadata gives."""
        try:
            record, meta, found, body = self._split(loc)
            (fn, fhash), (bn, bhash) = meta["sections"]["findings"], meta["sections"]["body"]
            return len(record) == loc[2] and b"\n" in record and len(found) == fn and len(body) == bn \
                and content_hash(found) == fhash and content_hash(body) == bhash
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()


def location(value: Any) -> Location | None:
    """A location read back from JSON (a list), or None when it is not one."""
    if (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(type(x) is int and x >= 0 for x in value[1:])):
        return (value[0], value[1], value[2])
    return None
