"""Put pieces back in reading order, within a page and across the pages of an issue.

Candidate joins A → B (B reads on from A) come from, in order of strength:
jump markers with page numbers (``（下转第4版）`` / ``（上接第1版）``); the
opening of an article printed below its own end (a title-less piece with the
lead, ending mid-sentence, right under a titled piece without one: sample
001, confirmed by a lexicon word across the cut, 倾|斜, or numbered points);
text after a byline that carries on the same story (shared names: sample
004); and a continuation without title or lead elsewhere in the issue, scored
on the sentence cut (lexicon word across it, a first character that cannot
start a sentence), numbered points that continue (二是 → 三是) and shared
names of people, places and bodies (terms that every article of the batch
uses count for nothing). Joins are accepted greedily by confidence, each piece
getting at most one predecessor and one successor, no cycle; candidates that
compete for a piece need a clear winner among those still open. Precision
first: pieces nobody claims stay where they were printed, and an article
whose ends stay open is reported as a fragment.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from . import roles
from .segment import Draft, Piece, common_terms, page_number, shared_terms, terms_many

MIN_CONFIDENCE = 0.7


@dataclass
class Join:
    a: Piece
    b: Piece
    confidence: float
    reason: str
    kind: str = "join"
    rivals: list[Join] = field(default_factory=list, repr=False, compare=False)  # loose joins: competitors

    def to_dict(self) -> dict:
        return {"kind": self.kind, "between": [self.a.ref(), self.b.ref()], "reason": self.reason,
                "confidence": round(self.confidence, 2)}


def _names(a_text: str, terms: list[str], lexicon) -> int:
    """How many distinct names two texts share: name-like trigrams, and names of
    places and bodies (5+ characters) not contained in a longer shared one."""
    tri = sum(1 for t in terms if len(t) == 3 and (lexicon is None or t not in lexicon))
    orgs = [t for t in terms if len(t) >= 5]
    top = [t for t in orgs if not any(t != u and t in u for u in orgs)]
    return tri + len(top)


def _closed(p: Piece) -> bool:
    """A byline ends the piece: the article is complete there."""
    return bool(p.last.data.get("byline") or p.last.data.get("byline_line"))


def _headless(p: Piece) -> bool:
    """``p`` opens a draft that has neither title nor lead: a continuation."""
    d = p.draft
    return d is not None and d.pieces[0] is p and not getattr(d, "heading_title", None) and not p.has_lead


def _rare_sets(pieces: list[Piece], df: dict[str, int], max_df: int = 2) -> dict[int, frozenset[str]]:
    """id(draft) → the terms of the draft held by at most ``max_df`` drafts (those
    :func:`common_terms` keeps with ``rare=df``), by set difference in C."""
    common = {t for t, n in df.items() if n > max_df}
    out: dict[int, frozenset[str]] = {}
    for p in pieces:
        if p.draft is not None and id(p.draft) not in out:
            out[id(p.draft)] = p.draft_terms - common  # type: ignore[attr-defined]
    return out


def _rare_partners(pieces: list[Piece], lexicon, df: dict[str, int],
                   max_df: int = 2, rare: dict[int, frozenset[str]] | None = None) -> dict[int, set[int]]:
    """id(draft) → ids of the drafts sharing at least one rare term with it (a
    term held by at most ``max_df`` drafts, as in :func:`shared_terms`); a draft
    with a rare term is its own partner. ``rare``: :func:`_rare_sets`, if known."""
    if rare is None:
        rare = _rare_sets(pieces, df, max_df)
    # only the terms found in two drafts or more pair drafts: count them in C first
    counts = Counter(itertools.chain.from_iterable(rare.values()))
    shared = {t for t, n in counts.items() if n > 1}
    holders: dict[str, list[int]] = {}
    out: dict[int, set[int]] = {}
    for key, terms in rare.items():
        if terms:
            out[key] = {key}
            for t in terms & shared:
                holders.setdefault(t, []).append(key)
    for keys in holders.values():
        for k in keys:
            out[k].update(keys)
    return out


def _rare_common(ra: frozenset[str], rb: frozenset[str], limit: int = 50) -> list[str]:
    """:func:`common_terms` with ``rare=df`` from the two drafts' :func:`_rare_sets`."""
    return sorted(ra & rb, key=lambda t: (-len(t), t))[:limit]


def _candidates(pieces: list[Piece], pages: dict[str, int | None], lexicon, df: dict[str, int]) -> list[Join]:
    out: list[Join] = []
    loose: list[Join] = []  # joins on the sentence cut and shared terms alone: need a clear winner
    home: set[int] = set()  # pieces with a join to their neighbour on the page (2b)
    jumps: list[Join] = []  # pairs of jump markers: several articles may jump between the same pages
    # the pieces that can read on from another one, so that the search is not
    # quadratic in the size of a file: continuations without title or lead,
    # pieces with a jump marker, the first piece of a titled draft (for a
    # continuation that repeats its title), and each piece's neighbours on its page
    open_b = [b for b in pieces if b.draft is not None and (_headless(b) or b.jump_from)]
    # Without a jump marker on A, a continuation B far from A can only be joined
    # on shared rare terms (steps 2c and 3 need at least one): the pool is then
    # B's with a jump marker plus the continuations of the drafts that share a
    # rare term with A's draft (each rare term is in at most two drafts, so this
    # is linear in the size of the issue instead of quadratic).
    open_jf = [b for b in open_b if b.jump_from]
    open_by_draft: dict[int, list[Piece]] = {}
    for b in open_b:
        if not b.jump_from:
            open_by_draft.setdefault(id(b.draft), []).append(b)
    rare = _rare_sets(pieces, df)
    partners = _rare_partners(pieces, lexicon, df, rare=rare)
    # what the pairs below ask of a piece, worked out once per piece (the
    # properties walk its paragraphs on every access)
    jump_from = {p.uid: p.jump_from for p in pieces}
    open_end = {p.uid: p.open_end for p in pieces}
    points = {p.uid: p.points for p in pieces}
    orphans: dict[int, bool] = {}  # uid -> the piece starts mid-sentence (asked of each B once)
    near_terms = _neighbour_terms(pieces, open_end, lexicon)
    by_title: dict[str, list[Piece]] = {}
    by_pos: dict[tuple[str, int], Draft] = {}
    for b in pieces:
        d = b.draft
        if d is None:
            continue
        by_pos[(d.path, getattr(d, "index_in_file", 0))] = d
        if d.pieces[0] is b and getattr(d, "heading_title", None):
            by_title.setdefault(d.heading_title, []).append(b)  # type: ignore[attr-defined]
    for a in pieces:
        jt = a.jump_to
        last_of_draft = a.draft is not None and a.draft.pieces[-1] is a
        a_open = open_end[a.uid]
        if not (a_open or jt or last_of_draft):
            continue
        if jt is not None or a.draft is None:
            pool: dict[int, Piece] = {id(b): b for b in open_b}
        else:
            pool = {id(b): b for b in open_jf}
            for dk in partners.get(id(a.draft), ()):
                pool.update((id(b), b) for b in open_by_draft.get(dk, ()))
        if a.draft is not None:
            k = getattr(a.draft, "index_in_file", 0)
            for dk in (-1, 0, 1):
                d = by_pos.get((a.path, k + dk))
                if d is not None:
                    pool.update((id(b), b) for b in d.pieces)
            if jt is not None and getattr(a.draft, "heading_title", None):
                pool.update((id(b), b) for b in by_title.get(a.draft.heading_title, []))  # type: ignore[attr-defined]
        for b in sorted(pool.values(), key=lambda x: x.uid):
            if b is a or b.draft is None:
                continue
            same_draft = b.draft is a.draft
            first_of_draft = b.draft.pieces[0] is b
            jf = jump_from[b.uid]
            pa, pb = pages.get(a.path), pages.get(b.path)
            # 1. jump markers
            if jt or jf:
                if a.path == b.path or same_draft:
                    continue
                ok_to = jt is not None and (pb is None or jt.page == pb)
                ok_from = jf is not None and (pa is None or jf.page == pa)
                if jt and jf:
                    if ok_to and ok_from:
                        terms = _rare_common(rare[id(a.draft)], rare[id(b.draft)])
                        word = roles.cut_word(a.last.text, b.first.text, lexicon) if a_open else None
                        names = _names(a.draft_text, terms, lexicon)
                        titled = _title_match(a, b)
                        conf = (0.85 + (0.08 if word else 0) + min(0.06, 0.02 * names)
                                + min(0.02, 0.002 * len(terms)) + (0.05 if titled else 0))
                        why = [f"jump markers {jt.text} / {jf.text}"]
                        if word:
                            why.append(f"lexicon word {word} across the cut")
                        if titled:
                            why.append("the continuation repeats the title")
                        why.append(f"{len(terms)} shared names and terms")
                        jumps.append(Join(a, b, min(conf, 0.99), ", ".join(why)))
                    continue
                one = (jt and ok_to and first_of_draft and (_headless(b) or _title_match(a, b))) or \
                      (jf and ok_from and last_of_draft and not _closed(a))
                if not one:
                    continue
                terms = _rare_common(rare[id(a.draft)], rare[id(b.draft)])
                word = roles.cut_word(a.last.text, b.first.text, lexicon) if a_open else None
                if word or _names(a.draft_text, terms, lexicon) >= 1:
                    conf = 0.75 + (0.1 if word else 0) + min(0.1, 0.02 * len(terms))
                    out.append(Join(a, b, conf, f"jump marker {(jt or jf).text}"
                                    + (f", lexicon word {word} across the cut" if word else "")
                                    + f", {len(terms)} shared terms"))
                continue
            if b.has_lead:
                continue
            pa_pts, pb_pts = points[a.uid], points[b.uid]
            points_ok = bool(pa_pts and pb_pts and min(pb_pts) == max(pa_pts) + 1)
            points_bad = bool(pa_pts and pb_pts and min(pb_pts) <= max(pa_pts))
            if points_bad:
                continue
            if same_draft:
                continue  # a draft is one run of text in printed order
            word = roles.cut_word(a.last.text, b.first.text, lexicon) if a_open else None
            orphan = orphans.get(b.uid)
            if orphan is None:
                orphan = orphans[b.uid] = roles.starts_mid_sentence(b.first.text, lexicon)
            # 2b. the opening of an article printed after its own end: a title-less
            # draft right below a titled one that has no lead, the lower one ending
            # in the middle of a sentence (sample 001)
            if (first_of_draft and last_of_draft and a.path == b.path and a_open
                    and not getattr(a.draft, "heading_title", None) and getattr(b.draft, "heading_title", None)
                    and getattr(a.draft, "index_in_file", -1) == getattr(b.draft, "index_in_file", -9) + 1):
                if a.uid in near_terms and b.uid in near_terms:
                    near = common_terms(near_terms[a.uid], near_terms[b.uid])
                else:
                    near = shared_terms(a.text, b.text, lexicon)
                if word or orphan or points_ok or len(near) >= 2 or a.has_lead:
                    conf = min(0.95, 0.7 + (0.15 if word else 0) + (0.05 if orphan else 0) + (0.1 if a.has_lead else 0)
                               + (0.05 if points_ok else 0) + min(0.1, 0.01 * len(near)))
                    why = [f"lexicon word {word} across the cut" if word else "the lower piece ends mid-sentence",
                           "the title-less piece below the article opens it"
                           + (" with its lead, the article above has none" if a.has_lead else "")]
                    if points_ok:
                        why.append("numbered points continue")
                    if near:
                        why.append(f"{len(near)} shared terms")
                    out.append(Join(a, b, conf, ", ".join(why)))
                    home.add(a.uid)
                    home.add(b.uid)
                continue
            # 2c. text printed after a byline that carries on the same story
            # (a byline in the middle of an article)
            if _headless(b) and b.draft.after_byline_of is a.draft and last_of_draft and not jf:
                terms = _rare_common(rare[id(a.draft)], rare[id(b.draft)])
                names = _names(a.draft_text, terms, lexicon)
                if (len(terms) >= 3 and names >= 2) or (word and terms):
                    conf = min(0.9, 0.55 + 0.1 * len(terms) + (0.2 if word else 0) + (0.1 if points_ok else 0))
                    loose.append(Join(a, b, conf, f"text after the byline carries on the story: {len(terms)} shared "
                                      f"names and terms ({'、'.join(terms[:5])})"
                                      + (f", lexicon word {word} across the cut" if word else "")))
                continue
            # 3. across drafts: a continuation without title or lead
            if not (_headless(b) and last_of_draft and not _closed(a)):
                continue
            terms = _rare_common(rare[id(a.draft)], rare[id(b.draft)])
            if len(terms) < 2:
                continue
            top = b.draft is not None and getattr(b.draft, "index_in_file", 1) == 0
            # name-like terms: not words of the lexicon (parts of names of people, firms, places)
            names = _names(a.draft_text, terms, lexicon)
            conf = (0.35 + (0.25 if word else 0) + (0.1 if orphan else 0) + (0.15 if points_ok else 0)
                    + min(0.2, 0.05 * len(terms)) + min(0.3, 0.15 * names) + (0.05 if top else 0)
                    + (0.05 if a_open else 0)
                    # printed right after another article's byline: that article is its likelier home
                    - (0.0 if b.draft.after_byline_of is not None else 0))
            why = [f"lexicon word {word} across the cut"] if word else []
            if orphan:
                why.append("the piece starts mid-sentence")
            if points_ok:
                why.append("numbered points continue")
            why.append(f"{len(terms)} shared names and terms ({'、'.join(terms[:5])})")
            loose.append(Join(a, b, min(conf, 0.95), ", ".join(why)))
    # a loose join must be the clear best for both of its pieces
    # strongest pair first; a pair is taken when no pair still open shares one of
    # its pieces with about the same confidence
    taken: set[int] = set()
    for j in sorted(jumps, key=lambda k: -k.confidence):
        if j.a.uid in taken or j.b.uid in taken:
            continue
        rivals = [k for k in jumps if k is not j and (k.a is j.a or k.b is j.b)
                  and k.a.uid not in taken and k.b.uid not in taken]
        if all(k.confidence < j.confidence - 0.03 for k in rivals):
            out.append(j)
            taken.update((j.a.uid, j.b.uid))
    loose = [j for j in loose if j.a.uid not in home and j.b.uid not in home]
    for j in loose:
        j.rivals = [k for k in loose if k is not j and (k.a is j.a or k.b is j.b)]
        out.append(j)
    return out


def _neighbour_terms(pieces: list[Piece], open_end: dict[int, bool], lexicon) -> dict[int, frozenset[str]]:
    """uid → :func:`terms` of the pieces that step 2b may compare (a title-less
    draft's last piece, cut mid-sentence, and the first piece of the titled
    draft printed right above it), scanned together."""
    by_pos = {(p.draft.path, getattr(p.draft, "index_in_file", 0)): p.draft for p in pieces if p.draft is not None}
    pairs: dict[int, Piece] = {}
    for (path, k), d in by_pos.items():
        above = by_pos.get((path, k - 1))
        last = d.pieces[-1]
        if (above is not None and open_end[last.uid] and not getattr(d, "heading_title", None)
                and getattr(above, "heading_title", None)):
            pairs[last.uid] = last
            pairs[above.pieces[0].uid] = above.pieces[0]
    # a piece that is all of its draft (no heading, no other piece) has the draft's terms
    out = {uid: p.draft_terms for uid, p in pairs.items()  # type: ignore[attr-defined]
           if not p.draft.heading and len(p.draft.pieces) == 1}
    rest = [p for uid, p in pairs.items() if uid not in out]
    out.update(zip((p.uid for p in rest), terms_many([p.text for p in rest], lexicon)))
    return out


def _title_match(a: Piece, b: Piece) -> bool:
    ta = getattr(a.draft, "heading_title", None)
    tb = getattr(b.draft, "heading_title", None)
    return bool(ta and tb and (ta == tb or ta in tb or tb in ta))


def assemble(drafts: list[Draft], lexicon) -> list[tuple[list[Piece], list[dict]]]:
    """Chains of pieces in reading order, each with the evidence of its joins and moves."""
    pieces: list[Piece] = [p for d in drafts for p in d.pieces]
    for k, p in enumerate(pieces):
        p.uid = k
    per_file: dict[str, int] = {}
    texts = ["\n".join([*(h.text for h in d.heading), *(p.text for p in d.pieces)]) for d in drafts]
    all_terms = terms_many(texts, lexicon)  # once per draft, all at once: the pairs below reuse them
    df: Counter[str] = Counter(itertools.chain.from_iterable(all_terms))  # term -> number of drafts holding it
    for d, dt, dterms in zip(drafts, texts, all_terms):
        d.index_in_file = per_file.get(d.path, 0)  # type: ignore[attr-defined]
        per_file[d.path] = d.index_in_file + 1  # type: ignore[attr-defined]
        for p in d.pieces:
            p.draft_text = dt  # type: ignore[attr-defined]
            p.draft_terms = dterms  # type: ignore[attr-defined]
        d.heading_title = next((h.text for h in d.heading if h.role == "title"), None)  # type: ignore[attr-defined]
    pages: dict[str, int | None] = {}
    for p in pieces:
        if p.path not in pages:
            pages[p.path] = page_number(p.path, "")
    succ: dict[int, int] = {}
    pred: dict[int, int] = {}
    printed: set[tuple[int, int]] = set()
    for d in drafts:
        for x, y in zip(d.pieces, d.pieces[1:]):
            succ[x.uid], pred[y.uid] = y.uid, x.uid
            printed.add((x.uid, y.uid))
    joins = sorted(_candidates(pieces, pages, lexicon, df), key=lambda j: -j.confidence)
    accepted: list[Join] = []
    claimed_a: set[int] = set()
    claimed_b: set[int] = set()
    for j in joins:
        if j.confidence < MIN_CONFIDENCE:
            continue
        a, b = j.a.uid, j.b.uid
        if a in claimed_a or b in claimed_b:
            continue
        # a loose join must be the clear best among the candidates still open for its pieces
        if j.rivals and any(k.confidence >= j.confidence - 0.1 for k in j.rivals
                            if k.a.uid not in claimed_a and k.b.uid not in claimed_b):
            continue
        # would it close a cycle through accepted joins (printed links may be cut)?
        x, seen, cyc = b, set(), False
        while x in succ and x not in seen:
            seen.add(x)
            nx = succ[x]
            if nx == a:
                if (x, nx) in printed:
                    break
                cyc = True
                break
            x = nx
        if cyc:
            continue
        # cut printed links that contradict the join
        if a in succ:
            pred.pop(succ[a], None)
        if b in pred:
            succ.pop(pred[b], None)
        succ[a], pred[b] = b, a
        # break a cycle through printed links
        x, seen = b, set()
        while x in succ and x not in seen:
            seen.add(x)
            if succ[x] == a and (x, a) in printed:
                succ.pop(x)
                pred.pop(a)
                break
            x = succ[x]
        claimed_a.add(a)
        claimed_b.add(b)
        # the sentence cut is mended: B's first paragraph reads on in A's last one
        j.b.glue_to = j.a.uid if j.a.open_end else None  # type: ignore[attr-defined]
        accepted.append(j)
    # last resort: the only piece of the issue left cut mid-sentence and the only
    # continuation left at the top of a page belong together (when they share terms)
    ends = [p for p in pieces if p.open_end and p.uid not in succ and not p.jump_to]
    starts = [p for p in pieces if _headless(p) and p.uid not in pred and not p.jump_from]
    if len(ends) == 1 and len(starts) == 1 and ends[0].path != starts[0].path \
            and getattr(starts[0].draft, "index_in_file", 1) == 0:
        a, b = ends[0], starts[0]
        pa, pb = pages.get(a.path), pages.get(b.path)
        near = common_terms(a.draft_terms, b.draft_terms)
        rare = common_terms(a.draft_terms, b.draft_terms, rare=df)
        word = roles.cut_word(a.last.text, b.first.text, lexicon)
        if (pa is None or pb is None or pa < pb) and len(near) >= 2 and (
                word or rare or roles.starts_mid_sentence(b.first.text, lexicon)):
            j = Join(a, b, 0.7, f"the only piece of the issue cut mid-sentence and the only continuation left at "
                     f"the top of a page; {len(near)} shared terms")
            succ[a.uid], pred[b.uid] = b.uid, a.uid
            b.glue_to = a.uid  # type: ignore[attr-defined]
            accepted.append(j)
    by_uid = {p.uid: p for p in pieces}
    chains: list[list[Piece]] = []
    seen: set[int] = set()
    for p in pieces:  # heads in printed order
        if p.uid in pred or p.uid in seen:
            continue
        chain = []
        x = p.uid
        while x is not None and x not in seen:
            seen.add(x)
            chain.append(by_uid[x])
            x = succ.get(x)
        chains.append(chain)
    for p in pieces:  # anything left (should not happen): its own chain
        if p.uid not in seen:
            chains.append([p])
            seen.add(p.uid)
    out: list[tuple[list[Piece], list[dict]]] = []
    for chain in chains:
        ev: list[dict] = []
        uids = {p.uid for p in chain}
        for j in accepted:
            if j.a.uid in uids:
                ev.append(j.to_dict())
        for a, b in zip(chain, chain[1:]):
            if (a.path, a.first.start) > (b.path, b.first.start) and a.path == b.path:
                ev.append({"kind": "move", "piece": a.ref(), "before": b.ref(),
                           "reason": "printed after the piece it precedes in reading order"})
        out.append((chain, ev))
    return out
