"""Finding input files and writing outputs atomically."""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    rel: Path  # path relative to the argument it was found under (for output trees)


def iter_inputs(args: Iterable[str | Path]) -> Iterator[InputFile]:
    """Files named directly, and every non-hidden file under named folders, sorted.

    Raises FileNotFoundError for an argument that does not exist.
    """
    for a in args:
        p = Path(a)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield InputFile(f, rel)
        elif p.is_file():
            yield InputFile(p, Path(p.name))
        else:
            raise FileNotFoundError(f"{a}: no such file or folder")


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text via a temp file in the same folder, then rename."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_open(path, "wb") as fh:
        fh.write(data)


@contextmanager
def atomic_open(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file written under a temporary name in the same folder and renamed into
    place on success; on any error (Ctrl-C included) the temporary file goes and
    ``path`` is untouched. ``mode`` is ``"w"`` (UTF-8 text) or ``"wb"``.

    The data is fsync'd before the rename, so that after a system crash
    ``path`` is the old file or the whole new one. (The batch's many cleaned
    files are flushed in groups instead: ``batch.assemble._Publisher``.)
    """
    fd, tmp = create_temp(path)
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


_temp_serial = itertools.count()


def create_temp(path: Path) -> tuple[int, str]:
    """Create and open a new temporary file beside ``path``: ``.NAME.PID.N.tmp``,
    unique per process by a counter (``O_EXCL`` guards against leftovers), with
    the permissions of a normally created file (the umask applies); the folder
    is made when missing. Cheaper than :func:`tempfile.mkstemp`, which draws
    random names."""
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}.{next(_temp_serial)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:  # left by a killed process with the same pid: take the next number
            continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)


@functools.cache
def _syncfs() -> Any:
    """The C library's ``syncfs``, looked up once; None where it is not available."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError, ImportError):
        return None


def sync_filesystem(path: str | Path) -> bool:
    """Flush every written file of the filesystem holding ``path`` to disk, in one
    call (Linux ``syncfs``); False where that is not available (then the caller
    must fsync the files it needs itself)."""
    syncfs = _syncfs()
    if syncfs is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


def fsync_file(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
