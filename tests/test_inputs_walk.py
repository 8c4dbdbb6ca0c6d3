"""The folder-tree walk of ``iter_tasks`` gives exactly what the former ``os.walk``
branch gave, in the same order, whether a folder's names stay in a list or are
sorted on disk (the threshold patched down to a few names)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cleaner.batch.inputs as inputs
from cleaner.batch.inputs import Task, _file_task, iter_tasks


def reference_tasks(spec: str) -> Iterator[Task]:
    """The former folder-tree branch of ``iter_tasks``, verbatim."""
    p = Path(spec)
    for root, dirs, files in os.walk(p):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            f = Path(root) / name
            if f.is_file():
                yield _file_task(f, f.relative_to(p))


@pytest.fixture(params=["list", "disk"])
def threshold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each case twice: the default threshold, and 2 names (the on-disk sort, in batches of 3)."""
    if request.param == "disk":
        monkeypatch.setattr(inputs, "_LIST_IN_MEMORY", 2)
        monkeypatch.setattr(inputs, "_DISK_BATCH", 3)
    return request.param


def _write(path: Path, text: str = "x\n") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _bytes_name_ok(folder: Path) -> bool:
    """Create ``b"\\xff.txt"`` (not UTF-8) in ``folder`` when the filesystem allows it."""
    try:
        fd = os.open(os.path.join(os.fsencode(folder), b"\xff.txt"), os.O_WRONLY | os.O_CREAT, 0o644)
    except (OSError, UnicodeError):
        return False
    os.write(fd, b"bytes name\n")
    os.close(fd)
    return True


def _probe_bytes_names() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        return _bytes_name_ok(Path(tmp))


BYTES_NAMES = _probe_bytes_names()


def _rich_tree(root: Path) -> Path:
    src = root / "in"
    for rel in ["a.txt", "b.txt", ".hidden.txt", "é.txt", "z.txt", "Z.txt", "中.txt", "10.txt", "9.txt",
                "\uff21.txt", "\U0001F600.txt", "\uffff.txt", "\U0002000B/\uff3a.txt",
                "sub/x.txt", "sub/y.txt", "sub/deeper/deepest/q.txt", "sub/.dot/never.txt", ".hdir/never.txt",
                "B/one.txt", "b/two.txt", "é/three.txt", "中文/页.txt", "a-b/c.txt", "a.b/c.txt",
                "target/t.txt"]:
        _write(src / rel, rel + "\n")
    (src / "empty").mkdir()
    (src / "sub" / "empty2").mkdir()
    (src / "link_to_file.txt").symlink_to(src / "a.txt")
    (src / "link_to_dir").symlink_to(src / "target", target_is_directory=True)
    (src / "broken.txt").symlink_to(src / "nowhere.txt")
    (src / ".hidden_link").symlink_to(src / "a.txt")
    (src / "sub" / "loop").symlink_to(src, target_is_directory=True)
    (root / "outside").mkdir()
    _write(root / "outside" / "o.txt")
    (src / "sub" / "out_link").symlink_to(root / "outside", target_is_directory=True)
    (src / "fifo_like_empty.txt").write_bytes(b"")
    _bytes_name_ok(src)
    _bytes_name_ok(src / "sub")
    return src


def test_rich_tree_matches_os_walk(tmp_path: Path, threshold: str) -> None:
    src = _rich_tree(tmp_path)
    want = list(reference_tasks(str(src)))
    assert list(iter_tasks(str(src))) == want
    keys = [t.key for t in want]
    assert "link_to_file.txt" in keys and "sub/deeper/deepest/q.txt" in keys
    assert not any("never" in k or k.startswith("link_to_dir") or "loop" in k or "out_link" in k for k in keys)
    assert keys.index("Z.txt") < keys.index("a.txt") < keys.index("z.txt") < keys.index("é.txt") < keys.index("中.txt")
    if BYTES_NAMES:  # U+DCFF sorts before U+FF21 and U+1F600 by code point, after them by UTF-8 bytes
        assert keys.index("中.txt") < keys.index("\udcff.txt") < keys.index("\uff21.txt") < keys.index("\U0001F600.txt")


def test_spellings_of_the_input(tmp_path: Path, threshold: str, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _rich_tree(tmp_path)
    for spec in [str(src) + "/", str(src / "sub" / ".." / "sub")]:
        assert list(iter_tasks(spec)) == list(reference_tasks(spec))
    monkeypatch.chdir(src)
    assert list(iter_tasks(".")) == list(reference_tasks("."))
    monkeypatch.chdir(tmp_path)
    assert list(iter_tasks("in")) == list(reference_tasks("in"))


def test_flat_folder_spills_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "flat"
    names = [f"{c}{i}.txt" for i in range(40) for c in ("a", "B", "é", "中", "_")]
    for name in names:
        _write(src / name)
    for i in range(7):
        (src / f"d{i}").mkdir()
        _write(src / f"d{i}" / "f.txt")
    want = list(reference_tasks(str(src)))
    assert [t.key for t in want[:len(names)]] == sorted(names)
    monkeypatch.setattr(inputs, "_LIST_IN_MEMORY", 10)
    monkeypatch.setattr(inputs, "_DISK_BATCH", 7)
    made: list[object] = []
    real = inputs._DiskSort

    def counting() -> object:
        made.append(real())
        return made[-1]

    monkeypatch.setattr(inputs, "_DiskSort", counting)
    assert list(iter_tasks(str(src))) == want
    assert len(made) == 1  # the files of the flat folder; its 7 subfolders and 1-file folders stay in lists


class _Entry:
    """A ``DirEntry`` whose ``is_dir()`` fails."""

    def __init__(self, entry: os.DirEntry) -> None:
        self.name, self.path = entry.name, entry.path

    def is_dir(self) -> bool:
        raise PermissionError("is_dir")

    def is_symlink(self) -> bool:
        return False


class _Listing:
    def __init__(self, entries: Iterator[object], fail_after: int | None) -> None:
        self._entries, self._fail_after = entries, fail_after

    def __enter__(self) -> _Listing:
        return self

    def __exit__(self, *exc: object) -> None:
        self._entries.close()

    def __iter__(self) -> _Listing:
        return self

    def __next__(self) -> object:
        if self._fail_after is not None:
            if self._fail_after == 0:
                raise OSError("listing failed")
            self._fail_after -= 1
        return next(self._entries)


def test_unlistable_folders_are_skipped(tmp_path: Path, threshold: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``os.scandir`` is patched where both walks see it: a folder that cannot be opened, one whose
    listing fails halfway (os.walk skips all of it, subfolders too) and entries whose is_dir() fails."""
    src = _rich_tree(tmp_path)
    for i in range(6):
        _write(src / "half" / f"h{i}.txt")
        _write(src / "half" / f"hd{i}" / "x.txt")
        _write(src / "odd" / f"o{i}.txt")
        _write(src / "odd" / f"od{i}" / "x.txt")
    real = os.scandir

    def scandir(path: str = ".") -> object:
        name = os.path.basename(os.fspath(path))
        if name == "sub":
            raise PermissionError(path)
        it = real(path)
        if name == "half":
            return _Listing(it, fail_after=4)
        if name == "odd":
            return _Listing((_Entry(e) if e.name.startswith("od") else e for e in it), fail_after=None)
        return it

    monkeypatch.setattr(os, "scandir", scandir)
    want = list(reference_tasks(str(src)))
    keys = [t.key for t in want]
    assert not any(k.startswith(("sub/", "half/")) for k in keys) and "odd/o0.txt" in keys
    assert list(iter_tasks(str(src))) == want


def test_entries_vanishing_mid_walk(tmp_path: Path, threshold: str) -> None:
    src = tmp_path / "in"
    for i in range(5):
        _write(src / f"f{i}.txt")
        _write(src / "d" / f"g{i}.txt")
    _write(src / "e" / "h.txt")
    got = []
    for t in iter_tasks(str(src)):
        got.append(t.key)
        if t.key == "f1.txt":
            for i in range(2, 5):
                (src / f"f{i}.txt").unlink()
            for i in range(5):
                (src / "d" / f"g{i}.txt").unlink()
            (src / "d").rmdir()
            (src / "e" / "h.txt").unlink()
            (src / "e").rmdir()
    assert got == ["f0.txt", "f1.txt"]


def test_stat_failing_after_is_file(tmp_path: Path, threshold: str, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    for name in ["a.txt", "b.txt", "c.txt"]:
        _write(src / name)
    real = inputs._file_task

    def vanishing(f: Path, rel: Path) -> Task:
        if f.name == "b.txt":
            f.unlink()
        return real(f, rel)

    monkeypatch.setattr(inputs, "_file_task", vanishing)
    assert [t.key for t in iter_tasks(str(src))] == ["a.txt", "c.txt"]


def test_early_stop_closes_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "_LIST_IN_MEMORY", 2)
    src = _rich_tree(tmp_path)
    it = iter_tasks(str(src))
    first = [next(it) for _ in range(3)]
    it.close()
    assert first == list(reference_tasks(str(src)))[:3]


# Random small trees. A leaf is a file, an empty file, an empty folder, or a symlink
# (to a file, to a folder, dangling); names come from a small alphabet that mixes
# hidden names, case, accents, CJK, astral and (when the filesystem takes it) the
# undecodable byte 0xff, so that UTF-8 byte order and code-point order differ.
ALPHABET = [".", "a", "B", "é", "中", "0", "1", "\uff21", "\U0001F600"] + (["\udcff"] if BYTES_NAMES else [])
NAMES = st.text(alphabet=ALPHABET, min_size=1, max_size=3).filter(
    lambda s: s not in (".", ".."))
LEAVES = st.sampled_from(["file", "empty", "folder", "link_file", "link_dir", "broken"])
TREES = st.recursive(LEAVES, lambda kids: st.dictionaries(NAMES, kids, max_size=5), max_leaves=20)


def _build(folder: Path, tree: dict, outside: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, node in tree.items():
        path = folder / name
        if isinstance(node, dict):
            _build(path, node, outside)
        elif node == "file":
            path.write_bytes(os.fsencode(name) + b"\n")
        elif node == "empty":
            path.write_bytes(b"")
        elif node == "folder":
            path.mkdir()
        elif node == "link_file":
            path.symlink_to(outside / "o.txt")
        elif node == "link_dir":
            path.symlink_to(outside, target_is_directory=True)
        else:
            path.symlink_to(outside / "missing")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=st.dictionaries(NAMES, TREES, max_size=6), limit=st.integers(1, 3), batch=st.integers(1, 4))
def test_random_trees_match_os_walk(tree: dict, limit: int, batch: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        outside = Path(tmp) / "outside"
        outside.mkdir()
        (outside / "o.txt").write_text("o\n", encoding="utf-8")
        src = Path(tmp) / "in"
        _build(src, tree, outside)
        want = list(reference_tasks(str(src)))
        assert list(iter_tasks(str(src))) == want
        with mock.patch.object(inputs, "_LIST_IN_MEMORY", limit), mock.patch.object(inputs, "_DISK_BATCH", batch):
            assert list(iter_tasks(str(src))) == want
