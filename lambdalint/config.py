"""Settings: where the configuration lives, what it says, and which rules run on which file."""

from __future__ import annotations

import datetime
import fnmatch
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambdalint.core.finding import Severity
from lambdalint.core.rule import all_rules, expand_selector

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("lambdalint.toml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024

KNOWN_KEYS = {
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "severity",
    "handlers",
    "src",
    "max-file-size",
    "options",
    "as-of",
}


class ConfigError(Exception):
    """A configuration the user must fix: reported with file and line, exit code 2."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)


@dataclass
class Settings:
    root: Path
    config_path: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    handlers: list[str] = field(default_factory=list)
    src: list[str] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    as_of: datetime.date | None = None  # the date date-dependent rules (LL204) evaluate at
    cache: bool = True  # reuse per-file results from .lambdalint_cache (--no-cache turns it off)
    # When files are named (pre-commit, editors), the rest of the project is read too so that
    # handler paths and templates that reach them are known; findings are reported for the
    # named files only.
    project_context: bool = True

    def enabled_rules(self) -> set[str]:
        """The rule ids that run anywhere, resolved once per run."""
        rules = all_rules()
        if self.select is None:
            enabled = {rule_id for rule_id, cls in rules.items() if cls.meta.default}
        else:
            enabled = (
                set().union(*(expand_selector(s) for s in self.select)) if self.select else set()
            )
        for selector in self.extend_select:
            enabled |= expand_selector(selector)
        for selector in self.ignore:
            enabled -= expand_selector(selector)
        return enabled

    def ignored_for(self, relpath: str) -> set[str]:
        """Rule ids that per-file-ignores turn off for a root-relative POSIX path."""
        ignored: set[str] = set()
        for pattern, selectors in self.per_file_ignores.items():
            if path_matches(relpath, pattern):
                for selector in selectors:
                    ignored |= expand_selector(selector)
        return ignored


def path_matches(relpath: str, pattern: str) -> bool:
    """Glob match on a root-relative path; a pattern without `/` also matches the file name."""
    pattern = pattern.strip().removeprefix("./")
    if fnmatch.fnmatch(relpath, pattern) or fnmatch.fnmatch(relpath, pattern.rstrip("/") + "/*"):
        return True
    if "/" not in pattern.rstrip("/"):
        return any(fnmatch.fnmatch(part, pattern.rstrip("/")) for part in relpath.split("/"))
    return False


def find_config(start: Path) -> Path | None:
    """The nearest lambdalint.toml, or pyproject.toml with [tool.lambdalint], from start upwards."""
    directory = start if start.is_dir() else start.parent
    for candidate_dir in [directory, *directory.parents]:
        for name in CONFIG_FILES:
            candidate = candidate_dir / name
            if not candidate.is_file():
                continue
            if name == "lambdalint.toml":
                return candidate
            try:
                text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if re.search(r"^\s*\[tool\.lambdalint", text, re.MULTILINE):
                return candidate
    return None


def load_settings(
    paths: list[Path], config: Path | None = None, isolated: bool = False
) -> Settings:
    """Settings for a run over `paths`: an explicit file, the nearest one, or the defaults."""
    if isolated:
        return Settings(root=Path.cwd())
    if config is None:
        config = find_config((paths[0] if paths else Path.cwd()).resolve())
    if config is None:
        return Settings(root=Path.cwd())
    return read_config(config)


def read_config(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration: {exc}", path) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ConfigError(f"invalid TOML: {exc}", path, line) from None
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("lambdalint", {})
        prefix = "tool.lambdalint."
    else:
        table = document
        prefix = ""
    return _settings_from_table(table, path, text, prefix)


def _settings_from_table(table: dict, path: Path, text: str, prefix: str) -> Settings:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{prefix}{key}: {message}", path, _line_of_key(text, key))

    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        known = ", ".join(sorted(KNOWN_KEYS))
        raise fail(unknown[0], f"unknown key (known keys: {known})")

    settings = Settings(root=path.parent.resolve(), config_path=path)

    def rule_list(key: str) -> list[str]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "expected a list of rule ids, names or prefixes")
        for selector in value:
            if not expand_selector(selector):
                raise fail(key, f"unknown rule {selector!r}")
        return value

    def string_list(key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "expected a list of strings")
        return value

    if "select" in table:
        settings.select = rule_list("select")
    settings.extend_select = rule_list("extend-select")
    settings.ignore = rule_list("ignore")
    settings.exclude = string_list("exclude") + string_list("extend-exclude")
    settings.src = string_list("src")
    settings.handlers = string_list("handlers")
    for handler in settings.handlers:
        if ":" not in handler:
            raise fail("handlers", f"{handler!r} is not of the form path/to/module.py:function")

    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise fail("per-file-ignores", "expected a table of glob = [rules]")
    for pattern, selectors in per_file.items():
        if isinstance(selectors, str):
            selectors = [selectors]
        if not isinstance(selectors, list):
            raise fail("per-file-ignores", f"{pattern!r}: expected a list of rules")
        for selector in selectors:
            if not expand_selector(selector):
                raise fail("per-file-ignores", f"{pattern!r}: unknown rule {selector!r}")
        settings.per_file_ignores[pattern] = list(selectors)

    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise fail("severity", 'expected a table of rule = "error" | "warning" | "info"')
    for selector, level in severities.items():
        ids = expand_selector(selector)
        if not ids:
            raise fail("severity", f"unknown rule {selector!r}")
        try:
            severity = Severity.parse(str(level))
        except ValueError as exc:
            raise fail("severity", str(exc)) from None
        for rule_id in ids:
            settings.severity[rule_id] = severity

    size = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise fail("max-file-size", "expected a positive number of bytes")
    settings.max_file_size = size

    if "as-of" in table:
        settings.as_of = _date(table["as-of"], lambda message: fail("as-of", message))

    options = table.get("options", {})
    if not isinstance(options, dict):
        raise fail("options", "expected a table of rule = { option = value }")
    rules = all_rules()
    for selector, values in options.items():
        ids = expand_selector(selector)
        if len(ids) != 1 or not isinstance(values, dict):
            raise fail("options", f"{selector!r}: expected one rule and a table of options")
        (rule_id,) = ids
        known = rules[rule_id].meta.options
        for name in values:
            if name not in known:
                raise fail("options", f"{rule_id} has no option {name!r}")
        settings.options[rule_id] = dict(values)
    return settings


def _date(value: Any, fail) -> datetime.date:
    """A TOML date (`as-of = 2026-01-01`) or the same written as a string."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise fail("expected a date, YYYY-MM-DD")


def _line_of_key(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(\"?){re.escape(key)}\1\s*=|^\s*\[[^\]]*\b{re.escape(key)}\b")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
