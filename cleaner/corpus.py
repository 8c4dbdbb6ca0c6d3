"""Statistics of the corpus being cleaned: how often each short form occurs.

A form seen often across a dump is a word of that dump (a company name, a
local term); a form seen once beside a frequent near-twin is likely a typo.
Counts are of CJK character n-grams (n = 2..4) per document, so one document
repeating a term does not make it common.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_CJK_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")


class CorpusStats:
    def __init__(self, max_n: int = 4) -> None:
        self.max_n = max_n
        self.doc_freq: Counter[str] = Counter()
        self.docs = 0

    @classmethod
    def from_texts(cls, texts: Iterable[str], max_n: int = 4) -> CorpusStats:
        stats = cls(max_n)
        for t in texts:
            stats.add(t)
        return stats

    def add(self, text: str) -> None:
        grams: set[str] = set()
        for run in _CJK_RUN.findall(text):
            for n in range(2, self.max_n + 1):
                for i in range(len(run) - n + 1):
                    grams.add(run[i : i + n])
        self.doc_freq.update(grams)
        self.docs += 1

    def merge(self, other: CorpusStats) -> None:
        self.doc_freq.update(other.doc_freq)
        self.docs += other.docs

    def count(self, form: str) -> int:
        """Number of documents in which ``form`` occurs."""
        return self.doc_freq.get(form, 0)
