"""Doubled characters and words (京津津冀, 做好好动能, 落地落地).

Chinese has plenty of legitimate adjacent repeats: reduplicated words (纷纷,
实实在在, 大大), two words meeting at a shared character (职责|责任, 市|市场) and
names before a word that starts with their last character (丁小强|强调,
城投|投资). The check therefore works in two steps:

1. a cheap regex finds candidate repeats inside CJK runs: one character
   doubled (``XX``) or a 2-4 character unit doubled (``ABAB``);
2. only for candidates, a small window around the repeat is segmented with
   the lexicon (maximum unigram log-probability, the way jieba's DAG works,
   but never on the whole text) twice: as written, and with one copy removed.

A doubled character is a typo when, as written, one copy is absorbed in a
word and the other is left stranded as a single character, and removing the
stranded copy leaves solid words on both sides of the seam (做好|动能) or a
single word across it (京津冀). When both copies belong to words (职责|责任),
when the pair is itself a word or inside one (纷纷, 实实在在), or when the
stranded copy sits next to unknown characters (a name: 桥航|航空), the text is
left alone. The undecidable middle ground (a word, then a stranded copy, then
no word: 先后|后|破) is reported without a fix.

A doubled unit is a typo when the unit is a word, the doubled form is not, and
the second copy is a whole word in the segmentation (工作|落地|落地,
绩效考核|考核); 深化三化三制 is kept because the repeat straddles words.

Corpus statistics, when given, override both ways: a doubled form seen in
several documents of the dump is a word of the dump; a doubled form seen in one
document while its single twin is common is a typo.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from ..context import RuleContext
from ..lexicon import Lexicon
from ..memo import store
from ..model import Edit, Finding
from ..ruleset import Rule

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CH = re.compile(f"[{_CJK}]")
_MAX_WORD = 8
_WINDOW = 6

# Grammatical particles and numerals: doubled by grammar (目的的实现, 一一对应,
# 看了了解), never as a typo we could tell apart.
_PARTICLES = set("的地得了着过们之等")
_NUMERALS = set("一两零〇几每")  # 一一, 两两, 每每: doubled by grammar; other numerals are judged
# Function characters that stand alone as words before or after a word that
# starts or ends with them: 现在|在|北京, 我们|在|在线, 稳定|和|和平, 关键|是|是否.
# A stray copy of one of them cannot be told from grammar, so it is left alone.
_FUNCTION = set("在对和与是为以把被从向将会有要能就也都还使让给比按据由于及或并而又再才已很更最不没所这那其各该此我你他她它您")
# Administrative units and positions stand alone before a word that starts with
# them (省、市|市场监管, 因为|市|市场): a copy left over before a word is not
# judged for them; after a word (全市|市|经济) it is.
# Measure words and prefixes that open a number phrase (个|百|百分点, 前|三|三季度).
_PREFIXES = set("个前近第约超共")
_STANDALONE_BEFORE = set("省市县区镇乡村大小上下中内外")

# Tentative verb reduplication: 研究研究一下, 商量商量看.
_TENTATIVE = ("一下", "一番", "看")


@dataclass(slots=True)
class _Seg:
    """Best segmentation of a window: its log-probability and token spans."""

    score: float
    tokens: list[tuple[int, int]]

    def token_at(self, i: int) -> tuple[int, int] | None:
        for a, b in self.tokens:
            if a <= i < b:
                return a, b
        return None

    def boundaries(self) -> set[int]:
        return {a for a, _ in self.tokens} | {b for _, b in self.tokens}


def segment(s: str, lex: Lexicon) -> _Seg:
    """Maximum-probability segmentation of a short string with the unigram lexicon."""
    n = len(s)
    best = [0.0] + [float("-inf")] * n
    back = [0] * (n + 1)
    freqs = lex.freqs
    log_total = math.log(lex.total)
    for j in range(1, n + 1):
        bj, kj = float("-inf"), 0
        for i in range(max(0, j - _MAX_WORD), j):
            f = freqs.get(s[i:j])
            if f is None:
                if j - i > 1:
                    continue
                f = 0
            sc = best[i] + _log1p(f) - log_total
            if sc > bj:
                bj, kj = sc, i
        best[j], back[j] = bj, kj
    toks: list[tuple[int, int]] = []
    j = n
    while j > 0:
        toks.append((back[j], j))
        j = back[j]
    toks.reverse()
    return _Seg(best[n], toks)


@functools.lru_cache(maxsize=65536)
def _log1p(f: int) -> float:
    """log(f + 1): the add-one smoothed count of Lexicon.logp, cached."""
    return math.log(f + 1)


_LEFT_RUN = re.compile(f"[{_CJK}]{{0,{_WINDOW}}}$")
_RIGHT_RUN = re.compile(f"[{_CJK}]{{0,{_WINDOW}}}")


def _run_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend [start, end) by up to _WINDOW CJK characters on each side."""
    m = _LEFT_RUN.search(text, max(0, start - _WINDOW), start)
    lo = m.start() if m else start
    hi = _RIGHT_RUN.match(text, end).end()
    return lo, hi


@dataclass(slots=True)
class Verdict:
    """What the judge decided about one repeat: ``typo``, ``unsure`` or ``keep``."""

    kind: str
    reason: str
    gain: float = 0.0


def judge(text: str, start: int, unit: str, lex: Lexicon, corpus=None, params: dict | None = None) -> Verdict:
    """Decide whether ``unit`` doubled at ``text[start:]`` is a typo.

    Public so that tests and benchmarks can query single cases.
    """
    p = params or {}
    min_freq = int(p.get("min_word_freq", 3))
    min_gain = float(p.get("min_gain", 3.0))
    span_gain = float(p.get("span_gain", 9.0))
    corpus_word = int(p.get("corpus_word_docs", 3))
    corpus_twin = int(p.get("corpus_twin_docs", 3))
    k = len(unit)
    end = start + 2 * k
    doubled = unit * 2
    if len(set(unit)) == 1 and k > 1:
        return Verdict("keep", "unit is itself a reduplication")
    if unit[0] in _NUMERALS or (k > 1 and unit[0] in _PARTICLES) or (
        k == 1 and (unit in _FUNCTION or unit in _PARTICLES) and not _spans(text, start, lex)
    ):
        return Verdict("keep", "numeral or particle")
    # Three or more copies in a row: emphasis or onomatopoeia, not a typo.
    if text[end : end + k] == unit or (start >= k and text[start - k : start] == unit):
        return Verdict("keep", "more than two copies")
    if k > 1 and text.startswith(_TENTATIVE, end):
        return Verdict("keep", "verb reduplication (研究研究一下)")
    lo, hi = _run_bounds(text, start, end)
    left, right = text[lo:start], text[end:hi]
    orig = left + doubled + right
    fixed = left + unit + right
    a = len(left)  # first copy at [a, a+k), second at [a+k, a+2k) in orig

    # Corpus evidence first: the dump knows its own words.
    if corpus is not None:
        ctx_form = (left[-1:] + doubled + right[:1])[:4] if k == 1 else doubled
        if corpus.count(ctx_form) >= corpus_word:
            return Verdict("keep", f"{ctx_form} occurs in {corpus.count(ctx_form)} documents")
    if k > 1 and doubled in lex:
        return Verdict("keep", f"{doubled} is a word")
    if k == 1:
        why = _obvious_keep(orig, a, lex)
        if why:
            return Verdict("keep", why)

    so = segment(orig, lex)
    sf = segment(fixed, lex)
    gain = sf.score - so.score

    # The pair lies inside one lexicon word (实实在在, 工作作风, 莘莘学子).
    for ta, tb in so.tokens:
        if ta <= a and tb >= a + 2 * k and tb - ta > k:
            return Verdict("keep", f"inside the word {orig[ta:tb]}")

    twin = None
    if corpus is not None and k == 1 and left and right:
        twin_form = left[-1] + unit + right[0]
        twin_orig = left[-1] + doubled + right[0]
        if corpus.count(twin_form) >= corpus_twin and corpus.count(twin_orig) <= 1:
            twin = twin_form

    if k > 1:
        return _judge_unit(orig, fixed, a, k, so, sf, gain, lex, min_freq, min_gain, span_gain, twin)
    return _judge_char(orig, fixed, a, so, sf, gain, lex, min_freq, min_gain, span_gain, twin)


def _spans(text: str, start: int, lex: Lexicon) -> bool:
    """Does removing the second copy of a doubled character leave one word across
    the seam that holds the characters on both sides (京津|津|冀 → 京津冀)?"""
    if start == 0 or start + 2 >= len(text):
        return False
    for i in range(max(0, start - 3), start):
        for j in range(start + 3, min(len(text), start + 6) + 1):
            if lex.freq(text[i:start + 1] + text[start + 2:j]) >= 10:
                return True
    return False


def _tags() -> tuple[frozenset[str], dict[str, str]]:
    """From jieba's dict.txt: the words tagged as verbs, and the tags of AA words.

    Read once per process, together with the lexicon (and only when a case
    needs it: a doubled character before a word, which may be an adverbial
    reduplication: 人气节节攀升).
    """
    from ..lexicon import jieba_table

    t = jieba_table()
    return t.verbs, t.aa_tags


# Tags of reduplicated words that modify a following verb (纷纷, 渐渐, 大大, 好好).
_ADVERBIAL = ("d", "z", "a", "ad", "b")


def _obvious_keep(s: str, a: int, lexicon: Lexicon) -> str:
    """Cheap tests that settle most legitimate doubled characters without segmenting.

    ``s[a]`` and ``s[a+1]`` are the two copies. Returns the reason, or "" when
    the full judgement is needed.
    """
    n = len(s)
    lex = lexicon.freqs  # plain dict lookups: this runs for every candidate
    # Inside a longer word: 实实在在, 工作作风, 节节攀升.
    for i in range(max(0, a - 4), a + 1):
        for j in range(max(a + 2, i + 3), min(n, i + 6) + 1):
            if s[i:j] in lex:
                return f"inside the word {s[i:j]}"
    ends = [i for i in range(max(0, a - 3), a) if s[i : a + 1] in lex]  # words ending at copy 1
    starts = [j for j in range(a + 3, min(n, a + 5) + 1) if s[a + 1 : j] in lex]  # from copy 2
    if not ends and not starts:
        return f"{s[a:a + 2]} is a word" if s[a : a + 2] in lex else ""
    if ends and starts:
        for i in range(max(0, a - 3), a):  # one word across the seam without a copy: judge fully
            for j in range(a + 3, min(n, a + 5) + 1):
                if s[i : a + 1] + s[a + 2 : j] in lex:
                    return ""
        w1, w2 = min(ends), max(starts)  # the longest words on each side
        # Both words are safe when no other word overlaps their outer ends
        # (好动|能 is not safe: 动能 overlaps; 职责|责任 followed by ， is).
        for i in range(a + 2, w2):
            for j in range(w2 + 1, min(n, i + 4) + 1):
                if s[i:j] in lex:
                    return ""
        for j in range(w1 + 1, a + 1):
            for i in range(max(0, j - 4), w1):
                if s[i:j] in lex:
                    return ""
        return f"two words meet: {s[w1:a + 1]}|{s[a + 1:w2]}"
    return ""


def _solid(tok: tuple[int, int] | None, s: str, lex: Lexicon, min_freq: int) -> bool:
    return tok is not None and tok[1] - tok[0] >= 2 and lex.freq(s[tok[0] : tok[1]]) >= min_freq


def _judge_char(orig, fixed, a, so, sf, gain, lex, min_freq, min_gain, span_gain, twin) -> Verdict:
    t1, t2 = so.token_at(a), so.token_at(a + 1)
    first_in_word = t1 is not None and t1[1] - t1[0] >= 2
    second_in_word = t2 is not None and t2[1] - t2[0] >= 2
    # In the fixed text the kept copy is at a; the seam is between a and a+1.
    f_left = sf.token_at(a - 1) if a > 0 else None
    f_right = sf.token_at(a + 1) if a + 1 < len(fixed) else None
    spans = f_left is not None and f_left == f_right
    if first_in_word and second_in_word:
        # Two words meet (职责|责任), unless removing a copy gives one much more
        # probable word across the seam (互联|联网 → 互联网, 传感|感器 → 传感器);
        # 大学|学生 → 大学生 (gain 6) stays.
        if spans and gain >= span_gain and _solid(f_left, fixed, lex, min_freq):
            return Verdict("typo", f"one word without the copy: {fixed[f_left[0]:f_left[1]]}", gain)
        return Verdict("keep", f"two words meet: {orig[t1[0]:t1[1]]}|{orig[t2[0]:t2[1]]}")
    if twin is not None:
        return Verdict("typo", f"{twin} is common in the corpus, the doubled form is not", gain)
    if a == 0 or a + 2 >= len(orig):
        return Verdict("keep", "no context on one side")
    solid = _solid(f_left, fixed, lex, min_freq) and _solid(f_right, fixed, lex, min_freq)
    if first_in_word and not second_in_word:
        right_word = fixed[f_right[0] : f_right[1]] if f_right is not None else ""
        verbs, aa = _tags()
        if aa.get(orig[a : a + 2], "") in _ADVERBIAL and not spans and right_word in verbs:
            # An adverbial reduplication before a verb (人气节节攀升, 层层压实) that
            # the segmentation split the wrong way; 做好好动能 has a noun there.
            return Verdict("keep", f"{orig[a:a + 2]} before the verb {right_word}")
        # A particle or function character after the stray copy (心电|电|和,
        # 小时|时|可) closes the phrase; common AA words (家家) are not split.
        grammatical = (f_right is not None and f_right[1] - f_right[0] == 1
                       and fixed[f_right[0]] in _FUNCTION | _PARTICLES
                       and lex.freq(orig[a : a + 2]) < 100
                       and _solid(f_left, fixed, lex, min_freq) and f_left[1] == a + 1)
        if (solid or grammatical) and gain >= min_gain:
            how = f"{fixed[f_left[0]:f_left[1]]}" if spans or grammatical else (
                f"{fixed[f_left[0]:f_left[1]]}|{fixed[f_right[0]:f_right[1]]}")
            return Verdict("typo", f"a stray copy between words; without it: {how}", gain)
        return Verdict("unsure", "a copy is left over after the word "
                       f"{orig[t1[0]:t1[1]]} but removing it gives no clear word", gain)
    if second_in_word and not first_in_word and orig[a] not in _STANDALONE_BEFORE:
        # A stray copy before a word: a typo only if a solid word precedes it;
        # otherwise the characters before are most likely a name (桥航|航空).
        kept = sf.token_at(a)
        joined = kept is not None and kept[1] - kept[0] >= 2
        # A particle or function character before the stray copy (的|产|产业链,
        # 把|新|新能源) marks a phrase start, not a name; 人人 and other common
        # AA words are not taken apart that way.
        grammatical = (f_left is not None and f_left[1] - f_left[0] == 1
                       and fixed[f_left[0]] in _FUNCTION | _PARTICLES | _PREFIXES
                       and lex.freq(orig[a : a + 2]) < 100
                       and _solid(f_right, fixed, lex, min_freq))
        if joined and (solid or grammatical) and gain >= min_gain:
            return Verdict("typo", "a stray copy between words", gain)
        return Verdict("keep", "unknown characters before the word: probably a name")
    if spans and solid and gain >= min_gain:
        return Verdict("typo", f"one word without the copy: {fixed[f_left[0]:f_left[1]]}", gain)
    return Verdict("keep", "both copies stand alone: probably a name")


def _judge_unit(orig, fixed, a, k, so, sf, gain, lex, min_freq, min_gain, span_gain, twin) -> Verdict:
    unit = orig[a : a + k]
    bounds = so.boundaries()
    word_unit = lex.freq(unit) >= min_freq
    aligned = (a + k) in bounds and (a + 2 * k) in bounds
    if twin is not None and aligned:
        return Verdict("typo", "the single form is common in the corpus", gain)
    if word_unit and aligned and gain >= min_gain:
        return Verdict("typo", f"the word {unit} is written twice", gain)
    # The second copy left over as single characters after a word that ends
    # with the unit (负责人|责|人 → 负责人表示), with solid words at the seam.
    second = [t for t in so.tokens if a + k <= t[0] and t[1] <= a + 2 * k]
    stranded = (a + 2 * k) in bounds and all(tb - ta == 1 for ta, tb in second) and (
        sum(tb - ta for ta, tb in second) == k)
    f_left, f_right = sf.token_at(a + k - 1), sf.token_at(a + k)
    if stranded and f_left != f_right and _solid(f_left, fixed, lex, min_freq) and (
            _solid(f_right, fixed, lex, min_freq)) and f_left[1] - f_left[0] > k and gain >= min_gain:
        return Verdict("typo", f"{unit} left over after the word {fixed[f_left[0]:f_left[1]]}", gain)
    # Anywhere else, a large gain with solid words at the seam (野生动|生动|物 →
    # 野生动物, 水平明|平明|显 → 水平明显); 深化三化三制 leaves 三 alone at the seam.
    if f_left is not None and f_right is not None and gain >= span_gain and (
            _solid(f_left, fixed, lex, min_freq) and _solid(f_right, fixed, lex, min_freq)):
        return Verdict("typo", f"{unit} repeated inside {fixed[f_left[0]:f_right[1]]}", gain)
    return Verdict("keep", "the repeat straddles words")


# candidates() compares the text's code points with themselves shifted. Between
# the other rules of a pass, the fixed cost of each array operation (and of
# allocating its arrays) outweighs the work on a page's few thousand code
# points, so the arrays are per-thread scratch buffers reused from call to
# call, one per power-of-two size up to _SCRATCH_CHARS (longer texts allocate
# their own): at most ~0.8 MB per thread.
_SCRATCH_CHARS = 1 << 16
_scratch = threading.local()
_PAD = "\0\0\0\0"  # not CJK: the padding never completes a repeat
_CJK_UNIT = re.compile(f"[{_CJK}]+")


def _code_points(text: str, n: int):
    """The code points of ``text`` followed by at least four zeros (uint32),
    and two boolean arrays of length ``n`` to write comparisons into."""
    import numpy as np

    cap = 1 << max(8, (n + 4).bit_length())  # > n + 4
    if cap > _SCRATCH_CHARS:
        return (np.frombuffer(np.array(text + _PAD), dtype=np.uint32), np.empty(n, dtype=np.bool_),
                np.empty(n, dtype=np.bool_))
    bufs = getattr(_scratch, "bufs", None)
    if bufs is None:
        bufs = _scratch.bufs = {}
    buf = bufs.get(cap)
    if buf is None:
        chars = np.zeros((), dtype=f"U{cap}")  # UCS-4, no codec (and no error on a lone surrogate)
        buf = bufs[cap] = (chars, np.frombuffer(chars, dtype=np.uint32), np.empty(cap, dtype=np.bool_),
                           np.empty(cap, dtype=np.bool_))
    buf[0][()] = text  # copies the code points and zeroes the rest
    return buf[1], buf[2][:n], buf[3][:n]


def candidates(text: str) -> list[tuple[int, str]]:
    """Every (start, unit) where a 1-4 character CJK unit is followed by itself,
    the shortest unit at each start.

    Vectorised: the text as an array of code points is compared with itself
    shifted by k; a unit of length k > 1 repeats where k shifted comparisons
    in a row are equal. Two in a row are rare (a page has a handful), so numpy
    finds those and each is then checked as a string; equal neighbours
    (k = 1) are some dozens a page, mostly line breaks, spaces and digits, and
    the CJK test runs on them only.
    (A unit of one character repeated, such as 纷纷纷纷, is found at k = 1.)
    """
    import numpy as np

    n = len(text)
    if n < 2:
        return []
    a, eq, pair = _code_points(text, n)
    a0 = a[:n]
    cjk = _CJK_UNIT.fullmatch
    np.equal(a0, a[1 : n + 1], out=eq)
    ones = [i for i in eq.nonzero()[0].tolist() if text[i] >= "\u3400" and cjk(text, i, i + 1)]
    longer: dict[int, int] | None = None
    if n >= 4:
        eq1, pair = eq[1:], pair[: n - 1]
        for k in (2, 3, 4):
            if n < 2 * k:
                break
            np.equal(a0, a[k : n + k], out=eq)
            np.logical_and(eq[:-1], eq1, out=pair)  # text[i] == text[i+k] and text[i+1] == text[i+k+1]
            for i in pair.nonzero()[0].tolist():
                unit = text[i : i + k]
                if unit == text[i + k : i + 2 * k] and cjk(unit):
                    if longer is None:
                        longer = {}
                    longer.setdefault(i, k)  # k = 2 first: the shortest unit wins
    if longer is None:
        return [(i, text[i]) for i in ones]
    best = dict.fromkeys(ones, 1)
    for i, k in longer.items():
        best.setdefault(i, k)
    return [(i, text[i : i + best[i]]) for i in sorted(best)]


# judge() reads the text only within this many characters of the repeat
# (_run_bounds: _WINDOW; _spans: 3 before, 6 after the start; a third copy: k ≤ 4
# after; _TENTATIVE: 2 after), so its verdict is a function of that window and
# the repeat's offset in it. Later engine passes meet the same repeats again.
_JUDGE_REACH = 8
_memo: tuple[object, object, dict, dict, dict] | None = None
# What doubled() needs of a repeat that judge() keeps: its kind (the reason is not reported).
_KEEP = Verdict("keep", "")


def _verdicts(lex: Lexicon, corpus: object, params: dict) -> tuple[dict, dict]:
    """The verdict memos for this lexicon, corpus and parameter set: by the
    text around a repeat, and by the CJK window judge() actually segments."""
    global _memo
    m = _memo
    if m is None or m[0] is not lex or m[1] is not corpus or m[2] != params:
        m = _memo = (lex, corpus, dict(params), {}, {})
    return m[3], m[4]


def _verdict(text: str, start: int, unit: str, lex: Lexicon, corpus, params: dict, windows: dict) -> Verdict:
    """judge(text, start, unit, ...), or what doubled() needs of it, from what it reads.

    The cases judge() keeps whatever the window holds are settled first (a
    numeral or particle; a function character without a word across the
    seam; a doubled unit that is a word). The rest depends on the text only
    through the CJK run around the repeat that _run_bounds() cuts out (a third
    copy, 研究研究一下 and the corpus forms all lie inside it; so does the word
    across the seam that let a function character through, whose test reads
    more). That window is the key of the second memo: the same clause meets
    the rule with its punctuation still half-width in the first pass and
    normalised in the next, where the wider raw key differs.
    """
    c = unit[0]
    k = len(unit)
    if c in _NUMERALS:
        return _KEEP
    if k == 1:
        if (c in _FUNCTION or c in _PARTICLES) and not _spans(text, start, lex):
            return _KEEP
    elif c in _PARTICLES or unit + unit in lex.freqs:
        return _KEEP
    lo, hi = _run_bounds(text, start, start + 2 * k)
    key = (text[lo:hi], start - lo, unit)
    v = windows.get(key)
    if v is None:
        v = store(windows, key, judge(text, start, unit, lex, corpus, params))
    return v


def doubled(text: str, ctx: RuleContext, rule: Rule) -> Iterator[Finding]:
    """Rule entry point: report doubled characters and units, fix the clear ones."""
    matches = candidates(text)
    if not matches:
        return
    lex = ctx.lexicon
    corpus = ctx.corpus
    params = rule.params
    memo, windows = _verdicts(lex, corpus, params)
    get = memo.get
    reach = _JUDGE_REACH
    n = len(text)
    last_end = -1
    for start, unit in matches:
        k = len(unit)
        end = start + 2 * k
        if end <= last_end:
            continue
        if start >= reach and end + reach <= n:
            key = text[start - reach : end + reach]  # its length gives k, the offset is reach
        else:  # cut off by the text's start or end: a tuple, never equal to a whole window
            lo = start - reach if start > reach else 0
            key = (text[lo : end + reach], start - lo, k)
        v = get(key)
        if v is None:
            v = store(memo, key, _verdict(text, start, unit, lex, corpus, params, windows))
        if v.kind == "keep":
            continue
        last_end = end
        data = {"unit": unit, "reason": v.reason, "gain": round(v.gain, 2)}
        if v.kind == "typo":
            conf = min(0.99, 0.6 + v.gain / 40)
            # The second copy goes: the edit never touches text outside the repeat.
            yield rule.finding(start, end, f"{unit} written twice: {v.reason}",
                               edits=[Edit(start + k, end, "")], confidence=conf,
                               fix="safe", data=data)
        else:
            yield rule.finding(start, end, f"{unit}{unit}: possibly doubled ({v.reason})",
                               confidence=0.4, fix="none", data=data)
