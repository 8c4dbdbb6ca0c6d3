"""The output record of one article (the JSONL contract of ``cleaner articles``)."""

from __future__ import annotations

from typing import Any

from . import roles
from .segment import Draft, Piece, page_number


def _heading_fields(heading: list) -> dict[str, Any]:
    zone = next((h.text for h in heading if h.role == "zone"), None)
    subtitle = next((h.text for h in heading if h.role == "subtitle"), None)
    titles = [h.text for h in heading if h.role == "title"]
    title = titles[-1] if titles else None
    kicker = " ".join(titles[:-1]) or None
    if subtitle is not None and len(titles) >= 1:
        # with a subtitle, the main title is the line above it
        sub_at = next(k for k, h in enumerate(heading) if h.role == "subtitle")
        above = [h.text for h in heading[:sub_at] if h.role == "title"]
        if above:
            title = above[-1]
            kicker = " ".join(above[:-1]) or None
    return {"title": title, "kicker": kicker, "zone": zone, "subtitle": subtitle}


def make_record(chain: list[Piece], evidence: list[dict], lexicon=None,
                pages: dict[str, int | None] | None = None) -> dict[str, Any]:
    """One article from its pieces in reading order. ``pages``: page numbers of
    the paths seen so far in the issue, filled in as needed (shared by its records)."""
    if pages is None:
        pages = {}
    drafts: list[Draft] = []
    for p in chain:
        if p.draft is not None and p.draft not in drafts:
            drafts.append(p.draft)
    owner = next((d for d in drafts if any(h.role == "title" for h in d.heading)), None) or \
        next((d for d in drafts if d.heading), None) or drafts[0]
    head = _heading_fields(owner.heading)
    for d in drafts:
        if d is not owner and d.heading:
            evidence.append({"kind": "continuation-heading", "text": " ".join(h.text for h in d.heading),
                             "at": {"path": d.path, "line": d.heading[0].lineno},
                             "reason": "heading repeated over a continued piece; dropped"})
    ev: list[dict] = []
    for d in drafts:
        ev += d.evidence
    ev += evidence

    meta: dict[str, Any] = {}
    for d in drafts:
        for k, v in d.meta.items():
            meta.setdefault(k, v)

    paras: list[str] = []
    bylines: list[str] = []
    lead_info = None
    lead_text = None
    all_lines = [ln for p in chain for ln in p.paras]
    glued = {id(p.first) for k, p in enumerate(chain)
             if k and getattr(p, "glue_to", None) == chain[k - 1].uid}
    for k, ln in enumerate(all_lines):
        text = ln.text
        if ln.role == "lead" and lead_info is None:
            lead_info = ln.data.get("leadinfo")
            lead_text = text
        last = k == len(all_lines) - 1
        if ln.data.get("byline"):
            bylines.append(ln.data["byline"])
            if last:
                text = text[: ln.data["byline_at"]].rstrip()
        for b in ln.data.get("byline_line", []):
            bylines.append(b.text.strip("（）() "))
        if text and id(ln) in glued and paras:
            paras[-1] += text
        elif text:
            paras.append(text)
    byline = bylines[-1] if bylines else None
    title_lines = [h.text for h in owner.heading]
    text_lines = [*title_lines, *paras]
    if byline:
        text_lines.append(byline)

    first, last = chain[0], chain[-1]
    # the article visibly lacks its beginning or its end (a piece nobody claimed)
    open_start = not first.has_lead and (roles.starts_mid_sentence(first.first.text, lexicon) or bool(first.jump_from))
    open_end = last.open_end or bool(last.jump_to)
    for p in chain:
        if p.path not in pages:
            pages[p.path] = page_number(p.path)
    sources = [{**p.ref(), "page": pages[p.path]} for p in chain]
    return {
        **head,
        "lead": lead_text,
        "dateline": lead_info.dateline if lead_info else None,
        "byline": byline,
        "bylines": bylines,
        "reporter": lead_info.reporter if lead_info else None,
        "date": meta.get("date") or (lead_info.date if lead_info else None),
        "source": meta.get("source") or (lead_info.source if lead_info else None),
        "paragraphs": paras,
        "text": "\n".join(text_lines),
        "sources": sources,
        "evidence": ev,
        "fragment": bool(open_start or open_end or not owner.heading and not chain[0].has_lead),
        "open_start": bool(open_start),
        "open_end": bool(open_end),
        "numbered_points": [ln.data["point"] for ln in all_lines if ln.data.get("point")],
        "subheads": [ln.text for ln in all_lines if ln.role == "subhead" or ln.data.get("marked")],
    }
