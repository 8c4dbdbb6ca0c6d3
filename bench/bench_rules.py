"""Per-rule and whole-set throughput of the default rule set, plus an output snapshot.

    .venv/bin/python bench/bench_rules.py                 # whole set + per-rule MB/s
    .venv/bin/python bench/bench_rules.py --no-rules      # whole set only
    .venv/bin/python bench/bench_rules.py --profile       # cProfile of Cleaner().clean
    .venv/bin/python bench/bench_rules.py --save snap.json / --compare snap.json

Texts: the five ``samples/*.txt``, ``bench/corpus/*.txt`` and ~0.4 MB of
generated pages (``bench_batch.generate``: sample paragraphs with half-width
commas, HTML tags, doubled spaces and page numbers added). ``--save`` writes
the cleaned text, findings and edit log of every text; ``--compare`` checks a
later run against it byte for byte (the guard for speed-only changes).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_batch import generate  # noqa: E402
from cleaner.api import Cleaner  # noqa: E402
from cleaner.context import RuleContext  # noqa: E402


def load_texts(gen_mb: float) -> dict[str, str]:
    texts = {}
    for f in sorted((ROOT / "samples").glob("*.txt")) + sorted((ROOT / "bench" / "corpus").glob("*.txt")):
        texts[str(f.relative_to(ROOT))] = f.read_text(encoding="utf-8")
    if gen_mb > 0:
        with tempfile.TemporaryDirectory() as d:
            generate(Path(d), gen_mb)
            for f in sorted(Path(d).rglob("*.txt")):
                texts[f"gen/{f.parent.name}/{f.name}"] = f.read_text(encoding="utf-8")
    return texts


def snapshot(cleaner: Cleaner, texts: dict[str, str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, text in texts.items():
        res = cleaner.clean(text)
        out[name] = {
            "text": res.text,
            "findings": [(f.rule, f.start, f.end, f.message, f.safety, f.related, repr(f.data)) for f in res.findings],
            "remaining": [(f.rule, f.start, f.end) for f in res.remaining],
            "edits": [e.to_dict() for e in res.edits],
            "passes": res.passes,
        }
    return json.loads(json.dumps(out))


def cold() -> None:
    """Forget memoised verdicts so that repeats time unseen text, not cache hits."""
    from cleaner.checks import boilerplate, fragment, pagebreak, punctuation, repetition

    getattr(pagebreak, "_JUDGED", {}).clear()
    getattr(fragment, "_BODY_LIKE", {}).clear()
    getattr(pagebreak, "clear_memos", lambda: None)()
    getattr(fragment, "_REASONS", {}).clear()
    getattr(punctuation, "_SCANNED", {}).clear()
    getattr(boilerplate, "_CUES", {}).clear()
    repetition._memo = None


def mbps(nbytes: int, seconds: float) -> float:
    return nbytes / 1e6 / seconds if seconds > 0 else float("inf")


def time_clean(cleaner: Cleaner, texts: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        cold()
        t0 = time.perf_counter()
        for t in texts:
            cleaner.clean(t)
        best = min(best, time.perf_counter() - t0)
    return best


def time_rules(rules, texts: list[str], repeat: int) -> dict[str, float]:
    """Seconds per rule for one check pass, the rules run in engine order on
    each text (so per-text caches shared between rules work as in the engine)."""
    best: dict[str, float] = {}
    clock = time.perf_counter
    for _ in range(repeat):
        cold()
        took = dict.fromkeys((r.id for r in rules), 0.0)
        for t in texts:
            ctx = RuleContext()
            for rule in rules:
                t0 = clock()
                for _f in rule.find(t, ctx):
                    pass
                took[rule.id] += clock() - t0
        for k, v in took.items():
            best[k] = min(best.get(k, float("inf")), v)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gen-mb", type=float, default=0.4)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-rules", action="store_true", help="skip the per-rule table")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--compare", type=Path)
    a = ap.parse_args(argv)

    texts = load_texts(a.gen_mb)
    cleaner = Cleaner()
    nbytes = sum(len(t.encode("utf-8")) for t in texts.values())
    if a.save or a.compare:
        snap = snapshot(cleaner, texts)
        if a.save:
            a.save.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
            print(f"saved {len(snap)} texts to {a.save}")
        if a.compare:
            ref = json.loads(a.compare.read_text(encoding="utf-8"))
            bad = [k for k in ref if ref[k] != snap.get(k)]
            if bad:
                for k in bad[:10]:
                    for field in ref[k]:
                        if ref[k][field] != snap[k][field]:
                            print(f"DIFF {k}: {field}")
                print(f"{len(bad)} of {len(ref)} texts differ")
                return 1
            print(f"identical: {len(ref)} texts")
        return 0
    if a.profile:
        for t in texts.values():  # warm up: lazy lexicon and table loads
            cleaner.clean(t)
        pr = cProfile.Profile()
        pr.enable()
        for t in texts.values():
            cleaner.clean(t)
        pr.disable()
        st = pstats.Stats(pr)
        st.sort_stats("tottime").print_stats(30)
        st.sort_stats("cumtime").print_stats(30)
        return 0

    vals = list(texts.values())
    total = time_clean(cleaner, vals, a.repeat)
    check = float("inf")
    for _ in range(a.repeat):
        cold()
        t0 = time.perf_counter()
        for t in vals:
            cleaner.engine.check(t, RuleContext())
        check = min(check, time.perf_counter() - t0)
    print(f"{len(vals)} texts, {nbytes / 1e6:.2f} MB")
    print(f"whole set: clean {mbps(nbytes, total):6.2f} MB/s   one check pass {mbps(nbytes, check):6.2f} MB/s")
    if not a.no_rules:
        took = time_rules(cleaner.engine.rules, vals, a.repeat)
        rows = [(rid, mbps(nbytes, sec)) for rid, sec in took.items()]
        rows.sort(key=lambda x: x[1])
        print("per rule (slowest first):")
        for rid, v in rows:
            print(f"  {rid:8s} {v:9.1f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
