"""Settings: where the configuration lives, what it says, and which rules run on which file."""

from __future__ import annotations

import datetime
import fnmatch
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambdalint.core.finding import Severity
from lambdalint.core.rule import DEFAULT_HELP_BASE, all_rules, expand_selector

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("lambdalint.toml", "pyproject.toml")
DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024

# Larger files are not worth analysing, and a bigger limit would let one file exhaust memory.
MAX_FILE_SIZE_LIMIT = 1 << 30
# More worker processes than this only adds start-up time and memory.
MAX_JOBS = 256


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
    help_url_base: str = DEFAULT_HELP_BASE  # where rule pages are published (help URLs)
    cache: bool = True  # reuse per-file results from .lambdalint_cache (--no-cache turns it off)
    jobs: int | None = None  # worker processes for per-file work; None: one per core (up to 8)
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
            if _has_our_table(text):
                return candidate
    return None


def _has_our_table(text: str) -> bool:
    """Whether a pyproject.toml configures lambdalint: a `[tool.lambdalint]` header, or the
    table written another way (`[tool]` with `lambdalint = {...}`), or a wrong value there, which
    must then be reported rather than passed over."""
    if re.search(r"^\s*\[tool\.lambdalint", text, re.MULTILINE):
        return True
    if "lambdalint" not in text:
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    return isinstance(tool, dict) and "lambdalint" in tool


def load_settings(
    paths: list[Path], config: Path | None = None, isolated: bool = False
) -> Settings:
    """Settings for a run over `paths`: an explicit file, the nearest one, or the defaults."""
    if isolated:
        return Settings(root=Path.cwd())
    if config is None:
        config = find_config(Path(os.path.realpath(paths[0] if paths else Path.cwd())))
    if config is None:
        return Settings(root=Path.cwd())
    return read_config(config)


def read_config(path: Path) -> Settings:
    """Settings from one configuration file; a ConfigError naming file, line and key for
    anything it cannot use (never a traceback)."""
    text = _read_text(path)
    document = _parse_toml(text, path)
    table, prefix = document, ""
    if path.name == "pyproject.toml":
        prefix = "tool.lambdalint."
        tool = document.get("tool", {})
        if not isinstance(tool, dict):
            raise _Table({}, path, text, "").fail("tool", "expected a table")
        table = tool.get("lambdalint", {})
        if not isinstance(table, dict):
            raise _Table({}, path, text, "tool.").fail("lambdalint", "expected a table")
    return _settings_from_table(table, path, text, prefix)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration: {exc}", path) from None


def _parse_toml(text: str, path: Path) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        raise ConfigError(f"invalid TOML: {exc}", path, line) from None
    except RecursionError:
        # The TOML parser recurses per nesting level: hundreds of nested arrays exhaust it.
        raise ConfigError("invalid TOML: nested too deeply", path) from None


class _Table:
    """One configuration table being read: its values, and how to name a key in an error (the
    file, the key's line where the text shows it, the key's full path)."""

    def __init__(self, table: dict, path: Path, text: str, prefix: str):
        self.table, self.path, self.text, self.prefix = table, path, text, prefix

    def fail(self, key: str, message: str) -> ConfigError:
        line = None
        for part in reversed(key.split(".")):
            line = line or _line_of_key(self.text, part)
        return ConfigError(f"{self.prefix}{key}: {message}", self.path, line)

    def get(self, key: str, default: Any = None) -> Any:
        return self.table.get(key, default)

    def rules(self, key: str, value: Any = None) -> list[str]:
        """A list of rule selectors (a single string is a list of one)."""
        value = self.table.get(key, []) if value is None else value
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of rule ids, names or prefixes")
        for selector in value:
            if not expand_selector(selector):
                raise self.fail(key, f"unknown rule {selector!r}")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "expected a list of strings")
        return value

    def subtable(self, key: str, expected: str) -> dict:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table of {expected}")
        return value


def _settings_from_table(table: dict, path: Path, text: str, prefix: str) -> Settings:
    reader = _Table(table, path, text, prefix)
    unknown = sorted(set(table) - set(KEY_READERS))
    if unknown:
        known = ", ".join(sorted(KEY_READERS))
        raise reader.fail(unknown[0], f"unknown key (known keys: {known})")
    settings = Settings(root=path.parent.resolve(), config_path=path)
    for key, read in KEY_READERS.items():
        if key in table:
            read(reader, settings)
    return settings


def _select(reader: _Table, settings: Settings) -> None:
    settings.select = reader.rules("select")


def _extend_select(reader: _Table, settings: Settings) -> None:
    settings.extend_select = reader.rules("extend-select")


def _ignore(reader: _Table, settings: Settings) -> None:
    settings.ignore = reader.rules("ignore")


def _exclude(reader: _Table, settings: Settings) -> None:
    settings.exclude += reader.strings("exclude")


def _extend_exclude(reader: _Table, settings: Settings) -> None:
    settings.exclude += reader.strings("extend-exclude")


def _src(reader: _Table, settings: Settings) -> None:
    settings.src = reader.strings("src")


def _handlers(reader: _Table, settings: Settings) -> None:
    settings.handlers = reader.strings("handlers")
    for handler in settings.handlers:
        if ":" not in handler:
            raise reader.fail(
                "handlers", f"{handler!r} is not of the form path/to/module.py:function"
            )


def _per_file_ignores(reader: _Table, settings: Settings) -> None:
    for pattern, selectors in reader.subtable("per-file-ignores", "glob = [rules]").items():
        key = f"per-file-ignores.{pattern}"
        settings.per_file_ignores[pattern] = list(reader.rules(key, selectors))


def _severity(reader: _Table, settings: Settings) -> None:
    levels = reader.subtable("severity", 'rule = "error" | "warning" | "info"')
    for selector, level in levels.items():
        ids = expand_selector(selector)
        if not ids:
            raise reader.fail("severity", f"unknown rule {selector!r}")
        if not isinstance(level, str):
            raise reader.fail(
                f"severity.{selector}", f'expected "error", "warning" or "info", got {level!r}'
            )
        try:
            severity = Severity.parse(level)
        except ValueError as exc:
            raise reader.fail(f"severity.{selector}", str(exc)) from None
        for rule_id in ids:
            settings.severity[rule_id] = severity


def _max_file_size(reader: _Table, settings: Settings) -> None:
    size = reader.get("max-file-size")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= MAX_FILE_SIZE_LIMIT:
        raise reader.fail(
            "max-file-size",
            f"expected a whole number of bytes from 1 to {MAX_FILE_SIZE_LIMIT}, got {size!r}",
        )
    settings.max_file_size = size


def _jobs(reader: _Table, settings: Settings) -> None:
    jobs = reader.get("jobs")
    if not isinstance(jobs, int) or isinstance(jobs, bool) or not 1 <= jobs <= MAX_JOBS:
        raise reader.fail("jobs", f"expected a whole number from 1 to {MAX_JOBS}, got {jobs!r}")
    settings.jobs = jobs


def _as_of(reader: _Table, settings: Settings) -> None:
    settings.as_of = _date(reader.get("as-of"), lambda message: reader.fail("as-of", message))


def _help_url_base(reader: _Table, settings: Settings) -> None:
    base = reader.get("help-url-base")
    if not isinstance(base, str) or not re.match(r"https?://[^\s/]+", base):
        raise reader.fail("help-url-base", f"expected an http(s) URL, got {base!r}")
    settings.help_url_base = base


def _options(reader: _Table, settings: Settings) -> None:
    rules = all_rules()
    for selector, values in reader.subtable("options", "rule = { option = value }").items():
        ids = expand_selector(selector)
        if len(ids) != 1 or not isinstance(values, dict):
            raise reader.fail("options", f"{selector!r}: expected one rule and a table of options")
        (rule_id,) = ids
        declared = {option.name: option for option in rules[rule_id].meta.options}
        for name, value in values.items():
            key = f"options.{selector}.{name}"
            if name not in declared:
                known = ", ".join(sorted(declared)) or "none"
                raise reader.fail(key, f"{rule_id} has no option {name!r} (its options: {known})")
            problem = declared[name].problem(value)
            if problem is not None:
                raise reader.fail(key, problem)
        settings.options[rule_id] = dict(values)


# Every key of the configuration, with the function that reads it.
KEY_READERS: dict[str, Callable[[_Table, Settings], None]] = {
    "select": _select,
    "extend-select": _extend_select,
    "ignore": _ignore,
    "per-file-ignores": _per_file_ignores,
    "exclude": _exclude,
    "extend-exclude": _extend_exclude,
    "severity": _severity,
    "handlers": _handlers,
    "src": _src,
    "max-file-size": _max_file_size,
    "jobs": _jobs,
    "as-of": _as_of,
    "help-url-base": _help_url_base,
    "options": _options,
}


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
    pattern = re.compile(
        rf"^\s*([\"']?){re.escape(key)}\1\s*=|^\s*\[[^\]]*\b{re.escape(key)}\b|[{{,]\s*{re.escape(key)}\s*="
    )
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def _line_from_message(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
