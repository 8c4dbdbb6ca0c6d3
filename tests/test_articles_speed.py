"""The fast paths of the article stage give what the plain code gives."""

import importlib
import random
from pathlib import Path

from cleaner.lexicon import Lexicon, default_lexicon

seg = importlib.import_module("cleaner.articles.segment")
reassemble = importlib.import_module("cleaner.articles.reassemble")
ROOT = Path(__file__).resolve().parent.parent

# words with non-CJK characters, words of 3 and 4 characters whose prefix is no
# word, a frequency of 0, a very common word: the corners of _words_fast
TOY = Lexicon({"T恤": 50, "B超": 40, "3G网": 10, "工业": 2000, "工业园": 30, "工业园区": 20, "园区": 100,
               "中国": 5000, "人民": 900, "银行": 800, "人民银行": 60, "青岩": 0, "岩工业": 5, "发展": 4000,
               "项目": 2500, "区公司": 7, "的了": 3})
ALPHABET = "的了是在和与及对为发展项目青岩工业园区公司T恤B超3G网AB x中国人民银行\n，。𠀀"


def _both(s: str, lexicon) -> tuple[set, set]:
    return seg._words_slow(s, lexicon), seg._words_fast(s, lexicon.freqs)


def test_words_fast_matches_reference_on_random_text():
    rnd = random.Random(7)
    for _ in range(2000):
        s = "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 24)))
        slow, fast = _both(s, TOY)
        assert slow == fast, s


def test_words_fast_matches_reference_with_default_lexicon():
    lex = default_lexicon()
    for p in sorted((ROOT / "samples").glob("*.txt")):
        slow, fast = _both(p.read_text(encoding="utf-8"), lex)
        assert slow == fast, p.name


def test_prefix_tables_follow_new_words():
    lex = Lexicon({"甲乙": 5})
    assert "甲乙丙" not in seg._words_fast("甲乙丙丁", lex.freqs)
    lex.add("甲乙丙", 5)
    assert "甲乙丙" in seg._words_fast("甲乙丙丁", lex.freqs)


def test_common_terms_is_shared_terms():
    lex = default_lexicon()
    a = "青岩工业园区华远新材料股份公司刘广智介绍，动力电池项目年内投产。"
    b = "刘广智说，青岩工业园区的动力电池项目进展顺利。"
    ta, tb = seg.terms(a, lex), seg.terms(b, lex)
    assert seg.common_terms(ta, tb) == seg.shared_terms(a, b, lex)
    df = {t: 3 for t in ta}
    df["刘广智"] = 2
    assert seg.common_terms(ta, tb, rare=df) == seg.shared_terms(a, b, lex, rare=df) == ["刘广智"]


def test_rare_partners_pairs_drafts_sharing_a_rare_term():
    lex = default_lexicon()
    texts = {"p1.txt": "标题甲\n\n本报讯 刘广智在青岩工业园区调研动力电池项目。\n",
             "p2.txt": "标题乙\n\n本报讯 王建国考察冷链物流。\n",
             "p3.txt": "刘广智表示，青岩工业园区将继续推进。\n"}
    drafts = [d for path, text in texts.items() for d in seg.segment(path, text, lex)]
    reassemble.assemble(drafts, lex)  # sets draft_terms
    pieces = [p for d in drafts for p in d.pieces]
    df: dict[str, int] = {}
    for d in drafts:
        for t in d.pieces[0].draft_terms:
            df[t] = df.get(t, 0) + 1
    partners = reassemble._rare_partners(pieces, lex, df)
    by_path = {d.path: id(d) for d in drafts}
    assert by_path["p3.txt"] in partners[by_path["p1.txt"]]
    assert by_path["p3.txt"] not in partners.get(by_path["p2.txt"], set())
