"""The batch parent holds no per-unit state: the manifest index and the run's units live on disk.

Memory: the traced peak of a run barely grows when the units are multiplied
by 4 (it grew by about 0.5 KB per unit while the parent kept lists and dicts
of every unit). Durability: the index (``manifest.sqlite``) is rebuilt from
the journal (``manifest.jsonl``) when rows are missing, when it is missing
or unreadable, and when the journal is shorter than what it indexed; a run
killed with SIGKILL leaves an index that opens, and the resumed run gives
byte for byte the outputs of an uninterrupted run.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from cleaner.batch.inputs import _sorted_on_disk, iter_tasks
from cleaner.batch.manifest import Manifest
from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent
STATE = ".cleaner-batch"


def _tiny_tree(root: Path, n: int, per_folder: int = 100) -> Path:
    """``n`` one-line files (97 variants: the rules' memos stop growing at once)."""
    for i in range(n):
        d = root / f"f{i // per_folder:04d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"p{i % per_folder:03d}.txt").write_text(f"第{i % 97}号 记录,内容很短。\n", encoding="utf-8")
    return root


def _pages(root: Path, n: int) -> Path:
    """``n`` pages with defects and reprints, in folders of 8 (near-duplicates and articles have work)."""
    paras = [p for f in sorted((ROOT / "samples").glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n") if len(p) > 60]
    for i in range(n):
        body = "\n\n".join(paras[(i * 3 + k) % len(paras)] for k in range(3)).replace("，", ",", 2)
        if i % 10 == 9:
            body = body.replace("的", "旳", 1)  # a reprint of an earlier page, with an OCR slip
        d = root / f"issue{i // 8:02d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"page{i % 8}.txt").write_text(body + "\n", encoding="utf-8")
    return root


def _batch(src: Path, out: Path, *extra: str) -> dict:
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1", "--quiet", *extra]) in (0, 1)
    return json.loads((out / STATE / "run.json").read_text())


def _tree(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and STATE not in p.parts}


def _peaks(tmp: Path, small: int, large: int) -> dict[int, int]:
    """Traced peak of a run (minus the memory traced before it) on ``small`` and ``large`` files."""
    import cleaner.batch.assemble as A

    # The cleaned files wait in groups of this many for one flush: fill a group in either run. The
    # flush itself (syncfs through a new ctypes.CDLL per call, garbage for the cyclic collector)
    # is not what is measured here: skipped.
    A._Publisher.GROUP = 64
    A.sync_filesystem = lambda path: True
    src = {n: _tiny_tree(tmp / f"in{n}", n) for n in (small, large)}
    out = tmp / "out"  # one output folder: the same worker configuration, whose cleaner is built once
    args = ("--no-articles", "--no-neardup")
    _batch(src[small], out, *args)  # warm: the cleaner, its memos
    peaks = {}
    tracemalloc.start()
    for n in (small, large):
        shutil.rmtree(out)
        gc.collect()
        start = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run = _batch(src[n], out, *args)
        peaks[n] = tracemalloc.get_traced_memory()[1] - start
        assert run["units_done"] == n and len(_tree(out)) == n + 2  # the files, findings.jsonl, report.json
    tracemalloc.stop()
    return peaks


def test_parent_memory_does_not_grow_with_the_number_of_units(tmp_path: Path) -> None:
    # In a fresh interpreter: what earlier tests left running (Ray's threads) allocates meanwhile.
    small, large = 300, 1200
    code = ("import json, runpy, sys; from pathlib import Path; "
            "print(json.dumps(runpy.run_path(sys.argv[1])['_peaks'](Path(sys.argv[2]), int(sys.argv[3]), "
            "int(sys.argv[4]))))")
    r = subprocess.run([sys.executable, "-c", code, __file__, str(tmp_path), str(small), str(large)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    peaks = {int(k): v for k, v in json.loads(r.stdout.strip().splitlines()[-1]).items()}
    per_unit = (peaks[large] - peaks[small]) / (large - small)
    assert per_unit < 100, (peaks, per_unit)  # bytes per added unit (about 550 with lists and dicts of units)


def _index(out: Path) -> sqlite3.Connection:
    return sqlite3.connect(out / STATE / "manifest.sqlite")


def _lines(out: Path) -> list[bytes]:
    return (out / STATE / "manifest.jsonl").read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("damage", ["rows_deleted", "index_deleted", "index_garbled", "journal_truncated",
                                    "folder_copied"])
def test_resume_rebuilds_what_the_index_lost(tmp_path: Path, damage: str) -> None:
    src = _pages(tmp_path / "in", 24)
    out = tmp_path / "out"
    _batch(src, out)
    ref = _tree(out)
    state = out / STATE
    redone = 0
    if damage == "rows_deleted":  # rows of a killed run's last transaction: their units are redone
        with _index(out) as db:
            redone = db.execute("DELETE FROM manifest WHERE id IN (SELECT id FROM manifest LIMIT 5)").rowcount
        db.close()
    elif damage == "index_deleted":  # a state folder of an older version: the index is built from the journal
        for name in ("manifest.sqlite", "manifest.sqlite-wal", "manifest.sqlite-shm"):
            (state / name).unlink(missing_ok=True)
    elif damage == "index_garbled":
        (state / "manifest.sqlite").write_bytes(b"not a database" * 100)
        for name in ("manifest.sqlite-wal", "manifest.sqlite-shm"):
            (state / name).unlink(missing_ok=True)
    elif damage == "journal_truncated":  # the journal lost its tail (and a line was torn)
        lines = _lines(out)
        (state / "manifest.jsonl").write_bytes(b"".join(lines[:10]) + lines[10][:7])
        redone = len(lines) - 10
    else:  # a copied output folder: its journal is another file than the one indexed, indexed anew
        shutil.copytree(out, tmp_path / "copy")
        shutil.rmtree(out)
        out = tmp_path / "copy"
    for p in ref:
        if p.endswith(".txt"):
            (out / p).unlink()
    run = _batch(src, out, "--resume")
    assert (run["units_done"], run["units_skipped"]) == (redone, 24 - redone)
    assert _tree(out) == ref
    with _index(out) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM manifest").fetchone()[0] == 24
    db.close()
    journal = _lines(out)
    again = _batch(src, out, "--resume")  # nothing left to do, and the journal does not grow
    assert (again["units_done"], again["units_skipped"]) == (0, 24)
    assert _lines(out) == journal


@pytest.mark.parametrize("stage", ["map", "assembly"])
def test_sigkilled_run_leaves_an_index_that_resumes_to_identical_outputs(tmp_path: Path, stage: str) -> None:
    n = 160
    src = _pages(tmp_path / "in", n)
    _batch(src, tmp_path / "ref")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner", "batch", str(src), "-o", str(out), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    journal = out / STATE / "manifest.jsonl"
    want = 100 if stage == "map" else n  # past one commit (64 records); or every unit done
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= want:
            break
        time.sleep(0.005)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if stage == "map":
        assert proc.returncode == -signal.SIGKILL  # killed mid-run
    lines = [x for x in _lines(out) if x.endswith(b"\n") and x.strip()]
    assert len(lines) >= want
    with _index(out) as db:  # the killed run's index opens, whole, with its committed rows
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT COUNT(*) FROM manifest").fetchone()[0]
    db.close()
    assert 64 <= rows <= len(lines)
    run = _batch(src, out, "--resume")
    assert run["units_skipped"] == len(lines) and run["units_done"] == n - len(lines)
    assert _tree(out) == _tree(tmp_path / "ref")


def test_ctrl_c_stops_the_pool_and_commits_the_index(tmp_path: Path) -> None:
    n = 160
    src = _pages(tmp_path / "in", n)
    _batch(src, tmp_path / "ref")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner", "batch", str(src), "-o", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    journal = out / STATE / "manifest.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 20:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)  # the pool's feeder thread does not keep the run from ending
    lines = [x for x in _lines(out) if x.endswith(b"\n") and x.strip()]
    with _index(out) as db:  # every unit journalled is committed on the way out
        assert db.execute("SELECT COUNT(*) FROM manifest").fetchone()[0] == len(lines)
    db.close()
    run = _batch(src, out, "--resume")
    assert run["units_skipped"] == len(lines)
    assert _tree(out) == _tree(tmp_path / "ref")


def test_folders_of_the_articles_stage_keep_first_appearance_order(tmp_path: Path) -> None:
    m = Manifest(tmp_path / "manifest.jsonl").load()
    units = m.units()
    keys = ["a/1.txt", "a/b/2.txt", "a/3.txt", "c/4.txt", "a/b/5.txt", "d/6.txt", "a/7.txt"]
    for k in keys:
        units.add(k, "file")
    expected: dict[str, list[str]] = {}
    for i, k in enumerate(keys):
        if k != "d/6.txt":  # not published (an error, or removed by --dedup)
            units.publish(i, k, str(Path(k).parent))
            expected.setdefault(str(Path(k).parent), []).append(k)
    assert list(units.folders(batch=2)) == list(expected.values())
    assert units.folder_count() == len(expected)
    assert len(units) == len(keys)
    units.add("x/8.txt", "file")
    with pytest.raises(KeyError):  # a unit the manifest has no record of
        units.get(len(keys))
    m.record("id", "k", "h", "f", ["1-ab.seg", 0, 5])
    m.close()


def test_glob_sorted_on_disk_is_python_sorted(tmp_path: Path) -> None:
    names = ["a.b/x", "a/x", "a-b", "a", "A", "b", "中文/页", "中/文", "\U0001F600", "\uffff", "\ud800x",
             "a/\udcff", "a/\udc80b", "a/é", "", "a", "Z\x00"]
    assert list(_sorted_on_disk(iter(names))) == sorted(names)
    for rel in ["a.b/x.txt", "a/x.txt", "a/b/y.txt", "a/z.txt", "a-b/q.txt", "中文/页1.txt", "中/文.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("正文。\n", encoding="utf-8")
    got = [t.key for t in iter_tasks(str(tmp_path / "**" / "*.txt"))]
    assert got == [Path(p).relative_to(tmp_path).as_posix()
                   for p in sorted(str(p) for p in tmp_path.rglob("*.txt"))]


def test_ray_engine_in_windows_matches_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("ray")
    import cleaner.batch.ray_engine as R

    monkeypatch.setattr(R, "WINDOW", 3)
    src = _pages(tmp_path / "in", 7)
    _batch(src, tmp_path / "local")
    assert main(["batch", str(src), "-o", str(tmp_path / "ray"), "--jobs", "2", "--engine", "ray", "--quiet"]) in (0, 1)
    assert _tree(tmp_path / "ray") == _tree(tmp_path / "local")
