"""Review decisions, kept in a JSONL file beside the data and honoured by later runs.

A decision is keyed by what the change *is*, not where it is: the file name,
the rule, the text it replaces, the text it proposes and an *anchor* on each
side, hashed. Raw offsets shift as soon as anything earlier in the file
changes; the key does not. The anchor is the nearest ten Chinese characters
and digits on that side within the same line (letters too when there are few
of those), NFKC-folded, so that fixing the punctuation, spacing or markup next
to a change (in a later pass, or by an earlier ``fix --in-place``) leaves its
key unchanged. The file is append-only; the last line for
a key wins, and a ``clear`` line forgets the key (undo).
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..engine import Rewrite, Veto
from ..model import Edit, Finding
from ..text import is_cjk

DECISIONS_FILE = ".cleaner-decisions.jsonl"
KEY_CONTEXT = 20
ANCHOR = 10
ANCHOR_REACH = 80
KINDS = ("accept", "reject", "edit")


@dataclass(frozen=True, slots=True)
class Site:
    """Where a fix applies in one pass's text and what it would do."""

    lo: int
    hi: int
    before: str
    after: str
    left: str
    right: str
    left_anchor: str = ""
    right_anchor: str = ""


def site(f: Finding, text: str, context: int = KEY_CONTEXT) -> Site:
    lo, hi = f.fix_span()
    left = text[max(0, lo - ANCHOR_REACH) : lo].rsplit("\n", 1)[-1]
    right = text[hi : hi + ANCHOR_REACH].split("\n", 1)[0]
    return Site(lo, hi, text[lo:hi], f.replacement(text) or "", text[max(0, lo - context) : lo],
                text[hi : hi + context], anchor(left, "left"), anchor(right, "right"))


def anchor(context: str, side: str) -> str:
    """The stable part of one side's context (see the module docstring)."""
    ctx = unicodedata.normalize("NFKC", context)
    seq = ctx if side == "right" else ctx[::-1]
    picked = [ch for ch in seq if is_cjk(ch) or ch.isdigit()][:ANCHOR]
    if len(picked) < 4:
        picked = [ch for ch in seq if ch.isalnum()][:ANCHOR]
    s = "".join(picked).casefold()
    return s if side == "right" else s[::-1]


def change_key(name: str, rule: str, s: Site) -> str:
    la = s.left_anchor or anchor(s.left.rsplit("\n", 1)[-1], "left")
    ra = s.right_anchor or anchor(s.right.split("\n", 1)[0], "right")
    parts = [name, rule, s.before, s.after, la, ra]
    raw = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Decision:
    key: str
    file: str
    rule: str
    decision: str  # accept | reject | edit
    before: str = ""
    after: str = ""
    left: str = ""
    right: str = ""
    replacement: str | None = None  # for "edit": what to put instead of ``after``

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("key", "file", "rule", "decision", "before", "after", "left", "right")}
        if self.replacement is not None:
            d["replacement"] = self.replacement
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Decision:
        kind = d.get("decision")
        if kind not in KINDS:
            raise ValueError(f"unknown decision {kind!r}")
        s = Site(0, 0, str(d.get("before", "")), str(d.get("after", "")), str(d.get("left", "")), str(d.get("right", "")))
        key = d.get("key") or change_key(str(d["file"]), str(d["rule"]), s)
        repl = d.get("replacement")
        if kind == "edit" and not isinstance(repl, str):
            raise ValueError("an 'edit' decision needs a string 'replacement'")
        return cls(str(key), str(d.get("file", "")), str(d.get("rule", "")), kind, s.before, s.after, s.left, s.right,
                   repl if kind == "edit" else None)


def make_decision(name: str, rule: str, s: Site, kind: str, replacement: str | None = None) -> Decision:
    return Decision(change_key(name, rule, s), name, rule, kind, s.before, s.after, s.left, s.right,
                    replacement if kind == "edit" else None)


def read_decisions(lines: Iterable[str]) -> tuple[dict[str, Decision], int]:
    """Fold JSONL lines into the current decisions (last wins); also count bad lines."""
    out: dict[str, Decision] = {}
    bad = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            d = json.loads(line)
            if d.get("decision") == "clear":
                out.pop(str(d["key"]), None)
                continue
            dec = Decision.from_dict(d)
        except (ValueError, KeyError, TypeError, AttributeError):
            bad += 1
            continue
        out[dec.key] = dec
    return out, bad


class DecisionStore:
    """The decisions of one folder (``<folder>/.cleaner-decisions.jsonl``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.decisions: dict[str, Decision] = {}
        self.bad_lines = 0
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                self.decisions, self.bad_lines = read_decisions(fh)

    @classmethod
    def beside(cls, file: str | Path) -> DecisionStore:
        return cls(Path(file).parent / DECISIONS_FILE)

    def __len__(self) -> int:
        return len(self.decisions)

    def get(self, key: str) -> Decision | None:
        return self.decisions.get(key)

    def record(self, d: Decision) -> None:
        self.decisions[d.key] = d
        self._append(d.to_dict())

    def clear(self, key: str) -> None:
        self.decisions.pop(key, None)
        self._append({"key": key, "decision": "clear"})

    def _append(self, d: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")

    def hooks(self, name: str, only_accepted: bool = False) -> tuple[Veto, Rewrite]:
        """Engine ``veto``/``rewrite`` callbacks for the file called ``name``."""
        return decision_hooks(name, self.decisions.get, only_accepted)


def decision_hooks(name: str, lookup: Any, only_accepted: bool = False) -> tuple[Veto, Rewrite]:
    """``veto`` refuses rejected changes (and, with ``only_accepted``, every change
    not accepted or edited in review); ``rewrite`` swaps in edited replacements."""

    def veto(f: Finding, text: str) -> bool:
        d = lookup(change_key(name, f.rule, site(f, text)))
        if d is None:
            return only_accepted
        return d.decision == "reject"

    def rewrite(f: Finding, text: str) -> Finding:
        s = site(f, text)
        d = lookup(change_key(name, f.rule, s))
        if d is None or d.decision != "edit" or d.replacement is None:
            return f
        return apply_edit(f, s, d.replacement)

    return veto, rewrite


def apply_edit(f: Finding, s: Site, replacement: str) -> Finding:
    """The finding with its fix replaced by one edit of the whole fix span."""
    return replace(f, edits=(Edit(s.lo, s.hi, replacement),), data={**f.data, "edited": True})


class DecisionCache:
    """Decision stores by folder, reloaded when the file changes (used by :class:`Cleaner`)."""

    def __init__(self, only_accepted: bool = False) -> None:
        self._stores: dict[Path, tuple[tuple[int, int], DecisionStore]] = {}
        self.only_accepted = only_accepted

    def hooks_for(self, path: str | Path) -> tuple[Veto, Rewrite] | None:
        p = Path(path)
        dfile = p.parent / DECISIONS_FILE
        try:
            st = os.stat(dfile)
        except OSError:
            return decision_hooks(p.name, lambda key: None, True) if self.only_accepted else None
        stamp = (st.st_mtime_ns, st.st_size)
        hit = self._stores.get(dfile)
        if hit is None or hit[0] != stamp:
            hit = (stamp, DecisionStore(dfile))
            self._stores[dfile] = hit
        store = hit[1]
        if not store.decisions and not self.only_accepted:
            return None
        return store.hooks(p.name, self.only_accepted)


# ------------------------------------------------------------------ examples


def export_examples(decisions: Iterable[Decision], out_dir: Path) -> dict[str, int]:
    """Write decisions as ``[[examples]]`` TOML snippets, one file per rule code.

    Accepted (and edited) changes become ``input``/``output`` pairs, rejected
    ones ``keep = true``. The snippet is the change with its stored context;
    paste the blocks you agree with into the rule file (a rejected change is a
    case the rule gets wrong today, so its example fails until the rule is
    improved — which is the point).
    """
    by_rule: dict[str, list[Decision]] = {}
    for d in decisions:
        by_rule.setdefault(d.rule, []).append(d)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for rule, ds in sorted(by_rule.items()):
        blocks = [f"# Examples for {rule} from review decisions ({len(ds)}); paste into the rule file.\n"]
        seen: set[str] = set()
        for d in ds:
            left, right = d.left.rsplit("\n", 1)[-1], d.right.split("\n", 1)[0]  # examples stay on one line
            d = replace(d, left=left, right=right)
            inp = d.left + d.before + d.right
            if d.decision == "reject":
                block = f"[[examples]]\ninput = {_toml_str(inp)}\nkeep = true\nnote = \"rejected in review\"\n"
            else:
                new = d.replacement if d.decision == "edit" and d.replacement is not None else d.after
                note = "edited in review" if d.decision == "edit" else "accepted in review"
                block = (f"[[examples]]\ninput = {_toml_str(inp)}\noutput = {_toml_str(d.left + new + d.right)}\n"
                         f"note = \"{note}\"\n")
            if block not in seen:
                seen.add(block)
                blocks.append(block)
        (out_dir / f"{rule}.toml").write_text("\n".join(blocks), encoding="utf-8")
        counts[rule] = len(blocks) - 1
    return counts


def _toml_str(s: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(s, ensure_ascii=False)
