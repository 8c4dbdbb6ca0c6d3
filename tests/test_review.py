"""Review: decisions store, session logic, the terminal UI (through a pty), diff views, HTML report."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from cleaner.api import Cleaner
from cleaner.review.decisions import DECISIONS_FILE, DecisionStore, export_examples, make_decision, site
from cleaner.review.html import FileDiff, report_html
from cleaner.review.render import fit_left, fit_right, render_change
from cleaner.review.session import FileQueue, Session, apply_decisions
from cleaner.review.sidebyside import side_by_side

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CLI = [sys.executable, "-m", "cleaner"]
TEXT = "发展<b>新质</b>生产力,推动高质量发展。\n今天天气很好,我们去公园散步。\n"


def _cleaner(*codes: str) -> Cleaner:
    return Cleaner(select=list(codes) or ["SP001", "MK001"], decisions=False)


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def _session(path: Path, *codes: str, fresh: bool = False) -> Session:
    return Session([FileQueue.load(path, _cleaner(*codes))], fresh=fresh)


def _fixed(path: Path, *codes: str) -> str:
    fr = Cleaner(select=list(codes) or ["SP001", "MK001"]).clean_file(path)
    assert fr.result is not None
    return fr.result.text


# ------------------------------------------------------------------ decisions store


def test_store_round_trip_last_wins_and_clear(tmp_path: Path) -> None:
    text = "今天天气很好,我们去公园散步。"
    f = next(iter(_cleaner("SP001").engine.check(text)))
    s = site(f, text)
    store = DecisionStore(tmp_path / DECISIONS_FILE)
    d1 = make_decision("a.txt", f.rule, s, "reject")
    store.record(d1)
    store.record(make_decision("a.txt", f.rule, s, "edit", "；"))
    again = DecisionStore(tmp_path / DECISIONS_FILE)
    assert again.get(d1.key).decision == "edit" and again.get(d1.key).replacement == "；"
    again.clear(d1.key)
    assert DecisionStore(tmp_path / DECISIONS_FILE).get(d1.key) is None
    (tmp_path / DECISIONS_FILE).open("a").write("not json\n")
    assert DecisionStore(tmp_path / DECISIONS_FILE).bad_lines == 1


def test_rejection_survives_shifted_offsets_and_fixed_neighbours(doc: Path) -> None:
    s = _session(doc)
    first = s.current()
    assert first is not None and first.site.before == "<b>"
    s.accept()
    s.reject()  # the </b>
    assert _fixed(doc) == "发展新质</b>生产力，推动高质量发展。\n今天天气很好，我们去公园散步。\n"
    # new text earlier in the file moves every offset; the neighbouring comma already fixed
    doc.write_text("新增一段文字,放在最前面。\n" + _fixed(doc), encoding="utf-8")
    assert _fixed(doc) == "新增一段文字，放在最前面。\n发展新质</b>生产力，推动高质量发展。\n今天天气很好，我们去公园散步。\n"


def test_edited_replacement_is_used_by_fix(doc: Path) -> None:
    s = _session(doc, "SP001")
    assert s.current().site.before == ","
    s.edit("；")
    assert _fixed(doc, "SP001") == TEXT.replace(",", "；", 1).replace(",", "，")
    # the edited change no longer comes up; the other comma does
    assert _session(doc, "SP001").current().site.right.startswith("我们")


def test_no_decisions_opt_out(doc: Path) -> None:
    s = _session(doc, "SP001")
    s.reject()
    s.reject()
    assert _fixed(doc, "SP001") == TEXT
    fr = Cleaner(select=["SP001"], decisions=False).clean_file(doc)
    assert fr.result.text == TEXT.replace(",", "，")
    out = subprocess.run([*CLI, "fix", str(doc), "--select", "SP001", "--diff", "--no-decisions"],
                         capture_output=True, text=True, cwd=doc.parent)
    assert "，" in out.stdout
    # clean_bytes with the real path honours them too, and clean() given the source file (batch's entry points)
    assert Cleaner(select=["SP001"]).clean_bytes(doc.read_bytes(), str(doc)).result.text == TEXT
    assert Cleaner(select=["SP001"]).clean(TEXT, path="out/a.txt", source=doc).text == TEXT
    assert Cleaner(select=["SP001"]).clean(TEXT, path="elsewhere/a.txt").text == TEXT.replace(",", "，")


# ------------------------------------------------------------------ session logic


@pytest.mark.parametrize("sample", SAMPLES[:2], ids=lambda p: p.name[:3])
def test_trace_is_exactly_what_fix_applies(sample: Path) -> None:
    c = Cleaner(decisions=False)
    changes, text = FileQueue.load(sample, c).trace(lambda k: None)
    fr = c.clean_file(sample)
    assert text == fr.result.text
    assert sum(len(ch.finding.edits) for ch in changes) == len(fr.result.edits)


def test_session_accept_reject_undo_skip(doc: Path) -> None:
    s = _session(doc)
    assert s.pending() == 4
    assert s.accept().site.before == "<b>"
    assert s.reject().site.before == "</b>"
    assert s.current().site.before == ","
    s.undo()
    assert s.current().site.before == "</b>"
    assert s.skip().site.before == "</b>"
    assert s.current().site.before == ","
    s.undo()
    assert s.current().site.before == "</b>"
    s.handle_key("n")
    s.handle_key("y")
    s.handle_key("n")
    assert s.current() is None and s.finished
    assert _fixed(doc) == "发展新质</b>生产力，推动高质量发展。\n今天天气很好,我们去公园散步。\n"
    # undo after the end brings the last change back, and the file follows
    s.handle_key("u")
    assert s.current().site.right.startswith("我们")
    assert _fixed(doc) == "发展新质</b>生产力，推动高质量发展。\n今天天气很好，我们去公园散步。\n"


def test_rule_wide_and_file_wide(tmp_path: Path, doc: Path) -> None:
    other = tmp_path / "b.txt"
    other.write_text("晚上<i>下雨</i>了,大家都在家。\n", encoding="utf-8")
    s = Session([FileQueue.load(doc, _cleaner()), FileQueue.load(other, _cleaner())])
    assert s.current().rule == "MK001"
    s.handle_key("D")  # reject every MK001 change, in both files
    ch = s.current()
    assert ch.rule == "SP001" and ch.path == str(doc)
    s.handle_key("a")  # accept the rest of a.txt
    ch = s.current()
    assert ch.path == str(other) and ch.rule == "SP001"
    s.handle_key("y")
    assert s.current() is None
    assert _fixed(doc) == TEXT.replace(",", "，")
    assert _fixed(other) == "晚上<i>下雨</i>了，大家都在家。\n"
    s.undo()
    s.undo()  # the accept of the rest of a.txt
    s.undo()  # the MK001 rejection
    assert s.current().rule == "MK001"
    assert _fixed(other) == "晚上下雨了，大家都在家。\n"


def _rule(folder: Path, code: str, pattern: str, replacement: str, priority: int) -> None:
    (folder / f"{code}-t.toml").write_text(
        f"id = \"{code}\"\nname = \"t{code.lower()}\"\ncategory = \"spacing\"\nsummary = \"test\"\n"
        f"kind = \"regex\"\nfix = \"safe\"\npriority = {priority}\npattern = '{pattern}'\n"
        f"replacement = \"{replacement}\"\ndocs = \"test rule\"\nmessage = \"test\"\n"
        f"[[examples]]\ninput = \"{pattern}\"\noutput = \"{replacement}\"\n",
        encoding="utf-8",
    )


def test_rejection_unblocks_the_overlapping_fix(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    _rule(rules, "ZZ901", "ABC", "x", 10)  # wins the overlap
    _rule(rules, "ZZ902", "BCD", "y", 20)
    p = tmp_path / "c.txt"
    p.write_text("甲ABCD乙\n", encoding="utf-8")
    c = Cleaner(select=["ZZ9"], rule_dirs=[rules], decisions=False)
    s = Session([FileQueue.load(p, c)])
    assert s.pending() == 1 and s.current().rule == "ZZ901"
    s.reject()
    second = s.current()
    assert second is not None and second.rule == "ZZ902"  # blocked before, shown now
    s.accept()
    fixed = Cleaner(select=["ZZ9"], rule_dirs=[rules]).clean_file(p).result.text
    assert fixed == "甲Ay乙\n"


def test_search_moves_forward_and_skips(doc: Path) -> None:
    s = _session(doc)
    assert s.search("散步").site.right.startswith("我们")
    assert s.current().site.right.startswith("我们")
    assert s.search("nothing like this") is None
    s.undo()
    assert s.current().site.before == "<b>"


def test_apply_decisions_from_file(tmp_path: Path, doc: Path) -> None:
    s = _session(doc)
    s.reject()
    s.accept()
    s.edit("；")
    decisions = dict(s.stores[str(doc)].decisions)
    (doc.parent / DECISIONS_FILE).unlink()
    dfile = tmp_path / "decisions.jsonl"
    dfile.write_text("".join(json.dumps(d.to_dict(), ensure_ascii=False) + "\n" for d in decisions.values()))
    applied, undecided = apply_decisions(_session(doc), decisions)
    assert (applied, undecided) == (3, 1)
    (doc.parent / DECISIONS_FILE).unlink()
    out = subprocess.run([*CLI, "review", str(doc), "--select", "SP001,MK001", "--decisions", str(dfile)],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert out.returncode == 0 and "3 decisions applied" in out.stdout
    assert _fixed(doc) == "发展<b>新质生产力；推动高质量发展。\n今天天气很好，我们去公园散步。\n"


def test_export_examples_are_valid_rule_examples(tmp_path: Path, doc: Path) -> None:
    s = _session(doc)
    s.accept()
    s.reject()
    s.edit("；")
    counts = export_examples(s.stores[str(doc)].decisions.values(), tmp_path / "ex")
    assert counts == {"MK001": 2, "SP001": 1}
    mk = tomllib.loads((tmp_path / "ex" / "MK001.toml").read_text())["examples"]
    assert any(e.get("keep") is True and "</b>" in e["input"] for e in mk)
    assert any(e.get("output") == e["input"].replace("<b>", "", 1) for e in mk)
    sp = tomllib.loads((tmp_path / "ex" / "SP001.toml").read_text())["examples"]
    assert sp[0]["output"] == sp[0]["input"].replace(",", "；", 1)


# ------------------------------------------------------------------ terminal


def test_render_change_fits_width_and_marks_the_change(doc: Path) -> None:
    ch = _session(doc, "SP001").current()
    con = Console(width=60, record=True, color_system=None, file=io.StringIO())
    con.print(render_change(ch, width=60))
    lines = con.export_text().splitlines()
    assert any("SP001 halfwidth-punctuation" in ln and "safe" in ln for ln in lines)
    diff_line = next(ln for ln in lines if ",，" in ln)
    marks = lines[lines.index(diff_line) + 1]
    # the marker starts at the cell where the change starts (CJK characters are two cells)
    assert cell_len(diff_line[: diff_line.index(",，")]) == marks.index("^")
    assert fit_left("一二三四", 5) == "三四" and fit_right("一二三四", 5) == "一二"


def test_invisible_characters_are_made_visible(tmp_path: Path) -> None:
    p = tmp_path / "z.txt"
    p.write_text("发展\u200b新质生产力\n", encoding="utf-8")
    ch = Session([FileQueue.load(p, Cleaner(select=["SP004"], decisions=False))]).current()
    con = Console(width=80, record=True, color_system=None, file=io.StringIO())
    con.print(render_change(ch, width=80))
    assert "‹ZWSP›" in con.export_text()


def test_review_without_a_terminal_exits_2(doc: Path) -> None:
    out = subprocess.run([*CLI, "review", str(doc)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert "not a terminal" in out.stderr


def _spawn(args: list[str], cwd: Path):
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "COLUMNS": "100", "LINES": "40"}
    return pexpect.spawn(sys.executable, ["-m", "cleaner", *args], dimensions=(40, 100), encoding="utf-8",
                         timeout=30, cwd=str(cwd), env=env), pexpect


def test_review_in_a_pty_then_fix_gives_exactly_the_accepted_changes(doc: Path, tmp_path: Path) -> None:
    child, pexpect = _spawn(["review", str(doc), "--select", "SP001,MK001"], tmp_path)
    prompt = r"Accept this change \["
    child.expect("4 changes to review")
    child.expect("MK001")
    child.expect(prompt)
    child.send("y")  # <b>
    child.expect(prompt)
    child.send("n")  # </b>
    child.expect("SP001")
    child.expect(prompt)
    child.send("?")
    child.expect("undo the last decision")
    child.expect(prompt)
    child.send("n")  # first comma
    child.expect(prompt)
    child.send("u")
    child.expect("undid")
    child.expect(prompt)
    child.send("y")  # first comma, after all
    child.expect(prompt)
    child.send("q")
    child.expect("stopped: ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    store = DecisionStore(doc.parent / DECISIONS_FILE)
    assert sorted(d.decision for d in store.decisions.values()) == ["accept", "accept", "reject"]
    out = tmp_path / "out"
    r = subprocess.run([*CLI, "fix", str(doc), "--select", "SP001,MK001", "-o", str(out), "-q"], cwd=tmp_path)
    assert r.returncode in (0, 1)
    # the undecided last comma is fixed as usual; the rejected </b> stays
    assert (out / "a.txt").read_text() == "发展新质</b>生产力，推动高质量发展。\n今天天气很好，我们去公园散步。\n"
    # --only-accepted: exactly the accepted changes, the undecided comma is left
    r = subprocess.run([*CLI, "fix", str(doc), "--select", "SP001,MK001", "-o", str(out), "-q", "--only-accepted"],
                       cwd=tmp_path)
    assert r.returncode in (0, 1)
    assert (out / "a.txt").read_text() == "发展新质</b>生产力，推动高质量发展。\n今天天气很好,我们去公园散步。\n"


def test_only_accepted_without_any_review_changes_nothing(doc: Path) -> None:
    fr = Cleaner(select=["SP001", "MK001"], only_accepted=True).clean_file(doc)
    assert fr.result is not None and fr.result.text == TEXT


def test_review_a_sample_in_a_pty(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    shutil.copy(SAMPLES[0], src)
    text = src.read_text(encoding="utf-8")
    first = FileQueue.load(src, _cleaner("SP001")).trace(lambda k: None)[0][:4]
    child, pexpect = _spawn(["review", str(src), "--select", "SP001"], tmp_path)
    for k in "ynyn":
        child.expect(r"Accept this change \[")
        child.send(k)
    child.expect(r"Accept this change \[")
    child.send("d")  # reject the rest of the file
    child.expect("finished: ")
    child.expect(pexpect.EOF)
    a, c = first[0].site, first[2].site
    expected = text[: a.lo] + a.after + text[a.hi : c.lo] + c.after + text[c.hi :]
    assert _fixed(src, "SP001") == expected


def test_edit_key_in_a_pty(doc: Path, tmp_path: Path) -> None:
    child, pexpect = _spawn(["review", str(doc), "--select", "SP001"], tmp_path)
    child.expect(r"Accept this change \[")
    child.send("e")
    child.expect("New replacement")
    child.sendline(r"\u3001")
    child.expect(r"Accept this change \[")
    child.send("q")
    child.expect(pexpect.EOF)
    assert _fixed(doc, "SP001") == TEXT.replace(",", "、", 1).replace(",", "，")


# ------------------------------------------------------------------ whole-file views


@pytest.mark.parametrize("width", [80, 160])
def test_side_by_side_rows_are_aligned(width: int) -> None:
    c = Cleaner(decisions=False)
    total = 0
    for p in SAMPLES:
        r = c.clean_file(p).result
        rows = side_by_side(p.name, r.original, r.text, r.edits, width)
        assert {cell_len(t.plain) for t in rows} == {width}
        total += len(rows)
    assert total > 100
    # and through the command line, as printed
    out = subprocess.run([*CLI, "diff", str(SAMPLES[1]), "--side-by-side", "--width", str(width)],
                         capture_output=True, text=True)
    lines = out.stdout.splitlines()
    assert out.returncode == 1 and len(lines) > 20
    assert {cell_len(ln) for ln in lines} == {width}
    sep = {cell_len(ln[: ln.index("│")]) for ln in lines if "│" in ln}
    assert len(sep) == 1  # the column separator is at the same cell in every row


def test_diff_stat() -> None:
    out = subprocess.run([*CLI, "diff", str(SAMPLES[0]), "--stat", "--select", "SP001,SP002"],
                         capture_output=True, text=True)
    fr = Cleaner(select=["SP001", "SP002"], decisions=False).clean_file(SAMPLES[0])
    n = sum(1 for e in fr.result.edits if e.rule == "SP001")
    assert f"SP001×{n}" in out.stdout
    assert f"{len(fr.result.edits)} edits" in out.stdout


# ------------------------------------------------------------------ HTML

HOSTILE = "标题<script>alert('x')</script>\n今天天气很好,我们去公园散步。\n"


def _report(tmp_path: Path) -> Path:
    p = tmp_path / "h.txt"
    p.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "report.html"
    r = subprocess.run([*CLI, "diff", str(p), "--select", "SP001", "--html", str(out)], capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    return out


def test_html_report_escapes_text_and_marks_changes(tmp_path: Path) -> None:
    page = _report(tmp_path).read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert '<del title="SP001 halfwidth-punctuation">,</del>' in page
    assert '<ins title="SP001 halfwidth-punctuation">，</ins>' in page
    assert "http" not in page.split("<body>")[0]  # no external assets
    # titles are escaped too
    page2 = report_html([FileDiff("<x>.txt", "a,b", "a，b", [])], {"SP001": '"q"'})
    assert "&lt;x&gt;.txt" in page2 and "<x>" not in page2


CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    report = _report(tmp_path)
    profile = tmp_path / "profile"
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
         "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    dom = r.stdout
    assert "<table" in dom, r.stderr[-2000:]
    assert '<del title="SP001 halfwidth-punctuation">,</del>' in dom
    assert '<ins title="SP001 halfwidth-punctuation">，</ins>' in dom
    assert "<script" not in dom  # the text's <script> stayed text
    assert "&lt;script&gt;" in dom


def test_all_shows_decided_changes_again(doc: Path) -> None:
    s = _session(doc, "SP001")
    s.reject()
    assert _session(doc, "SP001").pending() == 1  # the rejected comma is not asked again
    again = _session(doc, "SP001", fresh=True)
    assert again.pending() == 2
    again.accept()  # changing one's mind overrides the stored rejection
    assert _fixed(doc, "SP001") == TEXT.replace(",", "，")


def test_a_move_is_shown_as_a_move() -> None:
    from cleaner.model import Edit, Finding
    from cleaner.review.decisions import change_key
    from cleaner.review.render import find_move
    from cleaner.review.session import Change

    text = "第一段开头，没有说完\n\n插进来的另一篇文章内容。\n\n接着第一段说完的后半句。\n"
    para = "插进来的另一篇文章内容。\n\n"
    lo = text.index(para)
    f = Finding("AR900", "fragment", lo, lo + len(para), "paragraph out of order", 0.9,
                (Edit(lo, lo + len(para), ""), Edit(len(text), len(text), para)), "unsafe", "reorder")
    st = site(f, text)
    ch = Change("x.txt", "x.txt", f, text, 1, st, change_key("x.txt", f.rule, st), 0, 1)
    assert find_move(ch) == (lo, lo + len(para), len(text))
    con = Console(width=80, record=True, color_system=None, file=io.StringIO())
    con.print(render_change(ch, width=80))
    shown = con.export_text()
    assert "moved 14 characters  from line 3:1 to line 6:1" in shown
    assert "插进来的另一篇文章内容" in shown
