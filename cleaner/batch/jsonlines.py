"""Fast, exact serialisation of the lines of ``findings.jsonl``.

A batch writes one JSON line per finding and per applied edit (tens of
thousands per MB of a typical dump), so :func:`json.dumps` per line, which
builds an encoder each call, costs about as much as some rules. The functions
here produce exactly the bytes of ``json.dumps(obj, ensure_ascii=False,
separators=(",", ":"))`` for the two fixed line shapes: strings go through
the same C escaping function json uses, ints and floats through the same
``repr``, and any value of another type falls back to :func:`json.dumps`
itself. The encodings of strings that repeat (rule codes, categories,
messages, fix safeties) are kept in a small bounded memo.
"""

from __future__ import annotations

import json
import operator
from json.encoder import encode_basestring  # the C function json.dumps uses with ensure_ascii=False
from typing import Any

from ..memo import MEMO_ENTRIES, store
from ..model import AppliedEdit, Finding

_MEMO_MAX = MEMO_ENTRIES
_memo: dict[str, str] = {}
_conf_memo: dict[Any, str] = {}


def dumps(obj: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, separators=(",", ":"))``."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def value(v: Any) -> str:
    """The JSON text of one value, as :func:`dumps` would write it inside an object."""
    t = type(v)
    if t is str:
        return encode_basestring(v)
    if t is int:
        return int.__repr__(v)
    if v is None:
        return "null"
    if t is float:
        return float_text(v)
    return dumps(v)


def float_text(x: float) -> str:
    if x != x:
        return "NaN"
    if x == float("inf"):
        return "Infinity"
    if x == -float("inf"):
        return "-Infinity"
    return float.__repr__(x)


def repeated(s: Any) -> str:
    """:func:`value` for strings that recur from line to line (bounded memo)."""
    if type(s) is not str:
        return value(s)
    out = _memo.get(s)
    if out is None:
        out = store(_memo, s, encode_basestring(s))
    return out


def confidence_text(c: Any) -> str:
    """JSON of ``round(float(c), 4)``, the confidence as the findings contract has it."""
    out = _conf_memo.get(c)
    if out is None:
        out = float_text(round(float(c), 4))
        if c == c and c != 0:  # NaN never finds itself again; 0.0 and -0.0 are equal keys but print apart
            store(_conf_memo, c, out)
    return out


def finding_line(path_json: str, f: Finding, text: str) -> str:
    """The ``findings.jsonl`` line of finding ``f`` (spans into ``text``), newline included.

    ``path_json`` is ``value(path)``, computed once per document.
    """
    repl = f.replacement(text) if f.edits else f.data.get("replacement")
    start, end = f.start, f.end
    if type(start) is not int or type(end) is not int:
        return _finding_line_slow(path_json, f, repl)
    return (f'{{"path":{path_json},"type":"finding","rule":{repeated(f.rule)},'
            f'"category":{repeated(f.category)},"start":{start},"end":{end},'
            f'"message":{repeated(f.message)},"replacement":{value(repl)},"fix":{repeated(f.safety)},'
            f'"confidence":{confidence_text(f.confidence)}}}\n')


def _finding_line_slow(path_json: str, f: Finding, repl: Any) -> str:
    d = {"rule": f.rule, "category": f.category, "start": f.start, "end": f.end, "message": f.message,
         "replacement": repl, "fix": f.safety, "confidence": round(float(f.confidence), 4)}
    return f'{{"path":{path_json},"type":"finding",{dumps(d)[1:]}\n'


def edit_line(path_json: str, e: AppliedEdit) -> str:
    """The ``findings.jsonl`` line of an applied edit, newline included."""
    p, s, t, os_, oe = e.pass_no, e.start, e.end, e.orig_start, e.orig_end
    if not (type(p) is int and type(s) is int and type(t) is int and type(os_) is int and type(oe) is int):
        return f'{{"path":{path_json},"type":"edit",{dumps(e.to_dict())[1:]}\n'
    return (f'{{"path":{path_json},"type":"edit","rule":{repeated(e.rule)},"pass":{p},'
            f'"start":{s},"end":{t},"before":{value(e.before)},"after":{value(e.after)},'
            f'"orig_start":{os_},"orig_end":{oe}}}\n')


_heads: dict[tuple[Any, ...], tuple[str, str, str]] = {}


def finding_lines(path_json: str, findings: list[Finding], text: str) -> list[str]:
    """:func:`finding_line` of every finding, the fixed parts of a line built once.

    A dump has tens of thousands of findings per MB but few distinct (rule,
    category, message, fix, confidence) combinations: each combination's
    JSON fragments are made once (bounded memo) and a line is then one
    f-string of them with the span and the replacement. Values that JSON
    could print differently although they compare equal (0.0 and -0.0, types
    other than ``str`` and ``float``) take :func:`finding_line`."""
    if not findings:
        return []
    if not _all_of_type(int, tuple(map(_start_of, findings)), tuple(map(_end_of, findings))):
        return [finding_line(path_json, f, text) for f in findings]
    out: list[str] = []
    add = out.append
    heads = _heads
    for f in findings:
        start, end, conf = f.start, f.end, f.confidence
        key = (f.rule, f.category, f.message, f.safety, conf)
        h = heads.get(key)
        if h is None:
            if not (type(f.rule) is str and type(f.category) is str and type(f.message) is str
                    and type(f.safety) is str and type(conf) is float and conf == conf and conf != 0):
                add(finding_line(path_json, f, text))
                continue
            h = store(heads, key, (
                f'"type":"finding","rule":{repeated(f.rule)},"category":{repeated(f.category)},"start":',
                f',"message":{repeated(f.message)},"replacement":',
                f',"fix":{repeated(f.safety)},"confidence":{confidence_text(conf)}}}\n'))
        edits = f.edits
        if len(edits) == 1:  # Finding.replacement's common case, inlined
            if f.safety == "none":
                repl = "null"
            else:
                e = edits[0]
                a, b = e.start, e.end
                if a == start and b == end:  # the edit is the finding (most are)
                    repl = encode_basestring(e.replacement)
                else:
                    lo = start if start < a else a
                    hi = end if end > b else b
                    repl = encode_basestring(text[lo:a] + e.replacement + text[b:hi])
        else:
            repl = value(f.replacement(text) if edits else f.data.get("replacement"))
        add(f'{{"path":{path_json},{h[0]}{start},"end":{end}{h[1]}{repl}{h[2]}')
    return out


_start_of, _end_of = operator.attrgetter("start"), operator.attrgetter("end")


def _all_of_type(t: type, *columns: tuple[Any, ...]) -> bool:
    """Whether every value in ``columns`` has exactly type ``t`` (a C-speed sweep)."""
    return all(set(map(type, col)) <= {t} for col in columns)


def edit_lines(path_json: str, edits: list[AppliedEdit]) -> list[str]:
    """:func:`edit_line` of every applied edit (the rule's fragment made once per rule).

    The types are checked for all edits at once, column by column: when every
    number is an ``int`` and every text a ``str`` (always, for edits the
    engine logs), each line is one f-string; otherwise every line takes
    :func:`edit_line`."""
    if not edits:
        return []
    rules, passes, starts, ends, befores, afters, ostarts, oends = zip(*edits)
    if not (_all_of_type(int, passes, starts, ends, ostarts, oends) and _all_of_type(str, rules, befores, afters)):
        return [edit_line(path_json, e) for e in edits]
    out: list[str] = []
    add = out.append
    heads: dict[str, str] = {}
    for rule, p, s, t, before, after, os_, oe in edits:
        h = heads.get(rule)
        if h is None:
            h = heads[rule] = f'{{"path":{path_json},"type":"edit","rule":{repeated(rule)},"pass":'
        add(f'{h}{p},"start":{s},"end":{t},"before":{encode_basestring(before)},'
            f'"after":{encode_basestring(after)},"orig_start":{os_},"orig_end":{oe}}}\n')
    return out
