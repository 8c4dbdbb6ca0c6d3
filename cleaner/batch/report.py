"""The batch report: ``report.json`` (deterministic) and rich tables.

``report.json`` holds only figures that depend on the input and the rule set,
so an interrupted-and-resumed run writes the same file as an uninterrupted
one; timings and throughput (which do not) are printed and saved apart in
``.cleaner-batch/run.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..files import atomic_write_text


def write_report(out_dir: Path, report: dict[str, Any]) -> None:
    atomic_write_text(out_dir / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def print_report(con: Console, report: dict[str, Any], run: dict[str, Any]) -> None:
    t = Table(title="batch", show_header=False)
    t.add_row("documents", f"{report['documents']:,} ({report['ok']:,} ok, {len(report['errors']):,} errors)")
    t.add_row("input", f"{report['bytes_in'] / 1e6:,.2f} MB → {report['chars_out']:,} characters")
    t.add_row("encodings", ", ".join(f"{k} {v:,}" for k, v in report["encodings"].items()) or "-")
    nd = report.get("near_duplicates") or {}
    if nd.get("enabled"):
        t.add_row("near-duplicates", f"{nd['document_clusters']:,} document clusters, "
                  f"{nd['paragraph_clusters']:,} paragraph clusters"
                  + (f"; removed {nd['documents_removed']:,} documents, {nd['paragraphs_removed']:,} paragraphs"
                     if nd.get("dedup") else ""))
    if report.get("articles") is not None:
        t.add_row("articles", f"{report['articles']:,}")
    t.add_row("time", f"{run['seconds']:.2f} s ({run['units_done']:,} units cleaned, "
              f"{run['units_skipped']:,} skipped by --resume)")
    t.add_row("throughput", f"{run['mb_per_s']:.2f} MB/s with {run['jobs']} job(s), engine {run['engine']}")
    con.print(t)
    if report["rules"]:
        r = Table("rule", "findings", "fixes", title="per rule")
        for code, v in report["rules"].items():
            r.add_row(code, f"{v['findings']:,}", f"{v['fixes']:,}")
        con.print(r)
    if report["errors"]:
        e = Table("path", "error", title="errors")
        for x in report["errors"][:50]:
            e.add_row(x["path"], x["error"])
        if len(report["errors"]) > 50:
            e.add_row("…", f"{len(report['errors']) - 50} more in report.json")
        con.print(e)
