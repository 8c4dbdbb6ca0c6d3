"""Split one cleaned page into article drafts made of pieces.

A *draft* is what the printed order shows as one article: an optional title
block (zone label, kicker, title, subtitle) and the paragraphs under it up to
the next title block, dateline or byline. Its paragraphs form a *piece*, the
unit that reassembly moves and joins. Text printed after a byline opens a new,
title-less draft that remembers the draft above it: reassembly joins it back
when it clearly carries on the same story (a byline in the middle of an
article), weighing it against every other place it could belong.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path

from .. import structure as st
from ..lexicon import Lexicon as _Lexicon
from ..text import CJK
from . import lexscan, roles
from .roles import LineInfo


@dataclass
class Piece:
    """A run of paragraphs of one file that read on from one another."""

    path: str
    paras: list[LineInfo]
    draft: Draft | None = None
    uid: int = 0

    @property
    def first(self) -> LineInfo:
        return self.paras[0]

    @property
    def last(self) -> LineInfo:
        return self.paras[-1]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras)

    @property
    def has_lead(self) -> bool:
        return self.first.role == "lead"

    @property
    def points(self) -> list[int]:
        return [p.data["point"] for p in self.paras if p.data.get("point")]

    @property
    def jump_to(self) -> roles.Jump | None:
        return next((p.data["jump"] for p in self.paras if p.data.get("jump") and p.data["jump"].direction == "to"), None)

    @property
    def jump_from(self) -> roles.Jump | None:
        return next((p.data["jump"] for p in self.paras if p.data.get("jump") and p.data["jump"].direction == "from"), None)

    @property
    def open_end(self) -> bool:
        last = self.last
        return last.role in ("body", "lead") and not last.data.get("byline") and roles.ends_open(last.text)

    def ref(self) -> dict:
        return {"path": self.path, "lines": [self.first.lineno, self.last.lineno],
                "start": self.first.start, "end": self.last.end}


@dataclass
class Draft:
    path: str
    heading: list[LineInfo] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    evidence: list[dict] = field(default_factory=list)
    closed: bool = False  # a byline ended the last piece
    after_byline_of: Draft | None = None  # printed right after this draft's byline

    @property
    def body(self) -> list[LineInfo]:
        return [p for pc in self.pieces for p in pc.paras]

    def add(self, line: LineInfo) -> None:
        if not self.pieces:
            self.pieces.append(Piece(self.path, [line], self))
        else:
            self.pieces[-1].paras.append(line)


def page_number(path: str, text: str = "") -> int | None:
    """Page (edition) number of a file, from its name (``page_04``, ``p4``, ``第4版``,
    ``04.txt``) or from a page marker line in its first lines."""
    name = Path(path).stem
    m = re.search(r"(?:page|版|p|pg|第)[_\-\s]?0*(\d{1,3})", name, re.I) or re.search(r"(?:^|[_\-])0*(\d{1,3})$", name)
    if m:
        return int(m.group(1))
    for line in text.splitlines()[:5]:
        m = re.match(r"^\s*第\s*(\d{1,3})\s*版", line)
        if m:
            return int(m.group(1))
    return None


def _lines(text: str) -> list[LineInfo]:
    out: list[LineInfo] = []
    pos = 0
    for lineno, raw in enumerate(text.split("\n"), 1):
        if raw:  # the blank lines between paragraphs cost nothing more
            s = raw.strip()
            if s:
                lead = len(raw) - len(raw.lstrip())
                out.append(LineInfo(s, pos + lead, pos + lead + len(s), lineno))
        pos += len(raw) + 1
    return out


def _expand(lines: list[LineInfo]) -> list[LineInfo]:
    """Classify lines; split ``zone title`` lines; pull out jump markers, trailing
    bylines, numbered points."""
    out: list[LineInfo] = []
    for ln in lines:
        jump, rest = roles.find_jump(ln.text)
        if jump is not None:
            ln.data["jump"] = jump
            ln.text = rest
            if not rest:
                # a marker alone on its line belongs to the paragraph next to it
                target = out[-1] if jump.direction == "to" and out else None
                if target is not None:
                    target.data["jump"] = jump
                else:
                    ln.role = "jumpline"
                    out.append(ln)
                continue
        if st.is_heading_marked(ln.text):
            # a Markdown heading the cleaner did not remove: a title or subhead
            k = len(ln.text) - len(ln.text.lstrip("#"))
            body = ln.text[k:].lstrip()
            ln.start += len(ln.text) - len(body)
            ln.text = body
            ln.role = "zone" if st.is_zone_label(body) else "title"
            ln.data["marked"] = True
            out.append(ln)
            continue
        zt = roles.split_zone_title(ln.text)
        if zt:
            z, t = zt
            out.append(LineInfo(z, ln.start, ln.start + len(z), ln.lineno, "zone"))
            k = ln.text.index(t, len(z))
            out.append(LineInfo(t, ln.start + k, ln.end, ln.lineno, "title"))
            continue
        ln.role = roles.classify(ln.text)
        if jump is not None and ln.role not in ("body", "lead"):
            ln.role = "body"  # text next to a jump marker is running text, however short
        if ln.role == "meta":
            ln.data.update(roles.web_meta(ln.text) or {})
        if ln.role in ("body", "lead"):
            k = roles.byline_tail(ln.text)
            if k is not None:
                ln.data["byline"] = ln.text[k:].strip().strip("（）()").strip()
                ln.data["byline_at"] = k
            p = roles.point_number(ln.text)
            if p:
                ln.data["point"] = p
            if ln.role == "lead":
                ld = roles.parse_lead(ln.text)
                if ld:
                    ln.data["leadinfo"] = ld
        out.append(ln)
    # a pending "from" marker line goes onto the next paragraph
    fixed: list[LineInfo] = []
    carry = None
    for ln in out:
        if ln.role == "jumpline":
            carry = ln.data["jump"]
            continue
        if carry is not None and ln.role in ("body", "lead"):
            ln.data.setdefault("jump", carry)
            carry = None
        fixed.append(ln)
    return fixed


_HEADING = ("title", "zone", "subtitle")
_TWO_PART = re.compile(r"^[^\s，。；]{4,}[ \u3000][^\s，。；]{4,}$")


# Runs of two or more CJK characters (the characters ``is_cjk`` accepts): the
# bigram and term loops walk these runs instead of testing every character.
_CJK_RUN = re.compile(f"[{CJK}]{{2,}}")
_CJK_TAIL = re.compile(f"[{CJK}]{{1,14}}$")
_NOT_CJK = re.compile(f"[^{CJK}]")


def grams(s: str) -> set[str]:
    """CJK character bigrams of ``s``."""
    out: set[str] = set()
    for run in _CJK_RUN.findall(s):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def terms(s: str, lexicon=None) -> frozenset[str]:
    """Content terms of ``s``: lexicon words of 2–4 characters that are not very
    common (发展, 项目 say nothing about which story a piece belongs to),
    name-like trigrams that no lexicon word covers (刘广智: names of people),
    and names of places, firms and bodies: runs of 5–14 characters ending with
    an organisation suffix (青岩工业园区, 华远新材料股份公司; the caller keeps
    those rare in the batch). Without a lexicon: CJK bigrams."""
    if lexicon is None:
        return frozenset(grams(s))
    return _terms(s, lexicon)


def _plain_words(lexicon) -> dict[str, int] | None:
    """The word → frequency dict of a plain :class:`~cleaner.lexicon.Lexicon`, whose
    ``in`` and ``freq`` are lookups in it (None for any other kind of lexicon)."""
    freqs = getattr(lexicon, "freqs", None)
    if type(lexicon).__contains__ is _Lexicon.__contains__ and type(lexicon).freq is _Lexicon.freq \
            and isinstance(freqs, dict):
        return freqs
    return None


def _table(lexicon) -> lexscan.WordTable | None:
    """The numpy word table of a plain lexicon (None for any other kind, or when
    its characters are too many for the table)."""
    freqs = _plain_words(lexicon)
    return lexscan.word_table(freqs, getattr(lexicon, "total", 0)) if freqs is not None else None


def _terms(s: str, lexicon) -> frozenset[str]:
    """:func:`terms` of one text with a lexicon (no cache: draft texts do not repeat)."""
    if _table(lexicon) is not None:
        return terms_many([s], lexicon)[0]
    freqs = _plain_words(lexicon)
    out = _words_fast(s, freqs) if freqs is not None else _words_slow(s, lexicon)
    _org_terms(s, out)
    return frozenset(out)


def terms_many(texts: list[str], lexicon=None) -> list[frozenset[str]]:
    """:func:`terms` of each text. With a plain lexicon the texts are scanned
    together, the lookups done in numpy (:mod:`.lexscan`): the drafts of an
    issue cost one pass instead of one Python lookup per substring."""
    if lexicon is None:
        return [frozenset(grams(s)) for s in texts]
    table = _table(lexicon)
    if table is None:
        return [_terms(s, lexicon) for s in texts]  # through _words_fast or _words_slow
    return lexscan.scan(texts, table, _FUNCTION_CHARS, _ORG_RE)


def _words_slow(s: str, lexicon) -> set[str]:
    """Lexicon words and name-like trigrams of ``s`` (see :func:`terms`), through
    the lexicon's ``in`` and ``freq``: the reference for :func:`_words_fast`."""
    out: set[str] = set()
    for m in _CJK_RUN.finditer(s):
        run_end = m.end()
        for i in range(m.start(), run_end - 1):  # s[i] and s[i + 1] are CJK
            for k in (2, 3, 4):
                if i + k > run_end:
                    break
                w = s[i:i + k]
                f = lexicon.freq(w)
                if 0 < f < 3000:
                    out.add(w)
            if i + 3 <= run_end:
                t = s[i:i + 3]
                if (t[0] not in _FUNCTION and t[2] not in _FUNCTION
                        and t not in lexicon and t[:2] not in lexicon and t[1:] not in lexicon
                        and not _crossed(s, i, i + 3, lexicon)):
                    out.add(t)
    return out


_PREFIXES: list[tuple[dict, int, set[str], set[str]]] = []


def _prefixes(freqs: dict[str, int]) -> tuple[set[str], set[str]]:
    """First two characters of the words of 3 and of 4 characters (built once
    per word table; rebuilt when words are added)."""
    for table, size, pre3, pre4 in _PREFIXES:
        if table is freqs and size == len(freqs):
            return pre3, pre4
    pre3 = {w[:2] for w in freqs if len(w) == 3}
    pre4 = {w[:2] for w in freqs if len(w) == 4}
    del _PREFIXES[:-1]  # keep the tables of at most two word lists
    _PREFIXES.append((freqs, len(freqs), pre3, pre4))
    return pre3, pre4


def _words_fast(s: str, freqs: dict[str, int]) -> set[str]:
    """:func:`_words_slow` for a plain word → frequency table, with the loops in
    C where possible: every substring of 2–4 characters is looked up at most
    once, and one of 3 or 4 characters only when some word of that length
    starts with its first two. Used for a word list whose characters do not
    fit the numpy table of :mod:`.lexscan` (which does the same for many texts)."""
    out: set[str] = set()
    n = len(s)
    if n < 2:
        return out
    get = freqs.get
    pre3, pre4 = _prefixes(freqs)
    k2 = list(map(str.__add__, s[:-1], s[1:]))  # k2[a] == s[a:a + 2]
    f2 = list(map(get, k2))
    # frequency of s[a:a + L] at index a + 4 (None: not a word), with None
    # before the start and past the end for the neighbours of a trigram
    t2 = [None] * 4 + f2 + [None] * 6
    t3 = [None] * (n + 10)
    t4 = [None] * (n + 10)
    for a in compress(range(n - 2), map(pre3.__contains__, k2)):
        t3[a + 4] = get(s[a:a + 3])
    for a in compress(range(n - 3), map(pre4.__contains__, k2)):
        t4[a + 4] = get(s[a:a + 4])
    mask = _NOT_CJK.sub("x", s)  # "x" in mask[a:b]: s[a:b] is not all CJK
    # lexicon words of 2-4 CJK characters that are not very common
    for tab, size in ((t2, 2), (t3, 3), (t4, 4)):
        for x in compress(range(len(tab)), tab):
            if 0 < tab[x] < 3000 and "x" not in mask[x - 4:x - 4 + size]:
                out.add(s[x - 4:x - 4 + size])
    # name-like trigrams: no word inside them nor across their edges (the words
    # of 2-4 characters overlapping s[a:a + 3] without lying inside it)
    none2 = list(map(operator.is_, f2, repeat(None)))
    for a in compress(range(n - 2), map(operator.and_, none2, none2[1:])):
        x = a + 4
        if (t3[x] is None and s[a] not in _FUNCTION and s[a + 2] not in _FUNCTION and "x" not in mask[a:a + 3]
                and t2[x - 1] is None and t2[x + 2] is None and t3[x - 1] is None and t3[x + 1] is None
                and t3[x + 2] is None and t3[x - 2] is None and t4[x - 3] is None and t4[x - 2] is None
                and t4[x - 1] is None and t4[x] is None and t4[x + 1] is None and t4[x + 2] is None):
            out.add(s[a:a + 3])
    return out


def _org_terms(s: str, out: set[str]) -> None:
    """Add the names of places, firms and bodies (青岩工业园区, 华远新材料股份公司):
    every run of 5–14 CJK characters that ends with an organisation suffix."""
    for m in _ORG_RE.finditer(s):
        j = m.end()
        # the CJK characters s[lo:j]: every s[i:j] with i >= lo is all CJK
        tail = _CJK_TAIL.search(s, max(0, j - 14), j)
        if tail is not None:
            for i in range(tail.start(), j - 4):
                out.add(s[i:j])


_ORG_RE = re.compile("(?:开发区|经开区|高新区|示范区|园区|保税区|新区|集团|公司|学院|大学|医院|中心|县|市)")


# Function characters: a trigram that starts or ends with one is a phrase fragment.
_FUNCTION_CHARS = "的了是在和与及对为把被将从向于等之其这那有个们以到由就也都而并或但若且让给更再还又已"
_FUNCTION = set(_FUNCTION_CHARS)


def _crossed(s: str, i: int, j: int, lexicon) -> bool:
    """A lexicon word of 2–4 characters overlaps ``s[i:j]`` without lying inside it
    (``做强装`` in ``做强装备``): then ``s[i:j]`` is not a unit of its own."""
    for a in range(max(0, i - 3), j):
        for b in range(max(a + 2, i + 1), min(len(s), a + 4) + 1):
            if (a < i or b > j) and b > i and a < j and s[a:b] in lexicon:
                return True
    return False


def shared_terms(a: str, b: str, lexicon=None, limit: int = 50, rare: dict[str, int] | None = None,
                 max_df: int = 2) -> list[str]:
    """Content terms found in both texts (see :func:`terms`); with ``rare`` (term →
    number of drafts of the batch holding it), only those found in at most
    ``max_df`` drafts: a phrase every article uses is no evidence."""
    return common_terms(terms(a, lexicon), terms(b, lexicon), limit, rare, max_df)


def common_terms(ta: frozenset[str], tb: frozenset[str], limit: int = 50, rare: dict[str, int] | None = None,
                 max_df: int = 2) -> list[str]:
    """:func:`shared_terms` of two texts from their :func:`terms`."""
    common = ta & tb
    if rare is not None:
        common = frozenset(g for g in common if rare.get(g, 0) <= max_df)
    return sorted(common, key=lambda t: (-len(t), t))[:limit]


def segment(path: str, text: str, lexicon=None) -> list[Draft]:
    """Drafts of one cleaned file in printed order (see module docstring)."""
    lines = _expand(_lines(text))
    drafts: list[Draft] = []
    cur: Draft | None = None
    i, n = 0, len(lines)

    def new(heading: list[LineInfo] | None = None) -> Draft:
        d = Draft(path, list(heading or []))
        drafts.append(d)
        return d

    while i < n:
        ln = lines[i]
        role = ln.role
        if role == "furniture":
            i += 1
            continue
        if role == "meta":
            target = cur if cur is not None and not cur.pieces else None
            if target is None and cur is not None and not cur.body:
                target = cur
            if target is not None:
                for k, v in ln.data.items():
                    target.meta.setdefault(k, v)
            i += 1
            continue
        if (role == "title" and cur is not None and cur.body and roles.loose_byline(ln.text)
                and cur.body[-1].role in ("body", "lead") and not roles.ends_open(cur.body[-1].text)
                and not cur.body[-1].data.get("byline")
                and (i + 1 == n or lines[i + 1].role in (*_HEADING, "lead")
                     or any(t[0] in getattr(st, "SURNAMES", "") for t in ln.text.split())
                     or (lexicon is not None and not any(t in lexicon for t in ln.text.split())))):
            # a name line closing a finished paragraph, before the next article
            ln.role = "byline"
            role = "byline"
        if role in _HEADING:
            j = i
            block: list[LineInfo] = []
            metas: list[LineInfo] = []
            while j < n and lines[j].role in (*_HEADING, "meta", "furniture"):
                if lines[j].role in _HEADING:
                    block.append(lines[j])
                elif lines[j].role == "meta":
                    metas.append(lines[j])
                j += 1
            nxt = lines[j] if j < n else None
            starts = (
                cur is None
                or cur.closed
                or not cur.pieces
                # a paragraph cut off (or sent to another page) cannot be followed by a subhead
                or (cur.body[-1].role in ("body", "lead") and (roles.ends_open(cur.body[-1].text)
                                                              or bool(cur.body[-1].data.get("jump"))))
                or any(b.role in ("zone", "subtitle") for b in block)
                or (nxt is not None and nxt.role == "lead")
                or bool(metas)
                or nxt is None
                # a two-part headline (“强化安全监管 筑牢发展底线”) opens an article
                or any(b.role == "title" and _TWO_PART.match(b.text) for b in block)
            )
            if not starts:
                for b in block:
                    b.role = "subhead"
                    cur.add(b)
                i = j
                continue
            # a headline printed after its body: title lines in front of a zone label,
            # or a title block that ends the file, go back to a title-less draft
            zone_at = next((k for k, b in enumerate(block) if b.role == "zone"), None)
            dangling: list[LineInfo] = []
            if zone_at:
                dangling, block = block[:zone_at], block[zone_at:]
            elif nxt is None:
                dangling, block = block, []
            if dangling and cur is not None and cur.pieces and not cur.closed and cur.body[-1].role in ("body", "lead"):
                # short lines between running text and the next article: the tail of a
                # paragraph cut at the page end, not a headline
                for dl in dangling:
                    dl.role = "body"
                    cur.add(dl)
            elif dangling and cur is not None and not any(h.role == "title" for h in cur.heading) and cur.pieces:
                cur.heading = dangling
                sim = len(shared_terms("".join(d.text for d in dangling), cur.pieces[0].text, None))
                cur.evidence.append({
                    "kind": "move", "what": "title", "title": " ".join(d.text for d in dangling),
                    "from": {"path": path, "lines": [dangling[0].lineno, dangling[-1].lineno]},
                    "reason": "headline printed after its title-less body",
                    "confidence": round(min(0.95, 0.6 + 0.05 * sim), 2),
                })
            elif dangling:
                block = dangling + block
            if block:
                cur = new(block)
                for m in metas:
                    for k, v in m.data.items():
                        cur.meta.setdefault(k, v)
            i = j
            continue
        if role == "lead":
            if cur is None or cur.body:
                cur = new()
            cur.add(ln)
            cur.closed = bool(ln.data.get("byline"))
            i += 1
            continue
        if role == "byline":
            if cur is not None and cur.pieces:
                cur.pieces[-1].paras[-1].data.setdefault("byline_line", []).append(ln)
                cur.closed = True
            i += 1
            continue
        # body paragraph (or a subhead promoted to body)
        if cur is None:
            cur = new()
            cur.add(ln)
        elif cur.closed:
            # text after a byline: a new draft for now; reassembly joins it back
            # when it clearly continues the article above (shared names, points)
            prev = cur
            cur = new()
            cur.after_byline_of = prev  # type: ignore[attr-defined]
            cur.add(ln)
        else:
            cur.add(ln)
        cur.closed = bool(ln.data.get("byline"))
        i += 1
    drafts = [d for d in drafts if d.pieces or d.heading]
    _preamble_to_kicker(drafts)
    return drafts


def _preamble_to_kicker(drafts: list[Draft]) -> None:
    """Short non-sentence lines at the top of a page, above the first title
    (a banner or slogan), become the kicker of that title."""
    if len(drafts) < 2:
        return
    first, nxt = drafts[0], drafts[1]
    lines = first.body
    if first.heading or not nxt.heading or not lines or len(lines) > 2:
        return
    if any(roles.ends_open(ln.text) is False or len(ln.text) > 60 for ln in lines):
        return
    for ln in lines:
        ln.role = "title"
    nxt.heading = lines + nxt.heading
    drafts.remove(first)
