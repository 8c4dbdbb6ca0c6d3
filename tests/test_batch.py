"""cleaner batch: inputs, outputs, errors, resume after a kill, near-duplicates, jobs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.batch.neardup import signatures
from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _paras(sample_texts: dict[str, str]) -> list[str]:
    out = []
    for t in sample_texts.values():
        out += [p for p in t.split("\n") if len(p) > 60]
    return out


def _corpus(root: Path, sample_texts: dict[str, str], issues: int = 3, pages: int = 3) -> Path:
    """Issue folders of pages made of sample paragraphs, with defects and one reprinted page."""
    paras = _paras(sample_texts)
    k = 0
    for i in range(issues):
        for j in range(pages):
            body = []
            for _ in range(4):
                body.append(paras[k % len(paras)])
                k += 1
            text = "\n\n".join(body).replace("，", ",", 3) + "\n"
            (root / f"issue{i}").mkdir(parents=True, exist_ok=True)
            (root / f"issue{i}" / f"page{j}.txt").write_text(text, encoding="utf-8")
    return root


def _run(*argv: str) -> int:
    return main(["batch", *argv, "--quiet"])


def _tree(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*"))
            if p.is_file() and ".cleaner-batch" not in p.parts}


def test_folder_outputs_and_report(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    src = _corpus(tmp_path / "in", sample_texts)
    (src / "issue0" / "scan.bin").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    before = _tree(src)
    rc = _run(str(src), "-o", str(tmp_path / "out"), "--jobs", "1")
    out = tmp_path / "out"
    assert rc == 2  # the binary file is an error, the batch went on
    assert _tree(src) == before  # inputs untouched
    cleaned = (out / "issue0" / "page0.txt").read_text(encoding="utf-8")
    assert cleaned != (src / "issue0" / "page0.txt").read_text(encoding="utf-8")
    assert cleaned.count(",") < (src / "issue0" / "page0.txt").read_text(encoding="utf-8").count(",")
    assert not (out / "issue0" / "scan.bin").exists()
    report = json.loads((out / "report.json").read_text())
    assert report["documents"] == 10 and report["ok"] == 9
    assert report["errors"][0]["path"] == "issue0/scan.bin" and "NUL" in report["errors"][0]["error"]
    assert report["encodings"] == {"utf-8": 9}
    assert report["rules"]["SP001"]["fixes"] >= 9
    lines = [json.loads(x) for x in (out / "findings.jsonl").read_text().splitlines()]
    assert {x["type"] for x in lines} == {"finding", "edit"}
    assert all(x["path"] and x["rule"] for x in lines)
    assert sum(x["type"] == "edit" for x in lines) == sum(v["fixes"] for v in report["rules"].values())
    articles = [json.loads(x) for x in (out / "articles.jsonl").read_text().splitlines()]
    assert report["articles"] == len(articles) > 0
    assert {s["path"].split("/")[0] for a in articles for s in a["sources"]} == {"issue0", "issue1", "issue2"}


def test_glob_input(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    src = _corpus(tmp_path / "in", sample_texts, issues=2, pages=2)
    (src / "issue0" / "notes.md").write_text("not matched", encoding="utf-8")
    assert _run(str(src / "**" / "*.txt"), "-o", str(tmp_path / "out"), "--jobs", "1") in (0, 1)
    got = sorted(k for k in _tree(tmp_path / "out") if k.endswith(".txt"))
    assert got == ["issue0/page0.txt", "issue0/page1.txt", "issue1/page0.txt", "issue1/page1.txt"]


def test_jsonl_input_keeps_metadata(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    paras = _paras(sample_texts)
    src = tmp_path / "docs.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(6):
            fh.write(json.dumps({"id": f"d{i}", "source": "web", "text": paras[i].replace("，", ",")},
                                ensure_ascii=False) + "\n")
        fh.write('{"id": "broken"}\n')
    rc = _run(str(src), "-o", str(tmp_path / "out"), "--jobs", "1")
    assert rc == 2
    recs = [json.loads(x) for x in (tmp_path / "out" / "cleaned.jsonl").read_text().splitlines()]
    assert [r["id"] for r in recs] == [f"d{i}" for i in range(6)]
    assert all(r["source"] == "web" and "," not in r["text"] for r in recs)
    findings = (tmp_path / "out" / "findings.jsonl").read_text()
    assert '"path":"docs.jsonl:d0"' in findings
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["documents"] == 7 and len(report["errors"]) == 1


def test_jobs_2_equals_jobs_1(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    src = _corpus(tmp_path / "in", sample_texts)
    _run(str(src), "-o", str(tmp_path / "a"), "--jobs", "1")
    _run(str(src), "-o", str(tmp_path / "b"), "--jobs", "2")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_resume_after_kill_gives_identical_output(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    src = _corpus(tmp_path / "in", sample_texts, issues=6, pages=5)
    _run(str(src), "-o", str(tmp_path / "ref"), "--jobs", "1")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner", "batch", str(src), "-o", str(out), "--jobs", "1", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    manifest = out / ".cleaner-batch" / "manifest.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if manifest.exists() and manifest.read_text().count("\n") >= 3:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = manifest.read_text().count("\n")
    assert proc.returncode == -signal.SIGKILL and 3 <= done_before < 30  # killed mid-run
    assert _run(str(src), "-o", str(out), "--jobs", "1", "--resume") in (0, 1)
    assert _tree(out) == _tree(tmp_path / "ref")
    run = json.loads((out / ".cleaner-batch" / "run.json").read_text())
    assert run["units_skipped"] >= min(done_before, 3)


def test_near_duplicate_clusters_and_dedup(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    src = _corpus(tmp_path / "in", sample_texts, issues=2, pages=2)
    original = (src / "issue0" / "page1.txt").read_text(encoding="utf-8")
    # a reprint of a whole page with a few OCR slips, and one paragraph quoted in another page
    (src / "issue1" / "page9.txt").write_text(original.replace("的", "旳", 2), encoding="utf-8")
    quoted = original.split("\n\n")[1]
    (src / "issue1" / "page5.txt").write_text(_paras(sample_texts)[-1] + "\n\n" + quoted + "\n", encoding="utf-8")
    _run(str(src), "-o", str(tmp_path / "out"), "--jobs", "1")
    dups = [json.loads(x) for x in (tmp_path / "out" / "duplicates.jsonl").read_text().splitlines()]
    docs = [d for d in dups if d["kind"] == "document"]
    assert len(docs) == 1 and docs[0]["keep"]["path"] == "issue0/page1.txt"
    assert [c["path"] for c in docs[0]["copies"]] == ["issue1/page9.txt"]
    paras = [d for d in dups if d["kind"] == "paragraph"]
    assert any(d["keep"]["path"] == "issue0/page1.txt" and d["copies"][0]["path"] == "issue1/page5.txt"
               for d in paras)
    # --dedup keeps the earliest copy by path order and logs every removal
    _run(str(src), "-o", str(tmp_path / "dd"), "--jobs", "1", "--dedup")
    assert (tmp_path / "dd" / "issue0" / "page1.txt").exists()
    assert not (tmp_path / "dd" / "issue1" / "page9.txt").exists()
    page5 = (tmp_path / "dd" / "issue1" / "page5.txt").read_text(encoding="utf-8")
    assert quoted[:30] not in page5 and len(page5) > 40
    edits = [json.loads(x) for x in (tmp_path / "dd" / "findings.jsonl").read_text().splitlines()]
    assert any(e["rule"] == "NEARDUP" and e["path"] == "issue1/page5.txt" and e["type"] == "edit" for e in edits)
    assert {"path": "issue1/page9.txt", "type": "removal", "rule": "NEARDUP", "kept": "issue0/page1.txt",
            "similarity": docs[0]["copies"][0]["similarity"]} in edits


def test_signatures_ignore_spacing_and_split_chinese() -> None:
    a = "科学导报讯 产业园区项目不仅有助于推动传统产业改造升级构建现代产业体系更是打造山西中部城市群重要节点"
    b = a.replace(" ", "")
    assert signatures(a)["paras"][0][2] == signatures(b)["paras"][0][2]
    other = "赵宏钟在调研中指出产业园区建设是县域经济高质量发展的重要抓手要进一步明确重点项目建设时间表和问题清单"
    assert not set(signatures(a)["paras"][0][2]) & set(signatures(other)["paras"][0][2])


def test_ray_engine_matches_local(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    pytest.importorskip("ray")
    src = _corpus(tmp_path / "in", sample_texts, issues=2, pages=2)
    _run(str(src), "-o", str(tmp_path / "local"), "--jobs", "1")
    _run(str(src), "-o", str(tmp_path / "ray"), "--jobs", "2", "--engine", "ray")
    assert _tree(tmp_path / "ray") == _tree(tmp_path / "local")


def test_manifest_ignores_a_torn_line(tmp_path: Path) -> None:
    from cleaner.batch.manifest import Manifest

    p = tmp_path / "manifest.jsonl"
    p.write_text('{"id": "a", "key": "a.txt", "hash": "h1", "fp": "f", "loc": ["1-ab.seg", 0, 10]}\n'
                 '{"id": "c", "key": "c.txt", "hash": "h3", "fp": "f"}\n'  # an older manifest's line: no record
                 '{"id": "b", "key": "b.t', encoding="utf-8")
    m = Manifest(p).load()
    assert m.known("a", "f") == ("h1", ("1-ab.seg", 0, 10))
    assert m.known("b", "f") is None and m.known("a", "other") is None and m.known("c", "f") is None
    m.record("b", "b.txt", "h2", "f", ["1-ab.seg", 10, 20])
    m.close()
    assert Manifest(p).load().known("b", "f") == ("h2", ("1-ab.seg", 10, 20))


def test_jsonl_dedup_drops_later_copies(tmp_path: Path, sample_texts: dict[str, str]) -> None:
    paras = _paras(sample_texts)
    src = tmp_path / "d.jsonl"
    recs = [{"id": "a", "text": "\n".join(paras[:4])}, {"id": "b", "text": "\n".join(paras[4:8])},
            {"id": "c", "text": "\n".join(paras[:4]).replace("的", "旳", 1)}, {"id": "d", "text": paras[9] + "\n" + paras[5]}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    _run(str(src), "-o", str(tmp_path / "out"), "--jobs", "1", "--dedup")
    got = {r["id"]: r["text"] for r in map(json.loads, (tmp_path / "out" / "cleaned.jsonl").read_text().splitlines())}
    assert sorted(got) == ["a", "b", "d"]  # c reprints a
    assert paras[5][:20] not in got["d"] and not got["d"].endswith("\n")  # the quoted paragraph, and its line break
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["near_duplicates"]["documents_removed"] == 1 and report["near_duplicates"]["paragraphs_removed"] == 1


def test_batch_honours_review_decisions(tmp_path: Path) -> None:
    from cleaner import Cleaner
    from cleaner.review.decisions import DecisionStore, make_decision, site

    src = tmp_path / "in"
    src.mkdir()
    doc = src / "a.txt"
    doc.write_text("发展<b>新质</b>生产力。\n", encoding="utf-8")
    found = [f for f in Cleaner(select=["MK001"], decisions=False).clean(doc.read_text(encoding="utf-8")).findings]
    first = min(found, key=lambda f: f.start)
    text = doc.read_text(encoding="utf-8")
    DecisionStore.beside(doc).record(make_decision("a.txt", first.rule, site(first, text), "reject"))
    assert _run(str(src), "-o", str(tmp_path / "out"), "--select", "MK001", "--jobs", "1", "--no-neardup") in (0, 1)
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "发展<b>新质生产力。\n"
