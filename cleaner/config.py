"""Configuration: ``[tool.cleaner]`` in pyproject.toml or a ``cleaner.toml``.

Looked up from the working directory upwards; the first file that has a
cleaner section wins. Keys (kebab or snake case)::

    select = ["PB", "RW001"]      # replaces the default rule set
    extend-select = ["SC"]        # adds to it
    ignore = ["FG"]               # removes
    rule-dirs = ["my_rules"]      # extra rule folders, relative to the file
    unsafe-fixes = false
    max-passes = 10
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rule_dirs: list[Path] = field(default_factory=list)
    unsafe_fixes: bool = False
    max_passes: int = 10
    source: Path | None = None


_KEYS = {"select", "extend_select", "ignore", "rule_dirs", "unsafe_fixes", "max_passes"}


def find_config(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for d in [here, *here.parents]:
        c = d / "cleaner.toml"
        if c.is_file():
            return c
        p = d / "pyproject.toml"
        if p.is_file():
            try:
                data = tomllib.loads(p.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "cleaner" in data.get("tool", {}):
                return p
    return None


def load_config(path: Path | None = None, *, discover: bool = True) -> Config:
    if path is None and discover:
        path = find_config()
    if path is None:
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read configuration: {e}") from None
    section: dict[str, Any] = data.get("tool", {}).get("cleaner", {}) if path.name == "pyproject.toml" else data
    cfg = Config(source=path)
    for raw_key, value in section.items():
        key = raw_key.replace("-", "_")
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown key {raw_key!r} (known: {', '.join(sorted(_KEYS))})")
        if key in ("select", "extend_select", "ignore"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: {raw_key} must be a list of rule codes")
            setattr(cfg, key, list(value))
        elif key == "rule_dirs":
            if not isinstance(value, list):
                raise ConfigError(f"{path}: rule-dirs must be a list of folders")
            cfg.rule_dirs = [(path.parent / v).resolve() for v in value]
        elif key == "unsafe_fixes":
            cfg.unsafe_fixes = bool(value)
        elif key == "max_passes":
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"{path}: max-passes must be a positive integer")
            cfg.max_passes = value
    return cfg
