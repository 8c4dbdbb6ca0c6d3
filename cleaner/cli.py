"""Command line: ``cleaner check | fix | diff | rule | rules``.

Exit codes (DESIGN.md contract): 0 nothing found / nothing left, 1 findings
remain, 2 error (a bad argument, a file that could not be processed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from . import __version__
from .api import Cleaner, FileResult
from .config import ConfigError, load_config
from .files import atomic_write_text, iter_inputs
from .report import print_diff, print_findings, summary_line, write_github, write_json, write_jsonl
from .ruleset import RuleError, builtin_rules_dir, load_rules

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _codes(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out += [c.strip() for c in v.split(",") if c.strip()]
    return out


def _add_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("--select", action="append", help="rule codes or prefixes to use (replaces the default set)")
    p.add_argument("--extend-select", action="append", help="rule codes or prefixes to add")
    p.add_argument("--ignore", action="append", help="rule codes or prefixes to leave out")
    p.add_argument("--config", type=Path, help="configuration file (default: cleaner.toml or pyproject.toml found upwards)")
    p.add_argument("--no-config", action="store_true", help="ignore configuration files")
    p.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    p.add_argument("--no-decisions", action="store_true", help="ignore review decisions (.cleaner-decisions.jsonl)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="cleaner", description="Clean and repair OCR'd newspaper text dumps.")
    ap.add_argument("--version", action="version", version=f"cleaner {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="report defects")
    p.add_argument("paths", nargs="+", help="files or folders ('-' reads standard input)")
    p.add_argument("--format", choices=["text", "json", "jsonl", "github"], default="text")
    _add_selection(p)

    p = sub.add_parser("fix", help="apply fixes")
    p.add_argument("paths", nargs="+", help="files or folders ('-' for standard input to standard output)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--output-dir", "-o", type=Path, help="write cleaned copies here (same relative paths)")
    g.add_argument("--in-place", action="store_true", help="overwrite the inputs")
    p.add_argument("--diff", action="store_true", help="show a diff of the changes; write nothing")
    p.add_argument("--only-accepted", action="store_true",
                   help="apply only the changes accepted in `cleaner review` (undecided ones are left)")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary line")
    _add_selection(p)

    p = sub.add_parser("diff", help="character-level diff of what fix would change")
    p.add_argument("paths", nargs="+")
    p.add_argument("--context", type=int, default=30, help="characters of context on each side")
    p.add_argument("--side-by-side", action="store_true", help="original and cleaned text in two columns")
    p.add_argument("--width", type=int, help="width of the side-by-side view (default: the terminal's)")
    p.add_argument("--stat", action="store_true", help="count the edits per file and rule")
    p.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained HTML report of the diff")
    _add_selection(p)

    p = sub.add_parser("rule", help="show one rule's documentation and examples")
    p.add_argument("code")
    p = sub.add_parser("rules", help="list all rules")
    p.add_argument("--format", choices=["text", "json"], default="text")
    _register_extensions(sub)
    return ap


def _cleaner(args: argparse.Namespace) -> Cleaner:
    cfg = None if args.no_config else load_config(args.config, discover=args.config is None)
    return Cleaner(
        select=_codes(args.select) or None,
        ignore=_codes(args.ignore),
        extend_select=_codes(args.extend_select),
        unsafe_fixes=args.unsafe_fixes,
        config=cfg,
        decisions=not getattr(args, "no_decisions", False),
        only_accepted=getattr(args, "only_accepted", False),
    )


def _process(cleaner: Cleaner, paths: Sequence[str], err: Console) -> list[tuple[FileResult, Path | None]]:
    out: list[tuple[FileResult, Path | None]] = []
    for a in paths:
        if a == "-":
            out.append((cleaner.clean_bytes(sys.stdin.buffer.read(), "-"), None))
            continue
        try:
            for inp in iter_inputs([a]):
                out.append((cleaner.clean_file(inp.path), inp.rel))
        except FileNotFoundError as e:
            out.append((FileResult(path=a, error=str(e)), None))
    for fr, _ in out:
        if fr.error:
            err.print(f"[bold red]error[/]: {fr.path}: {fr.error}", highlight=False)
    return out


def cmd_check(args: argparse.Namespace, out: Console, err: Console) -> int:
    results = [fr for fr, _ in _process(_cleaner(args), args.paths, err)]
    if args.format == "json":
        write_json(results, sys.stdout)
    elif args.format == "jsonl":
        write_jsonl(results, sys.stdout)
    elif args.format == "github":
        write_github(results, sys.stdout)
    else:
        for fr in results:
            print_findings(out, fr)
        out.print(summary_line(results), style="bold")
    if any(r.error for r in results):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.result and r.result.findings for r in results) else EXIT_OK


def cmd_fix(args: argparse.Namespace, out: Console, err: Console) -> int:
    stdin_mode = args.paths == ["-"]
    if not (args.output_dir or args.in_place or args.diff or stdin_mode):
        err.print("[bold red]error[/]: fix needs --output-dir DIR, --in-place, --diff, or '-' (stdin to stdout)")
        return EXIT_ERROR
    processed = _process(_cleaner(args), args.paths, err)
    status = EXIT_OK
    for fr, rel in processed:
        if fr.error:
            status = EXIT_ERROR
            continue
        assert fr.result is not None
        res = fr.result
        if not res.converged:
            err.print(f"[yellow]warning[/]: {fr.path}: fixes did not converge after {res.passes} passes "
                      f"(rules still editing: {', '.join(res.unconverged_rules)})")
        if args.diff:
            print_diff(out, fr.path, res.original, res.text)
        elif fr.path == "-":
            sys.stdout.write(res.text)
        elif args.in_place:
            if res.changed:
                atomic_write_text(Path(fr.path), res.text)
        else:
            assert rel is not None
            atomic_write_text(args.output_dir / rel, res.text)
        if res.remaining and status == EXIT_OK:
            status = EXIT_FINDINGS
    if not args.quiet and not stdin_mode:
        err.print(summary_line([fr for fr, _ in processed], fixed=True), style="bold")
    return status


def cmd_diff(args: argparse.Namespace, out: Console, err: Console) -> int:
    processed = _process(_cleaner(args), args.paths, err)
    if args.side_by_side or args.stat or args.html:
        from .review.command import diff_views

        return diff_views(args, [fr for fr, _ in processed], out, err)
    status = EXIT_OK
    for fr, _ in processed:
        if fr.error:
            status = EXIT_ERROR
            continue
        assert fr.result is not None
        if print_diff(out, fr.path, fr.result.original, fr.result.text, args.context) and status == EXIT_OK:
            status = EXIT_FINDINGS
    return status


def cmd_rule(args: argparse.Namespace, out: Console, err: Console) -> int:
    rules = {r.id: r for r in load_rules([builtin_rules_dir(), *load_config().rule_dirs])}
    rule = rules.get(args.code.upper())
    if rule is None:
        err.print(f"[bold red]error[/]: no rule {args.code!r}; `cleaner rules` lists them")
        return EXIT_ERROR
    md = [
        f"# {rule.id} {rule.name}",
        f"*{rule.summary}*",
        f"- category: `{rule.category}`  kind: `{rule.kind}`  fix: `{rule.fix}`  level: `{rule.level}`",
        "",
        rule.docs.strip(),
        "",
        "## Examples",
    ]
    for ex in rule.examples:
        if ex.output is not None:
            md += ["", "```", ex.input, "```", "becomes", "```", ex.output, "```"]
        elif ex.flags is not None:
            md += ["", "```", ex.input, "```", f"is reported at `{ex.flags}` (not changed)"]
        else:
            md += ["", "```", ex.input, "```", "is left alone"]
        if ex.note:
            md.append(f"_{ex.note}_")
    out.print(Markdown("\n".join(md)))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace, out: Console, err: Console) -> int:
    rules = load_rules([builtin_rules_dir(), *load_config().rule_dirs])
    if args.format == "json":
        import json

        json.dump(
            [{"code": r.id, "name": r.name, "category": r.category, "kind": r.kind, "fix": r.fix,
              "summary": r.summary, "enabled": r.enabled} for r in rules],
            sys.stdout, ensure_ascii=False, indent=2,
        )
        sys.stdout.write("\n")
        return EXIT_OK
    t = Table("code", "name", "category", "fix", "summary")
    for r in rules:
        t.add_row(r.id, r.name, r.category, r.fix, r.summary)
    out.print(t)
    return EXIT_OK


COMMANDS = {"check": cmd_check, "fix": cmd_fix, "diff": cmd_diff, "rule": cmd_rule, "rules": cmd_rules}

# Further subcommands live with their stage. Each module defines
#   register(sub: argparse._SubParsersAction) -> dict[str, Callable[[Namespace, Console, Console], int]]
# which adds its parsers and returns its command functions.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "cleaner.batch.command",
    "cleaner.articles.command",
    "cleaner.review.command",
)


def _register_extensions(sub: argparse._SubParsersAction) -> None:
    import importlib

    for name in SUBCOMMAND_MODULES:
        COMMANDS.update(importlib.import_module(name).register(sub))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        return COMMANDS[args.command](args, out, err)
    except (RuleError, ConfigError) as e:
        err.print(f"[bold red]error[/]: {e}", markup=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
