"""Benchmark of ``cleaner batch``: MB/s at --jobs 1 and 2, peak memory, reference points.

    .venv/bin/python bench/bench_batch.py --sizes 50 500      # MB of generated corpus

The corpus is generated from the sample dumps: issue folders of ~20 KB pages
made of shuffled sample paragraphs, with defects added (half-width commas,
HTML tags, doubled spaces, page numbers) and about 2% of pages reprinted.
In the same run it measures two reference points on the same files: plain
read + UTF-8 decode (the floor), and ``ftfy.fix_text`` on every document.
Each batch run is a child process; its CPU time (parent and workers) and
the peak RSS of its largest process are taken from ``getrusage``. The
"cleaning stage" figure is the map stage of ``run.json`` (``clean_seconds``:
read, decode, rules, part files), without assembling the outputs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_BYTES = 20_000


def _paragraphs(style: str) -> list[str]:
    """Sample paragraphs as printed (``raw``: nearly every one carries defects,
    mostly half-width commas) or as the default rule set cleans them
    (``clean``: the same text without its defects)."""
    texts = [f.read_text(encoding="utf-8") for f in sorted((ROOT / "samples").glob("*.txt"))]
    if style == "clean":
        from cleaner.api import Cleaner

        c = Cleaner()
        texts = [c.clean(t).text for t in texts]
    elif style != "raw":
        raise ValueError(f"unknown corpus style {style!r}")
    return [p for t in texts for p in t.split("\n") if len(p.strip()) > 10]


_SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）)]*")


def _pools(style: str) -> tuple[list[str], list[str]]:
    """(sentences, title lines) of the sample paragraphs: prose paragraphs are
    cut into sentences; short lines without a full stop serve as titles."""
    sentences, titles = [], []
    for p in _paragraphs(style):
        cut = _SENTENCE.findall(p)
        if cut and "".join(cut) == p:
            sentences += cut
        elif len(p) < 40:
            titles.append(p)
        else:
            sentences += cut
    return sentences, titles


def generate(dest: Path, mb: float, seed: int = 7, style: str = "raw") -> int:
    """Write issue folders of ~20 KB pages totalling ``mb`` MB; return the bytes.

    A page is a run of articles: a title line, then paragraphs of one to four
    sample sentences. Within a page no sentence is used twice (the samples hold
    about 470 sentences, a page about 150), so every paragraph is new text and a
    page repeats itself only where a defect says so. ``style`` picks the
    paragraphs the sentences come from.

    Defects, per paragraph: 10% half-width commas, 5% an HTML tag, 5% doubled
    spaces, 2% a page number line after it, 1% a copy of an earlier paragraph
    of the page, 1% a doubled character; 2% of pages are reprints of an
    earlier page."""
    rnd = random.Random(seed)
    sentences, titles = _pools(style)
    total, issue, page = 0, 0, 0
    pages: list[str] = []
    while total < mb * 1e6:
        if pages and rnd.random() < 0.02:
            text = rnd.choice(pages[-200:])  # a reprint
        else:
            deck = sentences[:]
            rnd.shuffle(deck)
            body: list[str] = []
            size = 0
            while size < PAGE_BYTES and len(deck) > 4:
                body.append(rnd.choice(titles))
                for _ in range(rnd.randint(3, 8)):
                    if len(deck) <= 4:
                        break
                    p = "".join(deck.pop() for _ in range(rnd.randint(1, 4)))
                    r = rnd.random()
                    if r < 0.1:
                        p = p.replace("，", ",", 2)
                    elif r < 0.15:
                        p = f"<b>{p[:20]}</b>{p[20:]}"
                    elif r < 0.2:
                        p = p.replace("。", "。  ", 1)
                    elif r < 0.22:
                        p = p + f"\n\n- {rnd.randint(1, 20)} -"
                    elif r < 0.23 and len(body) > 1:
                        p = rnd.choice(body[1:])
                    elif r < 0.24:
                        i = rnd.randrange(len(p))
                        p = p[: i + 1] + p[i:]
                    body.append(p)
                    size += len(p.encode("utf-8"))
            text = "\n\n".join(body) + "\n"
            pages.append(text)
            if len(pages) > 200:  # reprints come from the last 200 pages; holding every page would
                del pages[0]  # count in the batch's peak RSS (Linux keeps ru_maxrss across fork + exec)
        d = dest / f"issue{issue:04d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"page{page:02d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
        page += 1
        if page == 16:
            issue, page = issue + 1, 0
    return total


def floor(src: Path) -> float:
    t0 = time.perf_counter()
    for f in sorted(src.rglob("*.txt")):
        f.read_bytes().decode("utf-8")
    return time.perf_counter() - t0


def ftfy_time(src: Path) -> float:
    import ftfy

    t0 = time.perf_counter()
    for f in sorted(src.rglob("*.txt")):
        ftfy.fix_text(f.read_bytes().decode("utf-8"))
    return time.perf_counter() - t0


def _burn(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def machine_scaling(n: int = 6_000_000) -> float:
    """Speed-up of 2 processes over 1 on a pure-Python CPU loop, right now.

    On a shared machine this is the ceiling for the 1 -> 2 jobs figure."""
    import multiprocessing as mp

    t0 = time.perf_counter()
    _burn(n)
    _burn(n)
    serial = time.perf_counter() - t0
    with mp.get_context("fork").Pool(2) as pool:
        t0 = time.perf_counter()
        pool.map(_burn, [n, n])
        par = time.perf_counter() - t0
    return serial / par


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def child(argv: list[str]) -> None:
    """Run one batch in this process; print its wall and CPU time (self + workers,
    without the interpreter start and imports, like the wall time) and the peak
    RSS of the largest process (getrusage gives a maximum, not a sum)."""
    from cleaner.cli import main

    c0 = _cpu()
    t0 = time.perf_counter()
    main(argv)
    wall = time.perf_counter() - t0
    cpu = _cpu() - c0
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_rss_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024}))


def batch(src: Path, out: Path, jobs: int, extra: list[str]) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    argv = ["batch", str(src), "-o", str(out), "--jobs", str(jobs), "--quiet", *extra]
    r = subprocess.run([sys.executable, __file__, "--child", json.dumps(argv)], capture_output=True, text=True,
                       check=True)
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res.update(json.loads((out / ".cleaner-batch" / "run.json").read_text()))
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=float, nargs="+", default=[5, 20], help="corpus sizes in MB")
    ap.add_argument("--full", action="store_true", help="also time the full run (near-duplicates and articles)")
    ap.add_argument("--only", help="run just this variant (rules, +neardup, full)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to time (default: 1 2)")
    ap.add_argument("--style", choices=["raw", "clean"], default="raw",
                    help="paragraphs as printed in the samples (raw) or as cleaned (clean); defects are added to both")
    ap.add_argument("--no-reference", action="store_true", help="skip the read+decode and ftfy reference points")
    ap.add_argument("--child")
    a = ap.parse_args()
    if a.child:
        child(json.loads(a.child))
        return
    for mb in a.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            src, out = Path(tmp) / "in", Path(tmp) / "out"
            size = generate(src, mb, style=a.style) / 1e6
            if a.no_reference:
                f_s = x_s = float("nan")
                print(f"corpus {size:.1f} MB ({a.style})")
            else:
                f_s, x_s = floor(src), ftfy_time(src)
                print(f"corpus {size:.1f} MB ({a.style}): read+decode {size / f_s:.1f} MB/s, "
                      f"ftfy.fix_text {size / x_s:.2f} MB/s")
            runs = {}
            variants = [("rules", ["--no-neardup", "--no-articles"]), ("+neardup", ["--no-articles"])]
            if a.full:
                variants.append(("full", []))
            variants = [v for v in variants if a.only is None or v[0] == a.only]
            for name, extra in variants:
                for jobs in a.jobs:
                    r = batch(src, out, jobs, extra)
                    assert r["bytes"] == round(size * 1e6), (r["bytes"], size)  # every unit cleaned, none skipped
                    clean_mbs = size / r["clean_seconds"]  # map stage: read, decode, rules, part files
                    runs[(name, jobs)] = r
                    print(f"  batch {name:9s} jobs={jobs}: {size / r['wall']:.2f} MB/s end to end, "
                          f"{clean_mbs:.2f} MB/s cleaning stage, {size / r['cpu']:.2f} MB per CPU-second, "
                          f"peak RSS {r['peak_rss_mb']:.0f} MB (largest process); cleaning stage = x{clean_mbs / (size / x_s):.2f} "
                          f"ftfy, x{clean_mbs / (size / f_s):.4f} read+decode")
                if (name, 1) not in runs or (name, 2) not in runs:
                    continue
                s1 = runs[(name, 1)]["clean_seconds"] / runs[(name, 2)]["clean_seconds"]
                print(f"  speed-up {name} 1 -> 2 jobs: x{s1:.2f} (load average now {os.getloadavg()[0]:.1f}; "
                      f"a 2-process CPU loop gets x{machine_scaling():.2f} on this machine right now)")


if __name__ == "__main__":
    main()
