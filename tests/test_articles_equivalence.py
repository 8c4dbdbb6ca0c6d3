"""The fast paths of the article stage give exactly what the plain code gives.

The numpy term scan (``cleaner.articles.lexscan``) is checked against
``_words_slow`` + ``_org_terms``, the Python reference, text by text and over
whole issues; the quick tests in front of regex searches (``roles``) against
the searches themselves; ``_rare_partners`` against its first version.
"""

import importlib
import random
import re
import sys
from pathlib import Path

import pytest

from cleaner import structure as st
from cleaner.articles import build_articles, lexscan, roles
from cleaner.lexicon import Lexicon, default_lexicon

seg = importlib.import_module("cleaner.articles.segment")
reassemble = importlib.import_module("cleaner.articles.reassemble")
ROOT = Path(__file__).resolve().parent.parent

# words with non-CJK characters, of 3 and 4 characters whose prefix is no word,
# a frequency of 0, a very common word, words on both sides of the 3000 line
TOY = Lexicon({"T恤": 50, "B超": 40, "3G网": 10, "工业": 2000, "工业园": 30, "工业园区": 20, "园区": 100,
               "中国": 5000, "人民": 900, "银行": 800, "人民银行": 60, "青岩": 0, "岩工业": 5, "发展": 4000,
               "项目": 2500, "区公司": 7, "的了": 3, "刘广": 2999, "广智": 3000, "\n甲": 5})
# characters outside every word (刘广智 names, 𠀀 beyond the BMP, a lone surrogate),
# the organisation suffixes, separators, spaces
ALPHABET = ("的了是在和与及对为发展项目青岩工业园区公司T恤B超3G网AB x中国人民银行刘广智华远新材料股份集团县市大学院医"
            "甲\n\n，。 𠀀\ud800")


def _reference(s: str, lexicon) -> frozenset[str]:
    out = seg._words_slow(s, lexicon)
    seg._org_terms(s, out)
    return frozenset(out)


def _random_texts(rnd: random.Random, k: int) -> list[str]:
    return ["".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 40))) for _ in range(k)]


def test_terms_many_matches_reference_on_random_text():
    rnd = random.Random(11)
    for _ in range(300):
        texts = _random_texts(rnd, rnd.randint(0, 6))
        assert seg.terms_many(texts, TOY) == [_reference(s, TOY) for s in texts], texts


def test_names_next_to_words_of_each_length():
    # words without words inside them: each one alone blocks the trigrams it overlaps
    lex = Lexicon({"甲乙丙丁": 5, "子丑寅": 5, "天地": 5})
    rnd = random.Random(13)
    for _ in range(300):
        texts = ["".join(rnd.choice("甲乙丙丁子丑寅天地张三李四\n") for _ in range(rnd.randint(0, 16)))
                 for _ in range(rnd.randint(1, 3))]
        assert seg.terms_many(texts, lex) == [_reference(s, lex) for s in texts], texts
    assert "丁张三" not in seg.terms("甲乙丙丁张三", lex) and "张三李" in seg.terms("甲乙丙丁张三李", lex)


def test_terms_many_matches_reference_on_samples():
    lex = default_lexicon()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    paras = [para for t in texts for para in t.split("\n\n")]
    assert seg.terms_many(paras, lex) == [_reference(s, lex) for s in paras]
    assert seg.terms(texts[0], lex) == _reference(texts[0], lex)


def test_word_table_follows_the_lexicon():
    lex = Lexicon({"甲乙": 5})
    assert "甲乙丙" not in seg.terms("甲乙丙丁", lex)
    lex.add("甲乙丙", 5)
    assert "甲乙丙" in seg.terms("甲乙丙丁", lex)
    lex.add("甲乙", 4000)  # no longer rare: same words, new frequency
    assert "甲乙" not in seg.terms("甲乙丙丁", lex)


def test_too_many_characters_for_the_table_falls_back():
    # 2^15 characters or more in the words: 4 of them do not fit an int64
    chars = [chr(0x4E00 + k) for k in range(0x5200)] + [chr(0x20000 + k) for k in range(0x3000)]
    lex = Lexicon({a + b: 10 for a, b in zip(chars[::2], chars[1::2])})
    assert lexscan.build_table(lex.freqs) is None
    s = "".join(chars[:40]) + "公司"
    assert seg.terms_many([s, s[3:]], lex) == [_reference(s, lex), _reference(s[3:], lex)]


class _Delegating:
    """A lexicon that is no plain Lexicon: terms go through ``_words_slow``."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex

    def __contains__(self, w: str) -> bool:
        return w in self.lex

    def freq(self, w: str) -> int:
        return self.lex.freq(w)


def test_build_articles_same_with_the_reference_term_path():
    sys.path.insert(0, str(ROOT / "bench"))
    import gen_issues

    rng = random.Random(3)
    items = []
    for k in range(2):
        iss = gen_issues.gen_issue(rng, 4, 100 * k)
        items += [(f"issue_{k}/page_{page:02d}.txt", "\n".join(lines)) for page, lines in iss.pages.items()]
    items += [(str(p), p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").glob("*.txt"))[:2]]
    lex = default_lexicon()
    assert build_articles(items, _Delegating(lex)) == build_articles(items, lex)


@pytest.mark.parametrize("few", [0, 64, 10**9])
def test_hash_index_is_a_dict(monkeypatch, few):
    import numpy as np

    monkeypatch.setattr(lexscan, "_FEW", few)  # slot by slot, mixed, all remaining probes at once
    rnd = np.random.default_rng(1)
    for n, span in ((1, 10), (50, 100), (5000, 1 << 20), (20000, 1 << 52)):
        keys = rnd.choice(np.arange(1, span, dtype=np.int64), n, replace=False) if span < 1 << 21 \
            else np.unique(rnd.integers(1, span, n))
        index = lexscan._HashIndex(keys)
        where = {int(k): i for i, k in enumerate(keys)}
        q = np.concatenate([keys, rnd.integers(1, span, 3 * len(keys)), [0]])
        assert index.find(q).tolist() == [where.get(int(k), -1) for k in q]


# ---------------------------------------------------------------- _rare_partners
def _rare_partners_v1(pieces, df, max_df=2):
    drafts = {}
    for p in pieces:
        if p.draft is not None:
            drafts.setdefault(id(p.draft), p)
    holders = {}
    for key, p in drafts.items():
        for t in p.draft_terms:
            if df.get(t, 0) <= max_df:
                holders.setdefault(t, []).append(key)
    out = {}
    for keys in holders.values():
        for k in keys:
            out.setdefault(k, set()).update(keys)
    return out


class _Draft:
    def __init__(self):
        self.pieces = []


class _Piece:
    def __init__(self, draft, terms):
        self.draft, self.draft_terms = draft, terms
        draft.pieces.append(self)


def test_rare_partners_matches_first_version():
    rnd = random.Random(5)
    vocab = [f"t{k}" for k in range(30)]
    for _ in range(300):
        drafts = [_Draft() for _ in range(rnd.randint(1, 8))]
        pieces = []
        for d in drafts:
            terms = frozenset(rnd.sample(vocab, rnd.randint(0, 6)))
            pieces += [_Piece(d, terms) for _ in range(rnd.randint(1, 2))]
        rnd.shuffle(pieces)
        # counts as assemble makes them, or arbitrary ones (missing terms count 0)
        df = {t: rnd.randint(1, 4) for t in rnd.sample(vocab, rnd.randint(0, 30))}
        assert reassemble._rare_partners(pieces, None, df) == _rare_partners_v1(pieces, df)
        ra = reassemble._rare_sets(pieces, df)
        for a in pieces:
            for b in pieces:
                assert reassemble._rare_common(ra[id(a.draft)], ra[id(b.draft)]) == \
                    seg.common_terms(a.draft_terms, b.draft_terms, rare=df)


# ---------------------------------------------------------------- quick tests before regex searches
def _lines_to_test() -> list[str]:
    rnd = random.Random(9)
    sample = [ln.strip() for p in sorted((ROOT / "samples").glob("*.txt"))
              for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()]
    pieces = ["张三", "王波", "记者", "通讯员", "（", "）", "(", ")", " ", "\u3000", "\xa0", "\t", "。", "，", "\n",
              "下转", "上接", "转", "接", "续", "第4版", "第一版", "ICP备", "公网安备", "更多>", "声明：", "开发区",
              "高平经济技术开发区", "坚定不移强化项目硬支撑", "2021-12-13", "山西日报", "a", "1"]
    made = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 8))) for _ in range(3000)]
    header = "北方县域经济·综合新闻  第4版  2019年4月8日 星期日  山西日报  要闻  综合"  # a running head of 40+
    dotted = "山西日报·县域经济综合新闻·2019年4月8日·星期日·第4版·要闻综合"  # one that is no token list
    jumps = ["（续第2版）", "（接第3面）", "(转第4页)", "【上接第一版】"]
    return sample + made + ["。 进晓宇", "投产达效。（王波）", "投产达效。(王波)", "投产达效。（王波）\n",
                            "新篇章。 进晓宇 \n", header, header[:60], dotted, *jumps, *(j + "集中力量攻坚。" for j in jumps)]


def _split_zone_title_v1(line):
    s = line.strip()
    parts = re.split(r"[ \t\u3000\xa0]+", s, maxsplit=1)
    if len(parts) == 2 and st.is_zone_label(parts[0]) and len(parts[0]) >= 4 and st.is_title_like(parts[1]):
        return parts[0], parts[1]
    return None


def _find_jump_v1(line):
    m = roles.JUMP_RE.search(line)
    return None if m is None else (m.start(), m.end())


def test_quick_tests_match_the_searches():
    for s in _lines_to_test():
        assert roles.byline_tail(s) == st.byline_tail(s), s
        j, rest = roles.find_jump(s)
        assert (j is None) == (_find_jump_v1(s) is None), s
        if j is None:
            assert rest == s
        furniture_v1 = bool(roles._FURNITURE_RE.search(s.strip()) or st.is_token_list(s.strip())
                            or st.is_page_marker(s.strip(), bare_numbers=True) or st.is_running_header(s.strip()))
        assert roles.is_furniture(s) == furniture_v1, s
        assert roles.split_zone_title(s) == _split_zone_title_v1(s), s


def _cut_word_v1(left, right, lexicon, min_freq=3):
    from cleaner.text import is_cjk

    left, right = left.rstrip(), right.lstrip()
    if not left or not right or not is_cjk(left[-1]) or not is_cjk(right[0]):
        return None
    best = None
    for k in (1, 2, 3):
        a = left[-k:]
        if len(a) < k or not all(is_cjk(c) for c in a):
            break
        for m in (1, 2, 3):
            b = right[:m]
            if len(b) < m or not all(is_cjk(c) for c in b):
                break
            f = lexicon.freq(a + b)
            if f >= min_freq and (best is None or (len(a + b), f, a + b) > best):
                best = (len(a + b), f, a + b)
    return best[2] if best else None


def test_cut_word_matches_first_version():
    rnd = random.Random(17)
    lex = Lexicon({"倾斜": 50, "适当倾斜": 20, "斜支": 4, "当倾斜支": 9, "倾斜支持": 9, "a倾": 30, "斜b": 30, "倾": 5})
    for _ in range(3000):
        left = "".join(rnd.choice("适当倾a 。") for _ in range(rnd.randint(0, 5)))
        right = "".join(rnd.choice("斜支持b 。") for _ in range(rnd.randint(0, 5)))
        assert roles.cut_word(left, right, lex) == _cut_word_v1(left, right, lex), (left, right)
        assert roles.cut_word(left, right, lex, 1) == _cut_word_v1(left, right, lex, 1), (left, right)


@pytest.mark.parametrize("line", ["招商引资，收集项目信息。 进晓宇", "投产达效。（王波 张晨帆）", "推进。 记者 王波"])
def test_byline_tail_found(line):
    assert roles.byline_tail(line) is not None and roles.byline_tail(line) == st.byline_tail(line)
