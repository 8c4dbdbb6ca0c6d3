"""Articles: segment cleaned pages into articles and reassemble split ones.

>>> from cleaner.articles import build_articles
>>> recs = build_articles([("issue/page_1.txt", "标题一\\n\\n本刊讯 正文第一段。\\n\\n张三\\n")])
>>> recs[0]["title"], recs[0]["byline"]
('标题一', '张三')

``build_articles`` takes (path, cleaned text) pairs; files in the same folder
are treated as pages of one issue and joined across pages. The reading order
of the pieces, with the evidence of every join and move, is in each record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .reassemble import assemble
from .record import make_record
from .segment import Draft, segment

__all__ = ["MAX_ISSUE_PAGES", "articles_from_paths", "build_articles", "build_issue"]


def _lexicon():
    from ..lexicon import default_lexicon

    return default_lexicon()


def build_issue(items: Sequence[tuple[str, str]], lexicon=None) -> list[dict[str, Any]]:
    """Articles of one issue (all items are pages of it), in page order then reading order."""
    lex = lexicon if lexicon is not None else _lexicon()
    drafts: list[Draft] = []
    for path, text in items:
        drafts += segment(path, text, lex)
    pages: dict[str, int | None] = {}
    return [make_record(chain, ev, lex, pages) for chain, ev in assemble(drafts, lex)]


# A folder with more files than this is a dump, not the pages of one issue:
# its files are reassembled one by one (joins across files are quadratic in
# the number of pieces, and unrelated files must not be paired anyway).
MAX_ISSUE_PAGES = 64


def build_articles(items: Sequence[tuple[str, str]], lexicon=None) -> list[dict[str, Any]]:
    """Articles of (path, cleaned text) pairs; files are grouped by folder (an
    issue folder) and reassembled across the files of a folder."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path, text in items:
        groups[str(Path(path).parent)].append((path, text))
    out: list[dict[str, Any]] = []
    for key in groups:
        pages = sorted(groups[key], key=lambda it: it[0])
        if len(pages) > MAX_ISSUE_PAGES:
            for page in pages:
                out += build_issue([page], lexicon)
        else:
            out += build_issue(pages, lexicon)
    return out


def articles_from_paths(paths: Iterable[str | Path], cleaner=None,
                        errors: list[tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """Clean the files (folders are walked) and build their articles. Files that
    cannot be read or decoded are left out and, when ``errors`` is given,
    reported there as (path, message)."""
    from ..api import Cleaner
    from ..files import iter_inputs

    c = cleaner or Cleaner()
    items: list[tuple[str, str]] = []
    for inp in iter_inputs([str(p) for p in paths]):
        fr = c.clean_file(inp.path)
        if fr.result is not None:
            items.append((str(inp.path), fr.result.text))
        elif errors is not None:
            errors.append((str(inp.path), fr.error or "could not be cleaned"))
    return build_articles(items)
