"""The fast paths of the DUP rules give the findings of plain reference versions.

The rules establish "nothing repeats" with a few C-speed operations over the
whole text and cut sentences with ``str`` methods (``duplicate._pieces``);
the references below do it the plain way, line by line and with ``_PIECE``'s
``findall()``, as the rules did before they had fast paths.
"""

from __future__ import annotations

import bisect
import random
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner.checks import duplicate as dup
from cleaner.checks.boilerplate import page, remove_line_edit
from cleaner.model import Edit, Finding
from cleaner.ruleset import Rule, load_rules

RULES = {r.id: r for r in load_rules() if r.id.startswith("DUP")}
RULE_FNS = {"DUP001": dup.exact_paragraph, "DUP002": dup.exact_sentence, "DUP003": dup.near_duplicate,
            "DUP004": dup.summary_block}
_WS = " \r\ufeff"


# ------------------------------------------------------------------ references


def _ref_pieces(text: str) -> list[str]:
    return [p.replace(" ", "") for p in dup._PIECE.findall(dup.fold(text) + "\n")]


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos)


def ref_dup_paragraphs(text: str, min_chars: int) -> dict[int, int]:
    first: dict[str, int] = {}
    dups: dict[int, int] = {}
    for i, line in enumerate(dup.fold(text).split("\n")):
        line = line.strip(_WS)
        if len(line) < min_chars:
            continue
        key = line.replace(" ", "")
        j = first.setdefault(key, i)
        if j != i and dup._weight(key) >= min_chars and any(c in key for c in ",.;!?。、"):
            dups[i] = j
    return dups


def ref_exact_paragraph(text: str, rule: Rule) -> list[Finding]:
    min_chars = int(rule.params.get("min_chars", 20))
    if len(text) < 2 * min_chars:
        return []
    out = []
    pg = page(text)
    for i, j in ref_dup_paragraphs(text, min_chars).items():
        a, b = pg.lines[j], pg.lines[i]
        out.append(rule.finding(
            b.start, b.end, f"paragraph repeats the one at {dup._where(text, a.start)}: “{dup._quote(a.text)}”",
            edits=[remove_line_edit(text, pg, i)], related=(a.start, a.end)))
    return out


def ref_exact_sentence(text: str, rule: Rule) -> list[Finding]:
    p = rule.params
    min_chars, adjacent_min = int(p.get("min_chars", 12)), int(p.get("adjacent_min_chars", 6))
    safe_distance = int(p.get("safe_distance", 3000))
    if len(text) < 2 * min_chars:
        return []
    first: dict[str, dup.Sentence] = {}
    repeats = []
    for s in dup.sentences(text, min(min_chars, adjacent_min)):
        o = first.setdefault(s.key, s)
        if o is s:
            continue
        w = dup._weight(s.key)
        if w >= min_chars or w >= adjacent_min and not text[o.end : s.start].strip():
            repeats.append((s, o))
    dup_paras = ref_dup_paragraphs(text, int(p.get("paragraph_min_chars", 20)))
    by_para: dict[int, list] = {}
    for s, o in repeats:
        if _line_of(text, s.start) not in dup_paras:
            by_para.setdefault(_line_of(text, s.start), []).append((s, o))
    out = []
    pg = page(text)
    for pi, pairs in by_para.items():
        ln = pg.lines[pi]
        left = text[ln.start : ln.end]
        for s, _ in sorted(pairs, key=lambda x: -x[0].start):
            left = left[: s.start - ln.start] + left[s.end - ln.start :]
        whole = not left.strip()
        for s, orig in pairs[:1] if whole else pairs:
            far = s.start - orig.end > safe_distance
            out.append(rule.finding(
                s.start, s.end,
                f"sentence repeats the one at {dup._where(text, orig.start)}: “{dup._quote(text[orig.start:orig.end])}”",
                edits=[remove_line_edit(text, pg, pi) if whole else Edit(s.start, s.end, "")],
                fix="unsafe" if far else "safe", confidence=0.7 if far else rule.confidence,
                related=(orig.start, orig.end), data={"distance": s.start - orig.end}))
    return out


def ref_near_duplicate(text: str, rule: Rule) -> list[Finding]:
    from rapidfuzz import fuzz

    p = rule.params
    min_chars, threshold, n = int(p.get("min_chars", 20)), float(p.get("threshold", 85)), int(p.get("ngram", 8))
    max_bucket, length_ratio = int(p.get("max_bucket", 20)), float(p.get("length_ratio", 0.75))
    if len(text) < 2 * min_chars:
        return []
    sents = dup.sentences(text, min_chars)
    seen: set[str] = set()
    index: dict[tuple[int, str], list[int]] = {}
    out = []
    for k, s in enumerate(sents):
        key = s.key
        if key in seen:
            continue  # an exact repeat is DUP002's
        seen.add(key)
        anchors = (key[0:n], key[2 * n : 3 * n], key[-3 * n - 1 : -2 * n - 1], key[-n - 1 : -1])
        cands: set[int] = set()
        for kind, g in enumerate(anchors):
            bucket = index.setdefault((kind, g), [])
            if 0 < len(bucket) <= max_bucket:
                cands.update(bucket)
            bucket.append(k)
        best = None
        for c in cands:
            lo, hi = sorted((len(sents[c].key), len(key)))
            if lo < length_ratio * hi:
                continue
            score = fuzz.ratio(sents[c].key, key, score_cutoff=threshold)
            if score and (best is None or score > best[0]):
                best = (score, c)
        if best is None or dup._weight(key) < min_chars:
            continue
        orig = sents[best[1]]
        pg = page(text)
        pi = _line_of(text, s.start)
        ln = pg.lines[pi]
        whole = not text[ln.start : s.start].strip() and not text[s.end : ln.end].strip()
        out.append(rule.finding(
            s.start, s.end,
            f"sentence is {best[0]:.0f}% similar to the one at {dup._where(text, orig.start)}: "
            f"“{dup._quote(text[orig.start:orig.end])}”",
            edits=[remove_line_edit(text, pg, pi) if whole else Edit(s.start, s.end, "")],
            related=(orig.start, orig.end), data={"similarity": round(best[0], 1)}))
    return out


def _ref_opening(fl: str) -> tuple[bool, str, str | None, str]:
    line = fl.strip(_WS)
    open3 = line[:6].replace(" ", "")[:3]
    m = dup._SUMMARY_LABEL.match(line)
    if m is not None:
        head = line[m.end() :]
        return True, head, head[:6].replace(" ", "")[:3] if head else None, open3
    return False, line, open3 if line else None, open3


def ref_summary_block(text: str, rule: Rule) -> list[Finding]:
    min_chars, min_share = int(rule.params.get("min_chars", 15)), float(rule.params.get("min_share", 0.8))
    lines = dup.fold(text).split("\n")
    nonblank = [i for i, fl in enumerate(lines) if fl.strip(_WS)]
    out = []
    for i, j in pairwise(nonblank):
        label, block, head3, _ = _ref_opening(lines[i])
        if head3 != _ref_opening(lines[j])[3] or len(block) < min_chars:
            continue
        head, body = dup.norm(block), dup.norm(lines[j].strip(_WS))
        if len(head) < min_chars:
            continue
        if not label and (len(body) <= len(head) or not any(c in head for c in ",;。")):
            continue
        k = next((k for k, (x, y) in enumerate(zip(head, body)) if x != y), min(len(head), len(body)))
        if body.startswith(head):
            share = 1.0
        elif label and k >= min_chars and k / len(head) >= min_share:
            share = k / len(head)
        else:
            continue
        pg = page(text)
        b = pg.lines[j]
        out.append(rule.finding(
            pg.lines[i].start, pg.lines[i].end,
            f"summary block repeats the opening of the paragraph at {dup._where(text, b.start)}: “{dup._quote(b.text)}”",
            edits=[remove_line_edit(text, pg, i)], related=(b.start, b.end), data={"share": round(share, 2)}))
    return out


REFS = {"DUP001": ref_exact_paragraph, "DUP002": ref_exact_sentence, "DUP003": ref_near_duplicate,
        "DUP004": ref_summary_block}


def _tuples(findings) -> list[tuple]:
    return [(f.rule, f.start, f.end, f.message, f.safety, f.confidence, f.related,
             [(e.start, e.end, e.replacement) for e in f.edits], sorted((f.data or {}).items())) for f in findings]


def _assert_like_reference(text: str) -> None:
    for code, fn in RULE_FNS.items():
        rule = RULES[code]
        got = _tuples(fn(text, None, rule))
        assert got == _tuples(REFS[code](text, rule)), (code, text)


# ------------------------------------------------------------------ generated documents

_LONG = ["会议强调，要进一步解放思想，切实打通项目建设的关键环节", "园区建设取得新进展，各部门要狠抓落实确保任务完成",
         "产业园区建设是县域经济高质量发展的重要抓手", "要进一步明确产业园区重点项目建设时间表和问题清单",
         "为加快推进园区建设提供坚实保障，确保全年目标任务圆满完成"]
_SHORT = ["一是加强领导", "居民范国平说", "二是加强督查", "好"]
_TITLES = ["临汾经济开发区", "强化要素保障提升服务效能", "(下转第4版)", "【核心提示】"]
_ENDS = ["。", "！", "？", "；", "…", "……", "。”", "！”", "。）", "?", ";", "!", "。’”", "”", ""]
_SPACES = [" ", "\u3000", "\t", "\xa0", "  "]


def _vary(rnd: random.Random, s: str) -> str:
    """``s`` with its width, spaces or lead-in changed now and then."""
    r = rnd.random()
    if r < 0.15:
        s = s.replace("，", ",")
    elif r < 0.3:
        k = rnd.randrange(len(s) + 1)
        s = s[:k] + rnd.choice(_SPACES) + s[k:]
    elif r < 0.4:
        s = rnd.choice("他我你") + "指出，" + s[3:]
    return s


def _sentence(rnd: random.Random) -> str:
    body = _vary(rnd, rnd.choice(_LONG) if rnd.random() < 0.7 else rnd.choice(_SHORT))
    end = rnd.choice(_ENDS)
    if rnd.random() < 0.1 and len(end) > 1:  # a space inside the end: "。 ”"
        end = end[0] + rnd.choice(_SPACES) + end[1:]
    return ("“" if rnd.random() < 0.1 else "") + body + end


def _document(rnd: random.Random) -> str:
    lines: list[str] = []
    for _ in range(rnd.randint(1, 14)):
        r = rnd.random()
        if r < 0.15:
            lines.append(rnd.choice(_TITLES))
        elif r < 0.25:
            lines.append("")
        elif r < 0.35 and lines:
            lines.append(_vary(rnd, rnd.choice(lines)))  # a repeated paragraph
        elif r < 0.42:
            body = "".join(_sentence(rnd) for _ in range(rnd.randint(1, 3)))
            label = rnd.choice(["核心提示：", "内容提要:", "【摘要】：", "导读 : ", "【内容提要】：", ""])
            lines += [label + body[: rnd.randint(min(5, len(body)), len(body))], body]  # a summary block
        else:
            lines.append(rnd.choice(["", "　　", " "]) + "".join(_sentence(rnd) for _ in range(rnd.randint(1, 4)))
                         + rnd.choice(["", "", "记者 张鑫", " "]))
    text = "\n".join(lines)
    if rnd.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rnd.random() < 0.1:
        text = "\ufeff" + text
    return text


def test_rules_agree_with_references_on_generated_documents():
    rnd = random.Random(11)
    found = set()
    for _ in range(1500):
        text = _document(rnd)
        _assert_like_reference(text)
        found.update(f.rule for code, fn in RULE_FNS.items() for f in fn(text, None, RULES[code]))
    assert found == set(RULE_FNS)  # the documents exercise every rule


_ALPHABET = list("会议强调要加快推进项目建设进度一是加强领导临汾经济开发区") + list("。！？!?…；;，,：:”’」』）)》】“（(《【 \n\t\r") \
    + ["\u3000", "\xa0", "\ufeff", "核心提示：", "摘要:", dup._MARK]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ALPHABET), max_size=120).map("".join))
def test_pieces_are_those_of_the_regex(text):
    folded = dup.fold(text)
    assert dup._pieces(folded, folded.replace(" ", "")) == _ref_pieces(text)


_BLOCKS = st.sampled_from(_LONG + _SHORT + _TITLES + _ENDS + _SPACES + ["\n", "\n\n", "，", ",", "核心提示：", "“"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCKS, max_size=40).map("".join))
def test_rules_agree_with_references(text):
    _assert_like_reference(text)


def test_doc_sentences_have_the_offsets_of_sentences():
    rnd = random.Random(3)
    for _ in range(300):
        text = _document(rnd)
        doc = dup._Doc(text)
        got = [doc.sentence(i)[0] for i, key in enumerate(doc.pieces) if key[-1] != "\n"]
        assert got == dup.sentences(text)
        assert all(doc.sentence(i)[1] == bisect.bisect_right(doc.starts, doc.sentence(i)[0].start) - 1
                   for i, key in enumerate(doc.pieces) if key[-1] != "\n")


# ------------------------------------------------------------------ the common path


def _clean_page() -> str:
    rnd = random.Random(5)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    paras = ["".join("".join(rnd.choices(chars, k=rnd.randint(15, 40))) + "，"
                     + "".join(rnd.choices(chars, k=rnd.randint(5, 20))) + rnd.choice("。！？；")
                     for _ in range(4)) for _ in range(30)]
    return "临汾经济开发区\n\n" + "\n\n".join(paras) + "\n\n张鑫"


def test_nothing_repeats_nothing_found_without_work_per_line(monkeypatch):
    """On a page where nothing repeats, no rule looks at a line or a sentence."""
    def boom(*args, **kwargs):
        raise AssertionError("per-line work on the common path")

    for name in ("page", "_opening", "_find_dup_paragraphs_slow", "_repeated_sentences"):
        if hasattr(dup, name):
            monkeypatch.setattr(dup, name, boom)
    monkeypatch.setattr(dup._Doc, "sentence", boom)
    text = _clean_page()
    for code, fn in RULE_FNS.items():
        assert list(fn(text, None, RULES[code])) == []


@pytest.mark.parametrize("code", sorted(RULE_FNS))
def test_one_repeat_gives_the_reference_finding(code):
    text = _clean_page()
    paras = text.split("\n\n")
    if code == "DUP001":
        paras.insert(20, paras[5])
    elif code == "DUP002":
        paras[20] += dup.sentences(paras[5])[1].key
    elif code == "DUP003":
        s = "赵宏钟在调研中指出,产业园区建设是县域经济高质量发展的重要抓手,要进一步明确产业园区重点项目建设时间表。"
        paras[3] += s
        paras[20] += "他指出,“3+2”" + s[9:]
    else:
        paras.insert(10, "核心提示：" + paras[10][:30])
    text = "\n\n".join(paras)
    found = list(RULE_FNS[code](text, None, RULES[code]))
    assert len(found) == 1 and found[0].rule == code
    assert _tuples(found) == _tuples(REFS[code](text, RULES[code]))
