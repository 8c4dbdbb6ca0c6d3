"""The change queue of a review and what each key does, without a terminal.

The queue is exactly what ``fix`` would apply given the decisions so far: a
file's changes are traced pass by pass with the engine's own ``check`` and
``resolve`` (plus the decisions as ``veto``/``rewrite``), so rejecting a change
can bring up the fix it was blocking, and changes of a later pass appear once
the earlier pass is settled. Accepting keeps the default, so only rejections,
edits and undo re-trace a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..api import Cleaner
from ..context import RuleContext
from ..decode import decode_bytes
from ..engine import _apply
from ..model import Finding
from .decisions import Decision, DecisionStore, Site, apply_edit, change_key, make_decision, site


@dataclass(frozen=True)
class Change:
    """One fix that ``fix`` would apply, in the text of its pass."""

    path: str
    name: str
    finding: Finding
    text: str
    pass_no: int
    site: Site
    key: str
    index: int  # position in the file's queue (0-based)
    total: int  # changes in the file's queue

    @property
    def rule(self) -> str:
        return self.finding.rule


@dataclass
class FileQueue:
    """One input file: its decoded text and a way to trace the fixes on it."""

    path: str
    text: str
    encoding: str
    cleaner: Cleaner

    @property
    def name(self) -> str:
        return Path(self.path).name

    @classmethod
    def load(cls, path: str | Path, cleaner: Cleaner) -> FileQueue:
        dec = decode_bytes(Path(path).read_bytes())
        return cls(str(path), dec.text, dec.encoding, cleaner)

    def context(self) -> RuleContext:
        """The same context ``Cleaner.clean_bytes`` builds for this file."""
        ctx = RuleContext(path=self.path)
        ctx.meta["encoding"] = self.encoding
        return ctx

    def trace(self, lookup: Callable[[str], Decision | None], on_undecided: Callable[[Change], bool] | None = None
              ) -> tuple[list[Change], str]:
        """The changes ``fix`` applies under ``lookup``'s decisions, and the final text.

        ``on_undecided(change)`` may return True to reject a change nobody has
        decided yet (a rule- or file-wide rejection in force).
        """
        engine = self.cleaner.engine
        ctx = self.context()
        text = self.text
        out: list[tuple[Finding, str, int, Site, str]] = []
        passes = 0

        def decided(f: Finding, t: str) -> tuple[Site, str, Decision | None]:
            s = site(f, t)
            k = change_key(self.name, f.rule, s)
            return s, k, lookup(k)

        def veto(f: Finding, t: str) -> bool:
            s, k, d = decided(f, t)
            if d is None and on_undecided is not None:
                return on_undecided(Change(self.path, self.name, f, t, passes, s, k, -1, -1))
            return d is not None and d.decision == "reject"

        proposed: dict[int, Finding] = {}  # id(edited finding) -> the finding as the rule proposed it

        def rewrite(f: Finding, t: str) -> Finding:
            s, _, d = decided(f, t)
            if d is not None and d.decision == "edit" and d.replacement is not None:
                g = apply_edit(f, s, d.replacement)
                proposed[id(g)] = f
                return g
            return f

        while True:
            passes += 1
            chosen = engine.resolve(text, engine.check(text, ctx), veto=veto, rewrite=rewrite)
            if not chosen or passes > engine.max_passes:
                break
            for f in sorted(chosen, key=lambda f: f.fix_span()):
                orig = proposed.get(id(f), f)  # show an edited change as proposed; the edit is its decision
                s = site(orig, text)
                out.append((orig, text, passes, s, change_key(self.name, orig.rule, s)))
            edits = sorted(((e.start, e.end, e.replacement) for f in chosen for e in f.edits), key=lambda e: e[:2])
            text = _apply(text, edits)
        n = len(out)
        return [Change(self.path, self.name, f, t, p, s, k, i, n) for i, (f, t, p, s, k) in enumerate(out)], text


@dataclass
class Policy:
    """A rule- or file-wide decision in force for the rest of the session."""

    scope: str  # "file" | "rule"
    target: str
    decision: str  # "accept" | "reject"
    action: Action

    def covers(self, ch: Change) -> bool:
        return (ch.path if self.scope == "file" else ch.rule) == self.target


@dataclass
class Action:
    """One key's effect, kept for undo."""

    label: str
    # (path, key) -> (in the session overlay before?, overlay value, stored value before)
    prev: dict[tuple[str, str], tuple[bool, Decision | None, Decision | None]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    policy: Policy | None = None


HELP = """\
y - accept this change
n - reject this change
a - accept this and every remaining change in the file
d - reject this and every remaining change in the file
A - accept every remaining change of this rule (all files)
D - reject every remaining change of this rule (all files)
e - edit the replacement
u - undo the last decision
s - skip (leave undecided); j does the same
/ - search forward for a change (text, rule code or message; a regular expression)
q - quit (decisions so far are saved)
? - this help"""

KEYS = "y,n,a,d,A,D,e,u,s,/,q,?"


class Session:
    """A review over several files; decisions go to each file's :class:`DecisionStore`.

    ``fresh``: ignore decisions stored before this session when choosing what
    to show (re-review everything); new decisions still overwrite them.
    """

    def __init__(self, files: list[FileQueue], *, fresh: bool = False) -> None:
        self.files = files
        self.fresh = fresh
        by_folder: dict[Path, DecisionStore] = {}
        self.stores: dict[str, DecisionStore] = {}
        for fq in files:
            folder = Path(fq.path).resolve().parent
            if folder not in by_folder:
                by_folder[folder] = DecisionStore.beside(fq.path)
            self.stores[fq.path] = by_folder[folder]
        self.overlay: dict[tuple[str, str], Decision | None] = {}
        self.skipped: set[str] = set()
        self.policies: list[Policy] = []
        self.actions: list[Action] = []
        self._traces: dict[str, list[Change]] = {}
        self.finished = False
        self.quit = False

    # ------------------------------------------------------------------ state
    def lookup(self, path: str, key: str) -> Decision | None:
        if (path, key) in self.overlay:
            return self.overlay[(path, key)]
        return None if self.fresh else self.stores[path].get(key)

    def stored(self) -> int:
        """Decisions already stored for these files' folders."""
        return sum(len(s) for s in {s.path: s for s in self.stores.values()}.values())

    def changes(self, fq: FileQueue) -> list[Change]:
        if fq.path not in self._traces:
            def on_undecided(ch: Change) -> bool:
                pol = self._policy(ch)
                if pol is not None and pol.decision == "reject":
                    self._record(ch, "reject", pol.action)
                    return True
                return False

            self._traces[fq.path] = fq.trace(lambda k: self.lookup(fq.path, k), on_undecided)[0]
        return self._traces[fq.path]

    def _policy(self, ch: Change) -> Policy | None:
        for pol in reversed(self.policies):
            if pol.covers(ch):
                return pol
        return None

    def current(self) -> Change | None:
        """The first change nobody has decided or skipped, or None when done."""
        for fq in self.files:
            for ch in self.changes(fq):
                if ch.key in self.skipped or self.lookup(ch.path, ch.key) is not None:
                    continue
                pol = self._policy(ch)
                if pol is not None and pol.decision == "accept":
                    self._record(ch, "accept", pol.action)
                    continue
                return ch
        self.finished = True
        return None

    def pending(self) -> int:
        return sum(
            1 for fq in self.files for ch in self.changes(fq)
            if ch.key not in self.skipped and self.lookup(ch.path, ch.key) is None
        )

    # ------------------------------------------------------------------ decisions
    def _record(self, ch: Change, kind: str, action: Action, replacement: str | None = None) -> None:
        k = (ch.path, ch.key)
        if k not in action.prev:
            action.prev[k] = (k in self.overlay, self.overlay.get(k), self.stores[ch.path].get(ch.key))
        d = make_decision(ch.name, ch.rule, ch.site, kind, replacement)
        self.overlay[k] = d
        self.stores[ch.path].record(d)
        if kind != "accept":
            self._traces.pop(ch.path, None)

    def decide(self, kind: str, replacement: str | None = None) -> Change | None:
        ch = self.current()
        if ch is None:
            return None
        action = Action(kind)
        self._record(ch, kind, action, replacement)
        self.actions.append(action)
        return ch

    def accept(self) -> Change | None:
        return self.decide("accept")

    def reject(self) -> Change | None:
        return self.decide("reject")

    def edit(self, replacement: str) -> Change | None:
        ch = self.current()
        if ch is not None and replacement == ch.site.after:
            return self.accept()
        return self.decide("edit", replacement)

    def wide(self, scope: str, kind: str) -> Change | None:
        """Accept or reject this change and the rest of its file (``scope="file"``) or rule."""
        ch = self.current()
        if ch is None:
            return None
        action = Action(f"{kind} {scope}")
        action.policy = Policy(scope, ch.path if scope == "file" else ch.rule, kind, action)
        self.policies.append(action.policy)
        self._record(ch, kind, action)
        self.actions.append(action)
        if kind == "reject":
            self._invalidate(action)
        self.current()  # settles accepted ones now, so undo sees them in this action
        return ch

    def skip(self) -> Change | None:
        ch = self.current()
        if ch is None:
            return None
        self.skipped.add(ch.key)
        self.actions.append(Action("skip", skipped=[ch.key]))
        return ch

    def search(self, pattern: str) -> Change | None:
        """Skip forward to the next change matching ``pattern``; None (and no move) if none does."""
        try:
            rx = re.compile(pattern)
        except re.error:
            rx = re.compile(re.escape(pattern))
        cur = self.current()
        if cur is None:
            return None
        passed: list[str] = []
        started = False
        for fq in self.files:
            for ch in self.changes(fq):
                if ch.key == cur.key and ch.path == cur.path:
                    started = True
                if not started or ch.key in self.skipped or self.lookup(ch.path, ch.key) is not None:
                    continue
                if ch is not cur and _matches(rx, ch):
                    if passed:
                        self.skipped.update(passed)
                        self.actions.append(Action("search", skipped=passed))
                    return ch
                passed.append(ch.key)
        return None

    def undo(self) -> Action | None:
        if not self.actions:
            return None
        action = self.actions.pop()
        for (path, key), (present, before, stored) in action.prev.items():
            if present:
                self.overlay[(path, key)] = before
            else:
                self.overlay.pop((path, key), None)
            if stored is None:
                self.stores[path].clear(key)
            else:
                self.stores[path].record(stored)
        self.skipped.difference_update(action.skipped)
        if action.policy is not None:
            self.policies.remove(action.policy)
        self._invalidate(action)
        self.finished = False
        return action

    def _invalidate(self, action: Action) -> None:
        if action.policy is not None and action.policy.scope == "rule":
            self._traces.clear()
        for path, _ in action.prev:
            self._traces.pop(path, None)
        if action.policy is not None and action.policy.scope == "file":
            self._traces.pop(action.policy.target, None)

    # ------------------------------------------------------------------ keys
    def handle_key(self, key: str, ask: Callable[[str], str] | None = None) -> str:
        """Apply one key; return a short message for the screen ("" for none)."""
        if key in ("y",):
            self.accept()
        elif key == "n":
            self.reject()
        elif key in ("a", "d"):
            self.wide("file", "accept" if key == "a" else "reject")
        elif key in ("A", "D"):
            self.wide("rule", "accept" if key == "A" else "reject")
        elif key in ("s", "j", "J", "K"):
            self.skip()
        elif key == "u":
            a = self.undo()
            return f"undid: {a.label}" if a else "nothing to undo"
        elif key == "e":
            ch = self.current()
            if ch is None or ask is None:
                return ""
            new = ask("New replacement (Python escapes like \\u3000 allowed; empty line keeps it as proposed): ")
            if new == "":
                return "edit cancelled"
            self.edit(unescape(new))
            return "edited"
        elif key == "/":
            if ask is None:
                return ""
            pat = ask("Search for: ")
            if not pat:
                return ""
            return "" if self.search(pat) is not None else f"no later change matches {pat!r}"
        elif key in ("q", "\x03", "\x04"):
            self.quit = True
        elif key == "?":
            return HELP
        else:
            return f"unknown key {key!r}; ? shows the keys"
        return ""


def _matches(rx: re.Pattern[str], ch: Change) -> bool:
    s = ch.site
    hay = (ch.rule, ch.finding.name, ch.finding.message, s.before, s.after, s.left + s.before + s.right)
    return any(rx.search(h) for h in hay)


def unescape(s: str) -> str:
    """Interpret backslash escapes (``\\u3000``, ``\\n``) in typed text, keeping other characters."""
    if "\\" not in s:
        return s
    try:
        return s.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return s


def apply_decisions(session: Session, decisions: dict[str, Decision]) -> tuple[int, int]:
    """Decide every queued change found in ``decisions``; skip the rest. Returns (applied, undecided)."""
    applied = undecided = 0
    while (ch := session.current()) is not None:
        d = decisions.get(ch.key)
        if d is None:
            session.skip()
            undecided += 1
        else:
            session.decide(d.decision, d.replacement)
            applied += 1
    return applied, undecided
