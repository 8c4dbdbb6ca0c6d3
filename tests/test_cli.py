"""End-to-end runs of the command line on samples/ and on generated folders."""

import json
import os
import subprocess
import sys
from pathlib import Path


from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None, input=None):
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, input=input,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_check_json_matches_contract(samples_dir):
    p = run("check", samples_dir, "--format", "json")
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    assert len(data["files"]) == 5
    keys = {"rule", "category", "start", "end", "message", "replacement", "fix", "confidence"}
    for f in data["files"]:
        assert isinstance(f["path"], str) and isinstance(f["encoding"], str)
        raw = Path(f["path"]).read_text(encoding="utf-8")
        for x in f["findings"]:
            assert keys <= set(x)
            assert 0 <= x["start"] <= x["end"] <= len(raw)
            assert x["fix"] in ("safe", "unsafe", "none")
            assert x["replacement"] is None or isinstance(x["replacement"], str)
            assert isinstance(x["confidence"], float)


def test_fix_output_dir_is_idempotent_and_inputs_untouched(samples_dir, tmp_path):
    before = {p.name: p.read_bytes() for p in samples_dir.glob("*.txt")}
    a, b = tmp_path / "A", tmp_path / "B"
    assert run("fix", samples_dir, "--output-dir", a).returncode in (0, 1)
    assert run("fix", a, "--output-dir", b).returncode in (0, 1)
    for name in before:
        assert (a / name).read_text(encoding="utf-8") == (b / name).read_text(encoding="utf-8"), name
    assert before == {p.name: p.read_bytes() for p in samples_dir.glob("*.txt")}


def test_binary_file_in_batch_gives_error_and_exit_2(samples_dir, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    (src / "a.txt").write_bytes((samples_dir / "004_a3b0ee3524b772fb.txt").read_bytes())
    p = run("fix", src, "--output-dir", tmp_path / "out")
    assert p.returncode == 2
    assert "image.bin" in p.stderr and "offset" in p.stderr
    assert "<sup>" not in (tmp_path / "out" / "a.txt").read_text(encoding="utf-8")
    assert not (tmp_path / "out" / "image.bin").exists()


def test_stdin_to_stdout():
    p = run("fix", "-", input="自 2022 年以来,<b>加快</b>发展\n")
    assert p.stdout == "自2022年以来，加快发展\n"


def test_diff_marks_invisible_characters(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("开发区\u00a0建设\n", encoding="utf-8")
    p = run("diff", f)
    assert p.returncode == 1
    assert "⍽" in p.stdout


def test_fix_diff_writes_nothing(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("<p>正文</p>\n", encoding="utf-8")
    p = run("fix", f, "--diff")
    assert "正文" in p.stdout
    assert f.read_text(encoding="utf-8") == "<p>正文</p>\n"


def test_in_place(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("<p>正文</p>\n", encoding="utf-8")
    assert main(["fix", str(f), "--in-place", "--no-config"]) == 0
    assert f.read_text(encoding="utf-8") == "正文\n"


def test_clean_file_exit_0_and_github_format(tmp_path):
    f = tmp_path / "clean.txt"
    f.write_text("正文。\n", encoding="utf-8")
    assert run("check", f).returncode == 0
    g = tmp_path / "dirty.txt"
    g.write_text("正文<b>。\n", encoding="utf-8")
    p = run("check", g, "--format", "github")
    assert p.stdout.startswith("::warning title=MK001")


def test_select_and_config(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("<b>正文</b> 自 2022 年\n", encoding="utf-8")
    p = run("check", f, "--format", "jsonl", "--select", "SP")
    rules = {json.loads(l)["rule"] for l in p.stdout.splitlines()}
    assert rules and all(r.startswith("SP") for r in rules)
    (tmp_path / "cleaner.toml").write_text('ignore = ["SP"]\n', encoding="utf-8")
    p = run("check", f, "--format", "jsonl", cwd=tmp_path)
    rules = {json.loads(l)["rule"] for l in p.stdout.splitlines()}
    assert rules and not any(r.startswith("SP") for r in rules)
    p = run("check", f, "--select", "NOPE")
    assert p.returncode == 2 and "NOPE" in p.stderr


def test_rule_and_rules_docs():
    p = run("rule", "MK002")
    assert p.returncode == 0 and "sup" in p.stdout
    p = run("rules", "--format", "json")
    codes = {r["code"] for r in json.loads(p.stdout)}
    assert {"MK001", "SP001", "ENC001"} <= codes
    assert run("rule", "XX999").returncode == 2


def test_missing_path_is_error(tmp_path):
    p = run("check", tmp_path / "nope")
    assert p.returncode == 2 and "no such file" in p.stderr
