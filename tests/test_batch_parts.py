"""Part files are not fsync'd: --resume trusts a unit only when its parts match its metadata."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cleaner.batch.inputs import iter_tasks
from cleaner.batch.worker import part_paths, parts_intact
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


@pytest.mark.parametrize("damage", ["truncate_txt", "garble_findings", "torn_meta", "lost_txt"])
def test_resume_redoes_a_unit_with_damaged_parts(tmp_path: Path, damage: str) -> None:
    src = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    _run(src, out)
    ref = _tree(out)
    state = out / ".cleaner-batch"
    task = next(t for t in iter_tasks(str(src)) if t.key.endswith("page2.txt"))
    assert parts_intact(state, task.id)
    meta_p, txt_p, _ = part_paths(state, task.id)
    if damage == "truncate_txt":
        txt_p.write_bytes(txt_p.read_bytes()[:-3])
    elif damage == "garble_findings":
        head, _, found = meta_p.read_bytes().partition(b"\n")
        assert found  # the findings section follows the metadata line
        meta_p.write_bytes(head + b"\n" + b"\0" * len(found))  # same size, data never reached the disk
    elif damage == "torn_meta":
        meta_p.write_bytes(meta_p.read_bytes()[:10])
    else:
        txt_p.unlink()
    (out / task.key).unlink()
    assert not parts_intact(state, task.id)
    run = _run(src, out, "--resume")
    assert run["units_skipped"] == 3 and run["units_done"] == 1
    assert parts_intact(state, task.id)
    got = _tree(out)
    assert sorted(got) == sorted(ref)  # no temporary files left behind
    assert got == ref


def test_outputs_are_links_to_the_parts(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "in")
    out = tmp_path / "out"
    _run(src, out)
    for t in iter_tasks(str(src)):
        assert (out / t.key).stat().st_ino == part_paths(out / ".cleaner-batch", t.id)[1].stat().st_ino
        umask = os.umask(0)
        os.umask(umask)
        assert (out / t.key).stat().st_mode & 0o777 == 0o666 & ~umask


def test_place_without_syncfs_fsyncs_each_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.batch.assemble as A

    calls: list[Path] = []
    monkeypatch.setattr(A, "sync_filesystem", lambda p: False)
    monkeypatch.setattr(A, "fsync_file", lambda p: calls.append(Path(p)))
    src = _corpus(tmp_path / "in")
    _run(src, tmp_path / "out")
    assert len(calls) == 4 and all(p.suffix == ".txt" for p in calls)
