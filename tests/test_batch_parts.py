"""Segment records are not fsync'd: --resume trusts a unit only when its record matches its metadata."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cleaner.batch.inputs import iter_tasks
from cleaner.batch.manifest import Manifest
from cleaner.batch.segments import Reader
from cleaner.cli import main

DOC = "经济发展,稳中向好。  记者 报道。\n\n<b>标题</b>新闻正文,第二段。\n"


def _tree(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and ".cleaner-batch" not in p.parts}


def _corpus(root: Path) -> Path:
    for i in range(4):
        (root / "issue").mkdir(parents=True, exist_ok=True)
        (root / "issue" / f"page{i}.txt").write_text(DOC * (i + 1), encoding="utf-8")
    return root


def _run(src: Path, out: Path, *extra: str) -> dict:
    assert main(["batch", str(src), "-o", str(out), "--jobs", "1", "--quiet", "--no-articles", *extra]) in (0, 1)
    return json.loads((out / ".cleaner-batch" / "run.json").read_text())


@pytest.mark.parametrize("damage", ["truncate_body", "garble_findings", "torn_meta", "lost_record"])
def test_resume_redoes_a_unit_with_a_damaged_record(tmp_path: Path, damage: str) -> None:
    src = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    _run(src, out)
    ref = _tree(out)
    state = out / ".cleaner-batch"
    task = next(t for t in iter_tasks(str(src)) if t.key.endswith("page2.txt"))
    m = Manifest(state / "manifest.jsonl").load()
    seg, off, length = m.location(task.id)
    reader = Reader(state)
    assert reader.intact((seg, off, length))
    path = state / "segments" / seg
    data = bytearray(path.read_bytes())
    record = bytes(data[off : off + length])
    head, _, rest = record.partition(b"\n")
    n_found = json.loads(head)["sections"]["findings"][0]
    assert n_found > 0
    if damage == "truncate_body":  # the record's last bytes never reached the disk
        data[off + length - 3 : off + length] = b"\0\0\0"
    elif damage == "garble_findings":  # same size, data never reached the disk
        at = off + len(head) + 1
        data[at : at + n_found] = b"\0" * n_found
    elif damage == "torn_meta":
        data[off + 5 : off + 15] = b"\0" * 10
    else:
        del data[off:]  # the segment lost its tail (and this record)
    path.write_bytes(bytes(data))
    reader.close()
    assert not Reader(state).intact((seg, off, length))
    (out / task.key).unlink()
    run = _run(src, out, "--resume")
    assert run["units_done"] >= 1 and run["units_skipped"] <= 3
    if damage != "lost_record":
        assert run["units_skipped"] == 3 and run["units_done"] == 1
    got = _tree(out)
    assert sorted(got) == sorted(ref)  # no temporary files left behind
    assert got == ref


def test_cleaned_files_have_normal_permissions(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    _run(src, out)
    umask = os.umask(0)
    os.umask(umask)
    for t in iter_tasks(str(src)):
        st = (out / t.key).stat()
        assert st.st_mode & 0o777 == 0o666 & ~umask and st.st_nlink == 1


def test_a_resumed_run_leaves_identical_cleaned_files_untouched(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    _run(src, out)
    inodes = {t.key: (out / t.key).stat().st_ino for t in iter_tasks(str(src))}
    run = _run(src, out, "--resume")
    assert run["units_skipped"] == 4
    assert {t.key: (out / t.key).stat().st_ino for t in iter_tasks(str(src))} == inodes


def test_without_syncfs_each_cleaned_file_is_fsynced_before_its_rename(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.batch.assemble as A

    calls: list[Path] = []
    monkeypatch.setattr(A, "sync_filesystem", lambda p: False)
    monkeypatch.setattr(A, "fsync_file", lambda p: calls.append(Path(p)))
    src = _corpus(tmp_path / "in")
    _run(src, tmp_path / "out")
    assert len(calls) == 4 and all(p.name.endswith(".tmp") for p in calls)
    assert not any(p.exists() for p in calls)  # renamed into place
