"""Where the time of one worker goes, per MB of input: the budget behind ``bench_batch``.

    .venv/bin/python bench/bench_phases.py --mb 5                 # raw pages
    .venv/bin/python bench/bench_phases.py --mb 5 --style clean
    .venv/bin/python bench/bench_phases.py --mb 5 --rules 20      # and the 20 costliest rules per phase

It generates a corpus like ``bench_batch`` does, then times, in this process
and on the same decoded texts: decoding, the engine's rule calls by phase
(the first pass of line rules, the re-checks of changed lines, each run of
the document rules, the report-only rules at the end), the engine's own work
outside the rules (resolving, applying, logging, mapping spans), and the
``findings.jsonl`` serialisation. Each figure is the best of ``--repeat`` runs
(the machine is noisy; the best run is the one least disturbed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_batch import generate  # noqa: E402
from cleaner import engine as engine_module  # noqa: E402
from cleaner.api import Cleaner  # noqa: E402
from cleaner.batch.worker import result_lines  # noqa: E402
from cleaner.decode import decode_bytes  # noqa: E402


class _PhaseTimer:
    """Wraps ``engine._run_rules`` to time every rule call, tagged by the phase it belongs to."""

    def __init__(self, engine: engine_module.Engine) -> None:
        self.engine = engine
        self.by_phase: Counter[str] = Counter()
        self.by_rule: Counter[tuple[str, str]] = Counter()
        self.doc_runs = 0
        self._orig = engine_module._run_rules
        self._orig_lines = engine_module._run_line_rules

    def new_document(self) -> None:
        self.doc_runs = 0

    def __enter__(self) -> _PhaseTimer:
        orig = self._orig

        orig_lines = self._orig_lines
        first_pass = "line rules: first pass"

        def timed_lines(rules, text, ctx, out, fixing):  # type: ignore[no-untyped-def]
            # the first pass, where the simple rules return their fixes as columns
            columns = []
            for r in rules:
                t0 = time.perf_counter()
                columns += orig_lines([r], text, ctx, out, fixing)
                dt = time.perf_counter() - t0
                self.by_phase[first_pass] += dt
                self.by_rule[first_pass, r.id] += dt
            return columns

        def timed(rules, text, ctx, out, **kw):  # type: ignore[no-untyped-def]
            caller = sys._getframe(1).f_code.co_name
            if caller == "_run_line_rules":  # timed by timed_lines
                orig(rules, text, ctx, out, **kw)
                return
            if caller != "fix":
                phase = "line rules: re-check of changed lines"
            elif kw.get("lines"):
                phase = "line rules: first pass"
            elif rules is self.engine._doc_report:
                phase = "report-only rules (once, at the end)"
            else:
                self.doc_runs += 1
                phase = f"document rules: run {min(self.doc_runs, 3)}{'+' if self.doc_runs >= 3 else ''}"
            for r in rules:
                t0 = time.perf_counter()
                orig([r], text, ctx, out, **kw)
                dt = time.perf_counter() - t0
                self.by_phase[phase] += dt
                self.by_rule[phase, r.id] += dt

        engine_module._run_rules = timed
        engine_module._run_line_rules = timed_lines
        return self

    def __exit__(self, *exc: object) -> None:
        engine_module._run_rules = self._orig
        engine_module._run_line_rules = self._orig_lines


def measure(src: Path, repeat: int) -> tuple[float, dict[str, float], Counter[tuple[str, str]], Counter[int]]:
    files = sorted(src.rglob("*.txt"))
    datas = [f.read_bytes() for f in files]
    mb = sum(map(len, datas)) / 1e6
    cleaner = Cleaner()
    for d in datas[:3]:  # warm-up: the lexicon and the rules' tables load on first use
        cleaner.clean(d.decode("utf-8"))
    best: dict[str, float] = {}
    rules_best: Counter[tuple[str, str]] = Counter()
    passes: Counter[int] = Counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        texts = [decode_bytes(d).text for d in datas]
        t_decode = time.perf_counter() - t0
        timer = _PhaseTimer(cleaner.engine)
        with timer:
            t0 = time.perf_counter()
            results = []
            for f, t in zip(files, texts):
                timer.new_document()
                results.append(cleaner.clean(t, path=str(f)))
            t_engine = time.perf_counter() - t0
        t0 = time.perf_counter()
        for f, r in zip(files, results):
            result_lines(r, str(f))  # as the batch worker writes them
        t_json = time.perf_counter() - t0
        run = {"decode": t_decode, **timer.by_phase,
               "engine outside the rules": t_engine - sum(timer.by_phase.values()),
               "findings.jsonl lines": t_json}
        if not best or sum(run.values()) < sum(best.values()):
            best, rules_best = run, timer.by_rule
            passes = Counter(r.passes for r in results)
    return mb, best, rules_best, passes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5, help="corpus size in MB (default 5)")
    ap.add_argument("--style", choices=["raw", "clean"], default="raw")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rules", type=int, default=0, help="also list the N costliest (phase, rule) pairs")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        generate(Path(d), a.mb, style=a.style)
        mb, best, rules, passes = measure(Path(d), a.repeat)
    total = sum(best.values())
    print(f"corpus {mb:.1f} MB ({a.style}); passes per page: "
          + ", ".join(f"{n}: {c}" for n, c in sorted(passes.items())))
    for name, sec in best.items():
        print(f"  {name:42s} {sec / mb * 1000:7.1f} ms/MB  {100 * sec / total:5.1f}%")
    print(f"  {'total':42s} {total / mb * 1000:7.1f} ms/MB  = {mb / total:.2f} MB/s in one process")
    if a.rules:
        print("costliest rules:")
        for (phase, rid), sec in rules.most_common(a.rules):
            print(f"  {rid:7s} {phase:42s} {sec / mb * 1000:6.1f} ms/MB")


if __name__ == "__main__":
    main()
