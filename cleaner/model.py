"""Core data types shared by every stage: findings, edits and the applied-edit log.

Spans are code-point offsets into the text the rule saw (``start`` inclusive,
``end`` exclusive). A fix is one or more :class:`Edit` objects; the engine
applies whole fixes or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Safety = Literal["safe", "unsafe", "none"]
SAFETIES: tuple[str, ...] = ("safe", "unsafe", "none")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad edit span {self.start}..{self.end}")


_new = object.__new__
_set_start, _set_end, _set_repl = Edit.start.__set__, Edit.end.__set__, Edit.replacement.__set__  # type: ignore[attr-defined]


def unchecked_edit(start: int, end: int, replacement: str) -> Edit:
    """``Edit(start, end, replacement)`` for a span known to be valid (a regex
    match, a valid edit shifted by the engine), without the frozen dataclass's
    ``object.__setattr__`` calls and check, which cost more than the rest of a
    finding."""
    e = _new(Edit)
    _set_start(e, start)
    _set_end(e, end)
    _set_repl(e, replacement)
    return e


@dataclass(slots=True)
class Finding:
    """One defect found by one rule.

    ``edits`` is empty when the rule only reports (``safety == "none"``).
    ``related`` points at another span the finding refers to (the earlier copy
    of a duplicate, the partner of a page-break fragment) when there is one.
    """

    rule: str
    category: str
    start: int
    end: int
    message: str
    confidence: float = 1.0
    edits: tuple[Edit, ...] = ()
    safety: Safety = "none"
    name: str = ""
    related: tuple[int, int] | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def fixable(self) -> bool:
        return bool(self.edits) and self.safety != "none"

    def replacement(self, text: str) -> str | None:
        """The text that ``text[start:end]`` becomes when this fix is applied."""
        if not self.fixable:
            return None
        if len(self.edits) == 1:  # the common case, without sorting
            e = self.edits[0]
            lo = self.start if self.start < e.start else e.start
            hi = self.end if self.end > e.end else e.end
            return text[lo : e.start] + e.replacement + text[e.end : hi]
        lo = min(self.start, *(e.start for e in self.edits))
        hi = max(self.end, *(e.end for e in self.edits))
        out: list[str] = []
        pos = lo
        for e in sorted(self.edits, key=lambda e: (e.start, e.end)):
            out.append(text[pos : e.start])
            out.append(e.replacement)
            pos = e.end
        out.append(text[pos:hi])
        return "".join(out)

    def fix_span(self) -> tuple[int, int]:
        """Smallest span covering the finding and all its edits."""
        if not self.edits:
            return self.start, self.end
        if len(self.edits) == 1:
            e = self.edits[0]
            return min(self.start, e.start), max(self.end, e.end)
        return (
            min(self.start, *(e.start for e in self.edits)),
            max(self.end, *(e.end for e in self.edits)),
        )


class FixColumns:
    """The fixes of one rule on one text as columns, for the bulk of a dump's
    fixes: one edit per fix, replacing the fix's whole span (a lexicon word, a
    literal regex replacement). Raw pages carry about 12,000 of them per MB
    (half-width commas); the engine resolves and applies them from the columns
    and makes their :class:`Finding` objects once, at the end, so that each
    costs a few list entries on its way through the passes instead of an
    object per step.
    """

    __slots__ = ("rule", "category", "name", "confidence", "safety", "starts", "ends", "news", "messages")

    def __init__(self, rule: str, category: str, name: str, confidence: float, safety: Safety,
                 starts: list[int], ends: list[int], news: list[str], messages: list[str]) -> None:
        self.rule, self.category, self.name = rule, category, name
        self.confidence, self.safety = confidence, safety
        self.starts, self.ends, self.news, self.messages = starts, ends, news, messages

    def __len__(self) -> int:
        return len(self.starts)

    def finding(self, i: int) -> Finding:
        """The :class:`Finding` of fix ``i``."""
        s, e = self.starts[i], self.ends[i]
        return Finding(self.rule, self.category, s, e, self.messages[i], self.confidence,
                       (unchecked_edit(s, e, self.news[i]),), self.safety, self.name, None, {})

    def findings(self) -> list[Finding]:
        """Every fix as a :class:`Finding`, in order: what ``Rule.find`` yields."""
        rid, cat, conf, safety, name = self.rule, self.category, self.confidence, self.safety, self.name
        return [Finding(rid, cat, s, e, m, conf, (unchecked_edit(s, e, n),), safety, name, None, {})
                for s, e, n, m in zip(self.starts, self.ends, self.news, self.messages)]


class AppliedEdit(NamedTuple):
    """An edit the engine applied, with what it replaced.

    ``start``/``end`` are offsets into the text of pass ``pass_no`` (before the
    pass's edits); ``orig_start``/``orig_end`` map the span back to the decoded
    input text. Replaying every applied edit pass by pass, back to front,
    reproduces the cleaned text exactly.

    A named tuple (immutable, like a frozen dataclass): one is made for every
    applied edit, and building a tuple costs a tenth of a frozen dataclass.
    """

    rule: str
    pass_no: int
    start: int
    end: int
    before: str
    after: str
    orig_start: int
    orig_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "pass": self.pass_no,
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "orig_start": self.orig_start,
            "orig_end": self.orig_end,
        }
