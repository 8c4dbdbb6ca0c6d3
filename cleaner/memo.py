"""The size of the per-line memos that rules keep across engine passes.

Rules memoise verdicts by line text (``judge_break``, ``body_like``, line cues,
bracket scans...) so that a later pass over a mostly unchanged text does not
judge the same lines again. Lines of a real dump are nearly all distinct, so
every memo fills up to its cap and is then emptied: the cap, not the dump, sets
the memory they take. A page has at most a few hundred lines, so a few
thousand entries keep everything one text needs across its passes while the
worker's memory stays flat from a 50 MB to a 500 MB run.
"""

from collections.abc import Callable
from typing import Any

MEMO_ENTRIES = 4096


def store(memo: dict, key: object, value: object) -> object:
    """Put ``value`` in ``memo`` under ``key`` (emptying a full memo first) and
    return it. Called on misses only: hits stay a plain ``dict.get``."""
    if len(memo) >= MEMO_ENTRIES:
        memo.clear()
    memo[key] = value
    return value


class FillingDict(dict):  # type: ignore[type-arg]
    """A dict that fills a missing key from ``make(key)`` (unbounded: for one
    call's or one rule's small key set), so that ``map(d.__getitem__, keys)``
    and comprehensions look values up without a Python-level test per key."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value
