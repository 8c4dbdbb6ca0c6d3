"""Peak memory of the ``cleaner batch`` parent against the number of input files.

    .venv/bin/python bench/bench_memory.py --files 20000 200000
    .venv/bin/python bench/bench_memory.py --files 20000 100000 --code /tmp/memhead   # another checkout
    .venv/bin/python bench/bench_memory.py --files 20000 200000 --flat   # every file in one folder

Generates N tiny files (folders of :data:`PER_FOLDER`, a short line of text
each, from 97 variants so that the memos of the rules fill at once and the
per-unit bookkeeping shows; with ``--flat`` all in one folder, which is what
the listing of a folder tree must hold in bounded memory),
runs ``python -m cleaner batch IN -o OUT --no-articles --no-neardup --jobs 1
--quiet`` as a child (with ``--jobs 1`` the parent is the only process) and
reports its peak RSS from ``os.wait4`` (that child's own rusage: the figure
does not mix runs), the wall time, and KB per file: the peak divided by N,
and the growth between two sizes divided by the files added, which is the
bookkeeping per unit (the rule set, ~130 MB, is the same at every size).
``--code DIR`` runs the cleaner of another checkout (``PYTHONPATH=DIR``, run
from DIR), so that two versions can be compared on the same files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_FOLDER = 1000


def generate(dest: Path, n: int, flat: bool = False) -> None:
    """``n`` files of one short line each, :data:`PER_FOLDER` to a folder, or all in ``dest``
    when ``flat`` (streamed: the bench holds no list, since a child's peak RSS starts from
    its parent's at the fork)."""
    if flat:
        dest.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if flat:
            d, name = dest, f"p{i:07d}.txt"
        else:
            d, name = dest / f"f{i // PER_FOLDER:05d}", f"p{i % PER_FOLDER:04d}.txt"
            if i % PER_FOLDER == 0:
                d.mkdir(parents=True, exist_ok=True)
        (d / name).write_text(f"第{i % 97}号 记录,内容很短。\n", encoding="utf-8")


def run(src: Path, out: Path, code: Path) -> tuple[float, int]:
    """(seconds, peak RSS in KB) of one batch run in a child process."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(code))
    cmd = [sys.executable, "-m", "cleaner", "batch", str(src), "-o", str(out), "--no-articles", "--no-neardup",
           "--jobs", "1", "--quiet"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss  # KB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, nargs="+", default=[20_000, 200_000], help="file counts")
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose cleaner to run (default: this one)")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the generated files (default: a temp dir)")
    ap.add_argument("--flat", action="store_true", help="put every file in one folder")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=a.tmp) as tmp:
        results: list[tuple[int, float, int]] = []
        for n in sorted(a.files):
            src, out = Path(tmp) / f"in{n}", Path(tmp) / f"out{n}"
            generate(src, n, a.flat)
            seconds, rss = run(src, out, a.code.resolve())
            results.append((n, seconds, rss))
            line = f"{n:>9,} files: {seconds:7.1f} s, parent peak RSS {rss / 1024:7.1f} MB ({rss / n:.3f} KB/file)"
            if len(results) > 1:
                n0, _, rss0 = results[0]
                line += f", growth since {n0:,} files {(rss - rss0) / (n - n0):+.3f} KB/file"
            print(line, flush=True)
            shutil.rmtree(src)
            shutil.rmtree(out)


if __name__ == "__main__":
    main()
