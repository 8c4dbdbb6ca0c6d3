"""The measurement harness itself (bench/corrupt.py): generator and scorer.

These tests check the yardstick, not the cleaner: ground truth is where the
generator says it is, runs are deterministic, the clean corpus holds none of
the injected defects, and the scorer gives a perfect cleaner full marks and
the identity function none.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import corrupt as C  # noqa: E402


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    return C.load_corpus()


@pytest.fixture(scope="module")
def copies(docs: dict[str, str]) -> list[C.Corrupted]:
    return C.generate(docs, [7], C.CLASSES, count=3)


def test_corpus_is_sizeable_and_original(docs: dict[str, str]) -> None:
    assert len(docs) >= 4
    total = sum(len(t) for t in docs.values())
    paras = sum(len(C.paragraphs(t)) for t in docs.values())
    assert total >= 6000 and paras >= 60
    samples = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "samples").glob("*.txt"))
    for text in docs.values():  # no sentence of the clean corpus comes from the samples
        for m in C._SENTENCE.finditer(text):
            s = m.group().replace("，", ",").replace("：", ":")
            assert len(s) < 25 or s not in samples


def test_clean_corpus_holds_no_defect(docs: dict[str, str]) -> None:
    for name, text in docs.items():
        assert "<" not in text and "&" not in text and "#" not in text, name
        assert not re.search(r"[\u0080-\u00ff]", text.replace("²", "")), name  # no Latin-1 mojibake
        assert not re.search(r"[,:;!?()][\u4e00-\u9fff]|[\u4e00-\u9fff][,:;!?()]", text), name  # full-width only
        assert not re.search(r"[\u4e00-\u9fff] (and|of|the|in|to|for|with) [\u4e00-\u9fff]", text), name
        assert "ICP备" not in text and "版权所有" not in text, name
        paras = [p for p in text.split("\n\n") if len(p) >= 30]
        assert len(paras) == len(set(paras)), name  # no duplicate paragraphs
        assert text == text.strip() and "\n\n\n" not in text and "  " not in text, name
        s2t, t2s = C._opencc()
        assert t2s.convert(text) == text, name  # simplified throughout
        for form in C.LEGIT_FORMS:
            assert any(form in t for t in docs.values()), form


def test_fold_keeps_clean_text_and_maps_positions(docs: dict[str, str]) -> None:
    folded, idx = C.fold("  甲，乙\u00a0 丙\n\n\n丁\n戊 LED  5G ")
    assert folded == "甲,乙丙\n\n丁\n戊LED 5G"
    assert [folded[k] for k in range(len(folded))][0] == "甲" and idx[0] == 2
    for text in docs.values():
        f, m = C.fold(text)
        assert len(f) == len(m) and all(a < b for a, b in zip(m, m[1:]) if a != b)


def test_ground_truth_positions(copies: list[C.Corrupted]) -> None:
    per_class: dict[str, int] = {}
    for c in copies:
        for inj in c.injections:
            per_class[inj.cls] = per_class.get(inj.cls, 0) + 1
            assert c.clean[inj.start:inj.end] == inj.original
            assert c.text[inj.pos:inj.pos + len(inj.corrupted)] == inj.corrupted
            assert inj.corrupted != inj.original
            if inj.source:
                assert inj.corrupted.strip("\n") == c.clean[inj.source[0]:inj.source[1]]
        # undoing every injection restores the clean text exactly
        text = c.text
        for inj in sorted(c.injections, key=lambda i: -i.pos):
            text = text[:inj.pos] + inj.original + text[inj.pos + len(inj.corrupted):]
        assert text == c.clean
    assert set(per_class) == set(C.CLASSES)


def test_generator_is_deterministic(docs: dict[str, str]) -> None:
    name, text = next(iter(docs.items()))
    for cls in C.CLASSES:
        a = C.corrupt(text, cls, 3, 3, name=name)
        b = C.corrupt(text, cls, 3, 3, name=name)
        assert a.text == b.text and a.injections == b.injections
    assert C.corrupt(text, "doubled", 3, 3, name=name).text != C.corrupt(text, "doubled", 4, 3, name=name).text


def test_defects_look_like_their_class(copies: list[C.Corrupted]) -> None:
    for c in copies:
        for inj in c.injections:
            if inj.cls == "mojibake":
                assert re.search(r"[\u0080-\u00ff]", inj.corrupted)
            elif inj.cls == "pagebreak":
                assert inj.corrupted in ("\n", "\n\n") and inj.start == inj.end
            elif inj.cls == "foreign":
                assert inj.corrupted.strip().isascii() and inj.corrupted.strip().isalpha()
            elif inj.cls == "doubled":
                at = inj.pos
                n = len(inj.corrupted)
                assert c.text[at - n:at] == inj.corrupted or c.text[at + n:at + 2 * n] == inj.corrupted
            elif inj.cls == "traditional":
                assert C._opencc()[1].convert(inj.corrupted) == inj.original


def test_scorer_perfect_and_identity(docs: dict[str, str], copies: list[C.Corrupted]) -> None:
    back = {c.text: c.clean for c in copies}
    perfect = C.score_corrupted(copies, lambda t: back[t], C.score_clean(docs, lambda t: t))
    identity = C.score_corrupted(copies, lambda t: t, C.score_clean(docs, lambda t: t))
    for cls in C.CLASSES:
        assert perfect.recall(cls) == 1.0, cls
        assert identity.recall(cls) == 0.0, cls
    assert perfect.changed == 0 and perfect.clean_changed == 0 and not perfect.broken
    assert identity.harm < 0.001


def test_scorer_counts_harm_and_broken_reduplication(docs: dict[str, str]) -> None:
    def naive(t: str) -> str:  # the rule the harness must catch: collapse every doubled character
        return re.sub(r"([\u4e00-\u9fff])\1", r"\1", t)

    s = C.score_clean(docs, naive)
    assert s.clean_changed > 0 and s.clean_harm > 0
    forms = {b[0] for b in s.broken}
    assert {"实实在在", "职责责任", "王志强强调"} <= forms
    # width and whitespace changes alone are not harm
    s = C.score_clean(docs, lambda t: t.replace("，", ",").replace("\n\n", "\n \n"))
    assert s.clean_changed == 0
