"""Every [[examples]] entry of every rule file, run as a test (LanguageTool style)."""

import pytest

from cleaner.context import RuleContext
from cleaner.corpus import CorpusStats
from cleaner.engine import Engine
from cleaner.ruleset import load_rules

RULES = load_rules()
CASES = [(r, i, ex) for r in RULES for i, ex in enumerate(r.examples)]


def _ctx(ex):
    return RuleContext(corpus=CorpusStats.from_texts(ex.corpus) if ex.corpus else None)


@pytest.mark.parametrize("rule,i,ex", CASES, ids=[f"{r.id}-{i}" for r, i, _ in CASES])
def test_rule_example(rule, i, ex):
    engine = Engine([rule], unsafe_fixes=True)
    if ex.keep:
        found = engine.check(ex.input, _ctx(ex))
        assert found == [], f"{rule.id} must not fire on {ex.input!r}: {found}"
    elif ex.flags is not None:
        a = ex.input.index(ex.flags)
        b = a + len(ex.flags)
        found = engine.check(ex.input, _ctx(ex))
        assert any(f.start < b and f.end > a for f in found), f"{rule.id} should report {ex.flags!r}"
        assert engine.fix(ex.input, _ctx(ex)).text == ex.input or rule.fix != "none"
    else:
        res = engine.fix(ex.input, _ctx(ex))
        assert res.text == ex.output
        if ex.output != ex.input:
            assert res.edits, "a changed example must log its edits"
            assert all(e.rule == rule.id for e in res.edits)
        # idempotence: the fixed text is left as it is
        assert engine.fix(ex.output, _ctx(ex)).text == ex.output


def test_every_rule_has_examples_and_docs():
    for r in RULES:
        assert r.examples, r.id
        assert r.summary and r.name and r.category, r.id
