"""Run rules, resolve overlapping fixes, apply them to a fixpoint.

Each pass: every rule looks at the current text; fixable findings are sorted
(rule priority, then position) and accepted greedily when they overlap no fix
already accepted; the accepted edits are applied back to front and logged. The
loop repeats until a pass applies nothing, at most ``max_passes`` times; a
loop that is still changing text then is reported as non-convergent together
with the rules that were still editing.

Document rules whose findings cannot be applied (``fix = "none"``, or
``"unsafe"`` without unsafe fixes) run once, on the final text: they report
what is left, not what a later pass repaired.

The first pass applies only the fixes of line-scoped rules (half-width
punctuation, spaces, tags inside a line, mojibake) when there are any, so the
document rules first see normalised text.

Rules declared ``scope = "line"`` see only lines after the first pass: their
findings on lines that no edit touched are carried over (shifted), and they
run again only on the lines that changed. Most text changes in a few places
per pass, so later passes cost little more than the document-level rules.

In the first pass the simple line rules (lexicon words, literal regex
replacements: ``Rule.columns``) hand over their fixes as columns
(:class:`FixColumns`) rather than one :class:`Finding` each: a raw page has
thousands (half-width commas). Those that compete with no other fix are
applied straight from the columns; the few that do are made into findings
and resolved with the rest; ``FixResult.findings`` makes the others' findings
when it is first read. A veto or rewrite (review decisions) needs every
finding, so it turns the lane off.
"""

from __future__ import annotations

import bisect
import operator
from itertools import repeat
from collections.abc import Callable, Sequence
from typing import Any

from .context import RuleContext
from .model import AppliedEdit, Edit, Finding, FixColumns, unchecked_edit
from .ruleset import Rule

_position_key = operator.attrgetter("start", "end", "rule")
_start_of = operator.itemgetter(0)
_new_tuple = tuple.__new__

Veto = Callable[[Finding, str], bool]
"""Return True to refuse a fix (used for review decisions)."""

Rewrite = Callable[[Finding, str], Finding]
"""Return the finding to apply instead (an edited replacement from review)."""


class FixResult:
    """Outcome of cleaning one text.

    ``findings``: every finding, spans mapped to the original text, sorted by
    position. The first pass's column fixes (see :class:`FixColumns`) become
    findings when ``findings`` is first read: the batch path serialises them
    from the columns (:meth:`findings_parts`) and never makes those objects.
    """

    __slots__ = ("original", "text", "_findings", "_columns", "remaining", "_edits", "_first_rows", "passes",
                 "converged", "unconverged_rules")

    def __init__(
        self,
        original: str,
        text: str,
        findings: list[Finding],
        remaining: list[Finding],
        edits: list[AppliedEdit],
        passes: int,
        converged: bool = True,
        unconverged_rules: list[str] | None = None,
        *,
        columns: Sequence[FixColumns] = (),
        first_rows: list[tuple[int, int, str, str]] | None = None,
    ) -> None:
        """``first_rows``: the first pass's edits as (start, end, replacement,
        rule) rows, by position, to go before ``edits`` (the later passes')."""
        self.original = original
        self.text = text
        self._findings = findings
        self._columns = list(columns)
        self.remaining = remaining  # findings left after fixing, spans in the original text
        self._edits = edits
        self._first_rows = first_rows
        self.passes = passes
        self.converged = converged
        self.unconverged_rules = unconverged_rules if unconverged_rules is not None else []

    @property
    def findings(self) -> list[Finding]:
        if self._columns:
            found = self._findings
            for c in self._columns:
                found += c.findings()
            found.sort(key=_position_key)
            self._columns = []
        return self._findings

    @findings.setter
    def findings(self, value: list[Finding]) -> None:
        self._findings = value
        self._columns = []

    @property
    def edits(self) -> list[AppliedEdit]:
        """Every applied edit, pass by pass, by position within a pass. The
        first pass's are made from its rows when this is first read (a raw
        page has thousands); the batch writes their lines from the rows."""
        rows = self._first_rows
        if rows is not None:
            text = self.original
            # tuple.__new__ skips the named tuple's Python-level __new__ (a third of the cost)
            self._edits = [_new_tuple(AppliedEdit, (rule, 1, a, b, text[a:b], new, a, b))
                           for a, b, new, rule in rows] + self._edits
            self._first_rows = None
        return self._edits

    @edits.setter
    def edits(self, value: list[AppliedEdit]) -> None:
        self._edits = value
        self._first_rows = None

    def edits_parts(self) -> tuple[list[tuple[int, int, str, str]], list[AppliedEdit]]:
        """The applied edits as the engine left them: the first pass's rows
        (start, end, replacement, rule; spans into ``original``, which they
        also are in original coordinates) not yet made into
        :class:`AppliedEdit` objects, and the objects after them. ``edits`` is
        the rows' edits followed by the objects."""
        return list(self._first_rows or ()), self._edits

    def findings_parts(self) -> tuple[list[Finding], list[FixColumns]]:
        """The findings as the engine left them: objects (sorted by position)
        and column fixes not yet made into objects (each sorted by position;
        no two share a (rule, start, end)). ``findings`` is their union, sorted."""
        return self._findings, list(self._columns)

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def _key(self) -> tuple[Any, ...]:
        return (self.original, self.text, self.findings, self.remaining, self.edits, self.passes,
                self.converged, self.unconverged_rules)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FixResult):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (f"FixResult(text={self.text[:40]!r}..., findings={len(self.findings)}, "
                f"edits={len(self.edits)}, passes={self.passes}, converged={self.converged})")


class Engine:
    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        unsafe_fixes: bool = False,
        max_passes: int = 10,
        veto: Veto | None = None,
        incremental: bool = True,
    ) -> None:
        """``incremental=False`` re-runs line-scoped rules on the whole text every
        pass (the reference the incremental re-check is tested against)."""
        self.rules = sorted(rules, key=lambda r: (r.priority, r.id))
        self.unsafe_fixes = unsafe_fixes
        self.max_passes = max_passes
        self.veto = veto
        self.incremental = incremental
        self._priority = {r.id: r.priority for r in self.rules}
        self._line_rules = [r for r in self.rules if r.scope == "line"]
        # Document rules whose findings this engine can never apply (fix = "none",
        # or "unsafe" without unsafe_fixes) change no text: they run once, on the
        # final text, instead of on every pass.
        doc = [r for r in self.rules if r.scope != "line"]
        self._doc_report = [r for r in doc if not self._may_fix(r)]
        self._doc_rules = [r for r in doc if self._may_fix(r)]
        self._line_ids = frozenset(r.id for r in self._line_rules)
        self._fixing_line_ids = frozenset(r.id for r in self._line_rules if self._may_fix(r))
        self._column_rules = any(r.columns is not None for r in self._line_rules if r.id in self._fixing_line_ids)

    # ------------------------------------------------------------------ detect
    def check(self, text: str, ctx: RuleContext | None = None) -> list[Finding]:
        """Findings of one pass over ``text`` (nothing applied), sorted by position."""
        ctx = ctx or RuleContext()
        out: list[Finding] = []
        _run_rules(self.rules, text, ctx, out)
        out.sort(key=_position_key)
        return out

    def applicable(self, f: Finding) -> bool:
        return f.fixable and (f.safety == "safe" or self.unsafe_fixes)

    def _may_fix(self, rule: Rule) -> bool:
        """Whether any finding of ``rule`` can be applied (a finding is never
        safer than its rule's declared ``fix``; review rewrites keep the safety)."""
        return rule.fix == "safe" or (rule.fix == "unsafe" and self.unsafe_fixes)

    # ------------------------------------------------------------------ resolve
    def resolve(
        self, text: str, findings: Sequence[Finding], *, veto: Veto | None = None, rewrite: Rewrite | None = None
    ) -> list[Finding]:
        """Choose a set of non-overlapping fixes to apply in one pass.

        ``veto``/``rewrite`` apply per call (per document) on top of the
        engine's own ``veto``: review decisions depend on the file.
        """
        ok = ("safe", "unsafe") if self.unsafe_fixes else ("safe",)
        candidates = [f for f in findings if f.edits and f.safety in ok]  # self.applicable, inlined
        for v in (self.veto, veto):
            if v is not None:
                candidates = [f for f in candidates if not v(f, text)]
        if rewrite is not None:
            candidates = [g for g in (rewrite(f, text) for f in candidates) if self.applicable(g)]
        chosen, candidates = _uncontested(candidates)  # fixes that compete with none are taken as they are
        return self._greedy(text, chosen, candidates)

    def _greedy(self, text: str, chosen: list[Finding], candidates: list[Finding]) -> list[Finding]:
        """Add to ``chosen`` the contested ``candidates`` (in position order) that
        overlap no fix taken before them, by rule priority, then position."""
        candidates.sort(key=lambda f: (self._priority.get(f.rule, 100), *f.fix_span()))
        taken = _IntervalSet()
        conflicts, add = taken.conflicts, taken.add
        for f in candidates:
            if len(f.edits) == 1:  # the common case: no self-overlap to test
                e = f.edits[0]
                brk = _breaks_lines(text, e)
                if conflicts(e.start, e.end, brk):
                    continue
                add(e.start, e.end, brk)
                chosen.append(f)
                continue
            spans = [(e.start, e.end, _breaks_lines(text, e)) for e in f.edits]
            if _self_overlaps([(a, b) for a, b, _ in spans]) or any(taken.conflicts(*sp) for sp in spans):
                continue
            for sp in spans:
                taken.add(*sp)
            chosen.append(f)
        return chosen

    def _resolve_columns(
        self, text: str, findings: Sequence[Finding], columns: Sequence[FixColumns]
    ) -> tuple[list[Finding], list[tuple[int, int, str, str]], list[Finding], list[FixColumns]]:
        """:meth:`resolve` (without veto or rewrite) of ``findings`` together with
        the fixes of ``columns``, all in one text.

        Returns the chosen findings, the rows (start, end, replacement, rule) of
        the chosen column fixes that competed with no other fix (nearly all),
        the column fixes that did compete, made into findings (chosen or not,
        they are findings of this pass), and the uncontested column fixes, as
        columns, whose findings :meth:`fix` makes at the end.
        """
        ok = ("safe", "unsafe") if self.unsafe_fixes else ("safe",)
        candidates = [f for f in findings if f.edits and f.safety in ok]
        spans = [(e.start, e.end, i) for i, f in enumerate(candidates) for e in f.edits]
        bases = []
        base = len(candidates)
        for c in columns:
            bases.append(base)
            spans += zip(c.starts, c.ends, range(base, base + len(c)))
            base += len(c)
        contested = _contested(spans)
        if not contested:
            rows = [row for c in columns for row in zip(c.starts, c.ends, c.news, repeat(c.rule))]
            return candidates, rows, [], list(columns)
        chosen = [f for i, f in enumerate(candidates) if i not in contested]
        fought = [f for i, f in enumerate(candidates) if i in contested]
        made: list[Finding] = []
        rows = []
        kept: list[FixColumns] = []
        for c, b in zip(columns, bases):
            lost = [j for j in range(len(c)) if b + j in contested]
            if not lost:
                rows += zip(c.starts, c.ends, c.news, repeat(c.rule))
                kept.append(c)
                continue
            made += (c.finding(j) for j in lost)
            lost_set = set(lost)
            rest = [j for j in range(len(c)) if j not in lost_set]
            if not rest:
                continue
            sub = FixColumns(c.rule, c.category, c.name, c.confidence, c.safety,
                             [c.starts[j] for j in rest], [c.ends[j] for j in rest],
                             [c.news[j] for j in rest], [c.messages[j] for j in rest])
            rows += zip(sub.starts, sub.ends, sub.news, repeat(sub.rule))
            kept.append(sub)
        fought += made
        fought.sort(key=_position_key)  # the order resolve() would see them in
        return self._greedy(text, chosen, fought), rows, made, kept

    # ------------------------------------------------------------------ apply
    def fix(
        self, text: str, ctx: RuleContext | None = None, *, veto: Veto | None = None, rewrite: Rewrite | None = None
    ) -> FixResult:
        ctx = ctx or RuleContext()
        original = text
        history: list[_PassMap] = []  # per pass: its edits as (start, end, new_len)
        log: list[AppliedEdit] = []  # the applied edits after the first pass
        first_rows: list[tuple[int, int, str, str]] | None = None
        all_findings: list[Finding] = []
        seen: set[tuple[str, int, int]] = set()
        remaining: list[Finding] = []
        last_rules: set[str] = set()
        converged = True
        passes = 0
        # Line-scoped findings carried over from the previous pass (already
        # recorded) and those found afresh in this pass.
        carried: list[Finding] = []
        fresh: list[Finding] = []
        # The first pass takes the simple rules' fixes as columns (see FixColumns)
        # when nothing needs to look at each finding on its way (a veto, a rewrite).
        use_columns = (self.incremental and self._column_rules and veto is None and rewrite is None
                       and self.veto is None and self.max_passes >= 1)
        applied_columns: list[FixColumns] = []
        while True:
            passes += 1
            # Normalise first: pass 1 applies the line rules' fixes alone, so the
            # document rules first look at the normalised text (and meet lines
            # they have seen on later passes, which their memos answer).
            line_only = passes == 1 and bool(self._line_rules)
            columns: list[FixColumns] = []
            if line_only and use_columns:
                columns = _run_line_rules(self._line_rules, text, ctx, fresh, self._fixing_line_ids)
            elif line_only:
                _run_rules(self._line_rules, text, ctx, fresh, lines=True)
            else:
                if not self.incremental:
                    _run_rules(self._line_rules, text, ctx, fresh, lines=True)
                _run_rules(self._doc_rules, text, ctx, fresh)
            _record(fresh, history, text, seen, all_findings)
            findings = carried + fresh
            findings.sort(key=_position_key)
            column_rows: list[tuple[int, int, str, str]] = []
            if columns:
                for c in columns:  # pass 1: in original coordinates, and new
                    seen.update(zip(repeat(c.rule), c.starts, c.ends))
                chosen, column_rows, made, applied_columns = self._resolve_columns(text, findings, columns)
                if made:
                    all_findings += made
                    findings += made
                    findings.sort(key=_position_key)
            else:
                chosen = self.resolve(text, findings, veto=veto, rewrite=rewrite)
            if line_only and not chosen and not column_rows:  # nothing to normalise: the document rules look at this text now
                fresh = []
                _run_rules(self._doc_rules, text, ctx, fresh)
                _record(fresh, history, text, seen, all_findings)
                findings += fresh
                findings.sort(key=_position_key)
                chosen = self.resolve(text, findings, veto=veto, rewrite=rewrite)
            if not (chosen or column_rows) or passes > self.max_passes:
                if chosen or column_rows:
                    converged = False
                report: list[Finding] = []
                _run_rules(self._doc_report, text, ctx, report)
                _record(report, history, text, seen, all_findings)
                findings += report
                findings.sort(key=_position_key)
                remaining = [_map_finding(f, history, text) for f in findings]
                break
            # (start, end, replacement, rule) of every accepted edit, by position; accepted
            # edits never share a span, so the tuples sort by (start, end) alone.
            rows = [(e.start, e.end, e.replacement, f.rule) for f in chosen for e in f.edits]
            rows += column_rows
            rows.sort()
            last_rules = {row[3] for row in rows}
            if history:
                for a, b, new, rule in rows:
                    os_, oe = _map_span(a, b, history)
                    log.append(AppliedEdit(rule, passes, a, b, text[a:b], new, os_, oe))
            else:  # pass 1: the text is the original; FixResult makes these edits when asked
                first_rows = rows
            new_text = _apply(text, rows)
            pass_map = _PassMap([(a, b, len(new)) for a, b, new, _ in rows])
            if self._line_rules and self.incremental:
                line_found = [f for f in findings if f.rule in self._line_ids]
                carried, fresh = _recheck_lines(self._line_rules, text, new_text, pass_map, line_found, ctx)
            else:
                fresh = []
            text = new_text
            history.append(pass_map)
        all_findings.sort(key=_position_key)
        return FixResult(
            original=original,
            text=text,
            findings=all_findings,
            columns=applied_columns,
            remaining=remaining,
            edits=log,
            first_rows=first_rows,
            passes=passes,
            converged=converged,
            unconverged_rules=sorted(last_rules) if not converged else [],
        )


def _record(found: list[Finding], history: Sequence[_PassMap], text: str,
            seen: set[tuple[str, int, int]], out: list[Finding]) -> None:
    """Append the findings of ``found`` not yet recorded to ``out``, in original coordinates."""
    if not history:  # pass 1: already in original coordinates
        add = seen.add
        for f in found:
            key = (f.rule, f.start, f.end)
            if key not in seen:
                add(key)
                out.append(f)
        return
    for f in found:
        span = _map_span(f.start, f.end, history) if history else (f.start, f.end)
        key = (f.rule, *span)
        if key not in seen:
            seen.add(key)
            out.append(_map_finding(f, history, text, span))


def _run_rules(rules: Sequence[Rule], text: str, ctx: RuleContext, out: list[Finding], *,
               lines: bool = False) -> None:
    """Append the findings of ``rules`` on ``text`` to ``out``.

    ``lines``: the rules are line-scoped; a span across a line break is an error
    in the rule's declaration, reported as such. Built-in rules are not
    checked here (per finding, it costs as much as a cheap rule): the test
    suite checks their locality on the samples, their examples and generated
    text.
    """
    n = len(text)
    find = text.find
    for rule in rules:
        check_lines = lines and not rule.builtin
        for f in rule.find(text, ctx):
            a, b = f.start, f.end
            if not (0 <= a <= b <= n):
                raise ValueError(f"rule {rule.id} returned span {a}..{b} outside the text")
            if check_lines:
                for e in f.edits:  # the fix span, without Finding.fix_span's min/max calls
                    if e.start < a:
                        a = e.start
                    if e.end > b:
                        b = e.end
                if find("\n", a, b) >= 0:
                    raise ValueError(f"rule {rule.id} declares scope = 'line' but reported a span across "
                                     f"lines ({a}..{b}); declare scope = 'document'")
            out.append(f)


def _run_line_rules(rules: Sequence[Rule], text: str, ctx: RuleContext, out: list[Finding],
                    fixing: frozenset[str]) -> list[FixColumns]:
    """:func:`_run_rules` of line-scoped ``rules`` on ``text``, except that the
    rules with :attr:`Rule.columns` whose fixes the engine applies (their ids
    in ``fixing``) return their fixes as columns, which are returned."""
    columns: list[FixColumns] = []
    for rule in rules:
        fn = rule.columns
        if fn is None or rule.id not in fixing:
            _run_rules([rule], text, ctx, out, lines=True)
            continue
        c = fn(text)
        if c is None:
            continue
        if not rule.builtin:
            _check_columns(rule, c, text)
        columns.append(c)
    return columns


def _check_columns(rule: Rule, c: FixColumns, text: str) -> None:
    n = len(text)
    find = text.find
    for a, b in zip(c.starts, c.ends):
        if not (0 <= a <= b <= n):
            raise ValueError(f"rule {rule.id} returned span {a}..{b} outside the text")
        if find("\n", a, b) >= 0:
            raise ValueError(f"rule {rule.id} declares scope = 'line' but reported a span across "
                             f"lines ({a}..{b}); declare scope = 'document'")


def _shifted(f: Finding, d: int) -> Finding:
    return Finding(
        f.rule, f.category, f.start + d, f.end + d, f.message, f.confidence,
        tuple(unchecked_edit(e.start + d, e.end + d, e.replacement) for e in f.edits),
        f.safety, f.name, (f.related[0] + d, f.related[1] + d) if f.related else None, f.data,
    )


def _recheck_lines(
    rules: Sequence[Rule], old: str, new: str, edits: _PassMap, found: list[Finding], ctx: RuleContext
) -> tuple[list[Finding], list[Finding]]:
    """Findings of line-scoped ``rules`` on ``new`` (``old`` after the pass's ``edits``):
    those carried over from ``found`` and those found again.

    A line that no edit touched (an edit touches a line when it overlaps it or
    meets one of its ends) is unchanged, so its findings in ``found`` carry
    over, shifted by the length change before it. The changed lines are
    joined into one text (line breaks between them) and each rule runs once
    on it: its findings there are those on the lines in place, since every
    finding of a line-scoped rule depends on its line alone, and one call per
    rule costs far less than one per changed block.
    """
    starts = [start for start, _, _ in edits.edits]
    shift = [*edits.deltas, edits.total]  # shift[i]: length change of the first i edits
    blocks: list[list[int]] = []  # runs of changed lines [start, end] in the new text, sorted, disjoint
    cur_end = -2  # end of the last block (the line break after it, or len(new))
    for ns, ne in zip(edits.new_starts, edits.new_ends):
        if ns <= cur_end:  # starts on the last block's lines (most edits of a dense page)
            if ne > cur_end:
                b = new.find("\n", ne)
                cur_end = blocks[-1][1] = b if b >= 0 else len(new)
            continue
        a = new.rfind("\n", 0, ns) + 1
        b = new.find("\n", ne)
        if b < 0:
            b = len(new)
        if blocks and a <= cur_end + 1:  # the next line
            blocks[-1][1] = b
        else:
            blocks.append([a, b])
        cur_end = b
    out: list[Finding] = []
    again: list[Finding] = []
    if sum(b - a for a, b in blocks) > len(new) // 2:
        # most lines changed: one run over the whole text is cheaper
        _run_rules(rules, new, ctx, again, lines=True)
        return out, again
    block_starts = [a for a, _ in blocks]
    for f in found:
        lo, hi = f.fix_span()
        ls = old.rfind("\n", 0, lo) + 1
        le = old.find("\n", hi)
        if le < 0:
            le = len(old)
        j = bisect.bisect_right(starts, le)  # edits starting at or before the line's end
        if j and edits.edits[j - 1][1] >= ls:
            continue  # its line changed: checked again below
        d = shift[j]
        k = bisect.bisect_right(block_starts, lo + d) - 1
        if k >= 0 and blocks[k][1] >= lo + d:
            continue  # inside a block that is checked again
        out.append(_shifted(f, d) if d else f)
    joined_starts: list[int] = []  # where each block starts in the joined text
    pos = 0
    for a, b in blocks:
        joined_starts.append(pos)
        pos += b - a + 1
    joined = "\n".join(new[a:b] for a, b in blocks)
    found_joined: list[Finding] = []
    _run_rules(rules, joined, ctx, found_joined, lines=True)
    for f in found_joined:
        k = bisect.bisect_right(joined_starts, f.start) - 1
        d = block_starts[k] - joined_starts[k]
        again.append(_shifted(f, d) if d else f)
    return out, again


def _apply(text: str, edits: Sequence[tuple[Any, ...]]) -> str:
    """Apply non-overlapping edits, sorted by start, in one sweep: each is a
    tuple opening with (start, end, replacement) (the engine's rows carry the
    rule after them)."""
    out: list[str] = []
    add = out.append
    pos = 0
    for e in edits:
        add(text[pos : e[0]])
        add(e[2])
        pos = e[1]
    add(text[pos:])
    return "".join(out)


def replay(original: str, edits: Sequence[AppliedEdit]) -> str:
    """Re-apply a logged edit sequence; raises if the log does not match the text."""
    text = original
    by_pass: dict[int, list[AppliedEdit]] = {}
    for e in edits:
        by_pass.setdefault(e.pass_no, []).append(e)
    for p in sorted(by_pass):
        batch = sorted(by_pass[p], key=lambda e: (e.start, e.end))
        for e in batch:
            if text[e.start : e.end] != e.before:
                raise ValueError(f"edit log mismatch at {e.start}..{e.end} in pass {p}")
        text = _apply(text, [(e.start, e.end, e.after) for e in batch])
    return text


def _uncontested(fixes: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """Split ``fixes`` into those whose edits neither overlap nor touch an edit of
    another fix (greedy resolution takes them whatever the priorities) and the
    contested rest, which must go through the resolution."""
    contested = _contested([(e.start, e.end, i) for i, f in enumerate(fixes) for e in f.edits])
    if not contested:
        return fixes, []
    return ([f for i, f in enumerate(fixes) if i not in contested],
            [f for i, f in enumerate(fixes) if i in contested])


def _contested(spans: list[tuple[int, int, int]]) -> set[int]:
    """The fix numbers among ``spans`` (start, end, fix number of every edit;
    sorted here, in place) whose edits overlap or touch an edit of another fix."""
    spans.sort()
    contested: set[int] = set()
    if len(spans) < 2:
        return contested
    _, ends, _ = zip(*spans)
    if all(map(operator.lt, ends, map(_start_of, spans[1:]))):
        return contested  # each edit ends before the next starts: nothing touches (the common case)
    k = 0
    while k < len(spans):
        end = spans[k][1]
        j = k + 1
        while j < len(spans) and spans[j][0] <= end:  # overlapping or touching: one cluster
            end = max(end, spans[j][1])
            j += 1
        if j - k > 1:
            contested.update(i for _, _, i in spans[k:j])
        k = j
    return contested


def _self_overlaps(spans: list[tuple[int, int]]) -> bool:
    s = sorted(spans)
    return any(s[i][1] > s[i + 1][0] or (s[i] == s[i + 1]) for i in range(len(s) - 1))


def _breaks_lines(text: str, e: Edit) -> bool:
    """Whether the edit removes or adds a line break."""
    return "\n" in e.replacement or text.find("\n", e.start, e.end) >= 0


class _IntervalSet:
    """Accepted edit spans. Zero-width inserts conflict with anything touching
    them; two edits that meet end to end conflict when both remove or add line
    breaks: each was judged on the lines around it (a line removed as
    boilerplate, a page break joined right after it), and together they would
    join lines that neither rule meant to join. The second waits for the next
    pass, which judges it on the new text."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.spans: list[tuple[int, int, bool]] = []

    def conflicts(self, a: int, b: int, brk: bool = False) -> bool:
        i = bisect.bisect_left(self.starts, a)
        for c, d, cbrk in self.spans[max(0, i - 1) : i + 2]:
            if _overlap(a, b, c, d) or (brk and cbrk and (a == d or b == c)):
                return True
        # a long accepted span that starts well before a
        j = i - 2
        while j >= 0:
            c, d, cbrk = self.spans[j]
            if d < a:
                # spans are disjoint and sorted, so nothing earlier reaches a
                break
            if _overlap(a, b, c, d) or (brk and cbrk and a == d):
                return True
            j -= 1
        return False

    def add(self, a: int, b: int, brk: bool = False) -> None:
        i = bisect.bisect_left(self.starts, a)
        self.starts.insert(i, a)
        self.spans.insert(i, (a, b, brk))


def _overlap(a: int, b: int, c: int, d: int) -> bool:
    if a < d and c < b:
        return True
    if a == b and c <= a <= d:
        return True
    if c == d and a <= c <= b:
        return True
    return False


def _map_pos(pos: int, edits: list[tuple[int, int, int]], is_end: bool) -> int:
    """Map a position in the text after one pass's edits to the text before them.

    A position inside a replaced region is widened to cover the whole region.
    """
    return _PassMap(edits).map(pos, is_end)


class _PassMap:
    """One pass's edits, indexed for mapping positions back in O(log n).

    Equivalent to scanning the edits in order and stopping at the first one
    whose replaced region (in the new text) ends at or after ``pos``: new-text
    region ends never decrease, so that edit is found by bisection.
    """

    __slots__ = ("edits", "new_starts", "new_ends", "deltas", "total")

    def __init__(self, edits: list[tuple[int, int, int]]) -> None:
        self.edits = edits
        new_starts: list[int] = []
        new_ends: list[int] = []
        deltas: list[int] = []  # delta accumulated before each edit
        self.new_starts, self.new_ends, self.deltas = new_starts, new_ends, deltas
        add_start, add_end, add_delta = new_starts.append, new_ends.append, deltas.append
        delta = 0
        for start, end, new_len in edits:
            ns = start + delta
            add_start(ns)
            add_end(ns + new_len)
            add_delta(delta)
            delta += new_len - end + start
        self.total = delta

    def map(self, pos: int, is_end: bool) -> int:
        i = bisect.bisect_left(self.new_ends, pos)
        if i == len(self.new_ends):
            return pos - self.total
        new_start = self.new_starts[i]
        if pos < new_start:
            return pos - self.deltas[i]
        start, end, _ = self.edits[i]
        if pos == new_start and is_end:
            return start
        if pos < self.new_ends[i]:
            return end if is_end else start
        return end  # pos == new_end


def _map_span(start: int, end: int, history: Sequence[_PassMap]) -> tuple[int, int]:
    for pm in reversed(history):
        start = pm.map(start, False)
        end = pm.map(end, True)
        if end < start:
            end = start
    return start, end


def _map_finding(
    f: Finding, history: Sequence[_PassMap], text: str, span: tuple[int, int] | None = None
) -> Finding:
    """Express a finding made on a later pass's ``text`` in original coordinates.

    ``span``: the finding's span already mapped (saves mapping it twice)."""
    if not history:
        return f
    s, e = span if span is not None else _map_span(f.start, f.end, history)
    related = _map_span(*f.related, history) if f.related else None
    return Finding(
        rule=f.rule,
        category=f.category,
        start=s,
        end=e,
        message=f.message,
        confidence=f.confidence,
        edits=(),  # the fix's edits refer to a later text; only the span is mapped
        safety=f.safety,
        name=f.name,
        related=related,
        data={**f.data, "mapped_from_pass": True, "replacement": f.replacement(text)},
    )
