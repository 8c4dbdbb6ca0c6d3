"""Word lexicon with frequencies.

The base list is jieba's ``dict.txt`` (about 349k words with corpus counts),
read as a plain file: we never run jieba's segmenter in the hot path. Extra
word lists (``word [freq]`` per line) from ``rules/lexicon/`` extend it with
terms of the newspaper domain.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from pathlib import Path


class Lexicon:
    """A mapping word → frequency with the lookups the rules need."""

    def __init__(self, freqs: dict[str, int] | None = None) -> None:
        self.freqs: dict[str, int] = dict(freqs or {})
        self.total = sum(self.freqs.values()) or 1

    def __contains__(self, word: str) -> bool:
        return word in self.freqs

    def freq(self, word: str) -> int:
        return self.freqs.get(word, 0)

    def logp(self, word: str) -> float:
        """Log probability with add-one smoothing (unknown words are rare, not impossible)."""
        return math.log((self.freqs.get(word, 0) + 1) / self.total)

    def add(self, word: str, freq: int = 1) -> None:
        self.freqs[word] = self.freqs.get(word, 0) + freq
        self.total += freq

    def update_from_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 100
            self.add(parts[0], freq)


def jieba_dict_path() -> Path | None:
    """Location of jieba's dict.txt, found without importing jieba itself."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        p = Path(loc) / "dict.txt"
        if p.exists():
            return p
    return None


def load_word_file(path: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                out[parts[0]] = int(parts[1])
            elif parts and not parts[0].startswith("#"):
                out[parts[0]] = 100
    return out


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """jieba's dictionary plus the project's domain word lists (cached per process)."""
    from .ruleset import builtin_rules_dir

    freqs: dict[str, int] = {}
    p = jieba_dict_path()
    if p is not None:
        freqs.update(load_word_file(p))
    extra = builtin_rules_dir() / "lexicon"
    if extra.is_dir():
        for f in sorted(extra.glob("*.txt")):
            for w, n in load_word_file(f).items():
                freqs[w] = max(freqs.get(w, 0), n)
    return Lexicon(freqs)
