"""Per-file results cached by content, so unchanged files are never parsed again.

Stored as JSON, never pickle: a repository could ship a crafted `.lambdalint_cache`, and loading
it must not run code. The cache is input like any file: decoding rebuilds only the classes of an
allow-list (the per-file result and the facts inside it), checks every field against its type,
never imports anything a cache entry names, and any entry that is malformed, nested too deep or of
the wrong shape is a miss (the file is analysed again and the entry rewritten).

Templates and Terraform files are not cached as results (their model has back references): the
frontends store each file's parsed document here instead, in their own checked encoding
(`frontends/documents.py`), through `DocumentCache`.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import functools
import hashlib
import importlib
import json
import os
import sqlite3
import stat
import threading
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import lambdalint

CACHE_DIR = ".lambdalint_cache"
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64  # the facts nest a dozen levels; a 100,000-deep entry is not ours


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The version plus the state of the package's sources, so a changed lambdalint (even
    unreleased, in an editable install) never reads results of another build."""
    digest = hashlib.sha256(lambdalint.__version__.encode())
    package = Path(lambdalint.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json"):
            info = path.stat()
            digest.update(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(tool_fingerprint().encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(part if isinstance(part, bytes) else part.encode())
    return digest.hexdigest()


CACHE_FILE = "cache.sqlite3"


class Cache:
    """Per-file results in one SQLite file per project (from the standard library): one open
    per run instead of one file per source, and one file to delete. Entries of other tool
    builds are dropped when this build writes."""

    def __init__(self, root: Path):
        self.top = root / CACHE_DIR
        self.path = self.top / CACHE_FILE
        self._db: sqlite3.Connection | None = None
        self._opened = False

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._db is not None or (self._opened and not create):
            return self._db
        self._opened = True
        try:
            if not os.path.lexists(self.path):
                if not create:
                    return None
                self._ensure_layout()
            if not self._plain():
                return None
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute(
                "CREATE TABLE IF NOT EXISTS entries"
                " (key TEXT PRIMARY KEY, tool TEXT NOT NULL, value TEXT NOT NULL)"
            )
        except (OSError, sqlite3.Error):
            return None  # a read-only checkout or a broken file: just do the work
        self._db = db
        return db

    def get(self, key: str) -> Any | None:
        text = self.get_text(key)
        if text is None:
            return None
        try:
            return loads(text)
        except Exception:  # noqa: BLE001 - malformed: just do the work
            return None

    def readable(self) -> bool:
        return self._connect(create=False) is not None

    def get_text(self, key: str) -> str | None:
        """An entry as stored (parsed documents are decoded by their frontend)."""
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None  # missing or unreadable: just do the work
        if row is None or not isinstance(row[0], str) or len(row[0]) > MAX_ENTRY_BYTES:
            return None
        return row[0]

    def put(self, key: str, value: Any) -> None:
        self.put_many([(key, value)])

    def put_many(
        self, items: list[tuple[str, Any]], encoded: Sequence[tuple[str, str]] = ()
    ) -> None:
        """Values encoded here and entries `encoded` already, written in one transaction."""
        texts = list(encoded)
        for key, value in items:
            try:
                texts.append((key, dumps(value)))
            except (TypeError, ValueError):
                continue  # something not plain in the facts: not cached, still correct
        self.put_texts(texts)

    def put_texts(self, items: list[tuple[str, str]]) -> None:
        """Entries already encoded, written in one transaction."""
        rows = [(key, tool_fingerprint(), text) for key, text in items]
        db = self._connect(create=True) if rows else None
        if db is None:
            return
        try:
            with db:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM entries WHERE tool != ?", (tool_fingerprint(),))
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            return  # locked for too long or read-only: the next run caches instead

    def _plain(self) -> bool:
        """The cache directory and file are no links (out of the project, onto a FIFO that
        would block or a file of someone else's) and the file is a regular one: the cache is
        input a repository can ship."""
        if os.path.islink(self.top) or not os.path.isdir(self.top):
            return False
        if not os.path.lexists(self.path):
            return True  # SQLite creates it, in the directory just checked
        return stat.S_ISREG(os.lstat(self.path).st_mode)

    def _ensure_layout(self) -> None:
        self.top.mkdir(parents=True, exist_ok=True)
        if not (self.top / ".gitignore").exists():
            (self.top / ".gitignore").write_text("# created by lambdalint\n*\n")


class DocumentCache:
    """The frontends' document store (`frontends.documents.Store`) over the project's cache, for
    one piece of work: entries are read from the file; new ones are kept in `fresh`, for the
    process that writes the cache to write with everything else in its one transaction."""

    def __init__(self, cache: Cache):
        self.cache = cache
        self.fresh: list[tuple[str, str]] = []

    def get(self, parts: tuple[str, ...]) -> str | None:
        return self.cache.get_text(cache_key("document", *parts))

    def put(self, parts: tuple[str, ...], entry: str) -> None:
        self.fresh.append((cache_key("document", *parts), entry))


_OPEN: dict[tuple[str, int, int], Cache] = {}


def document_cache(root: str) -> DocumentCache:
    """A store over the cache of `root`, its connection opened once per process and thread (a
    connection must not cross into a forked worker, nor into another thread: each run has a
    thread of its own, and sqlite3 refuses a connection of another thread, which read as a
    miss for every document of the next run; hence the process and thread in the key)."""
    key = (root, os.getpid(), threading.get_ident())
    cache = _OPEN.get(key)
    if cache is None:
        for other in [k for k in _OPEN if k[:2] == key[:2]]:
            del _OPEN[other]  # a finished run's thread: its connection serves no one now
        cache = Cache(Path(root))
        if cache.readable():  # else open again next time: this run may be creating it
            _OPEN[key] = cache
    return DocumentCache(cache)


def dumps(value: Any) -> str:
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text: str) -> Any:
    """`decode(json.loads(text))`: parsed by the C parser, then rebuilt by the checked walk
    (allow-listed classes, field types, depth), which needs each value's depth and place."""
    return decode(json.loads(text))


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"~d": _qualname(value), "f": fields}
    if isinstance(value, enum.Enum):
        return {"~e": _qualname(value), "v": value.value}
    if isinstance(value, tuple):
        return {"~t": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"~s": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"~m": [[k, encode(v)] for k, v in value.items()]}
        # Facts index some tables by call number (`record_args`); JSON keys are strings only.
        return {"~k": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, Path):
        return {"~p": str(value)}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def decode(value: Any, depth: int = 0) -> Any:
    """The value an `encode` made, built only from allow-listed classes; TypeError otherwise."""
    if depth > MAX_DEPTH:
        raise TypeError("cache entry nested too deeply")
    depth += 1
    if isinstance(value, list):
        return [decode(v, depth) for v in value]
    if not isinstance(value, dict):
        return value
    if "~d" in value:
        cls = _allowed(value["~d"], dataclass_wanted=True)
        fields = value["f"]
        if not isinstance(fields, dict):
            raise TypeError("malformed cache entry")
        built = cls(**{k: decode(v, depth) for k, v in fields.items()})
        _check_fields(built)
        return built
    if "~e" in value:
        return _allowed(value["~e"], dataclass_wanted=False)(value["v"])
    if "~t" in value:
        return tuple(decode(v, depth) for v in _list(value["~t"]))
    if "~s" in value:
        return {decode(v, depth) for v in _list(value["~s"])}
    if "~m" in value:
        pairs = [_list(pair) for pair in _list(value["~m"])]
        if any(len(pair) != 2 or not isinstance(pair[0], str) for pair in pairs):
            raise TypeError("malformed cache entry")
        return {k: decode(v, depth) for k, v in pairs}
    if "~k" in value:
        pairs = [_list(pair) for pair in _list(value["~k"])]
        if any(len(pair) != 2 for pair in pairs):
            raise TypeError("malformed cache entry")
        return {decode(k, depth): decode(v, depth) for k, v in pairs}
    if "~p" in value:
        if not isinstance(value["~p"], str):
            raise TypeError("malformed cache entry")
        return Path(value["~p"])
    raise TypeError("unknown cache entry")


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError("malformed cache entry")
    return value


def _qualname(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}:{cls.__qualname__}"


# The modules whose classes a cache entry may hold. Fixed here, never read from an entry.
CACHED_MODULES = (
    "lambdalint.core.span",
    "lambdalint.core.finding",
    "lambdalint.core.directive",
    "lambdalint.sources",
    "lambdalint.engine.work",
    "lambdalint.engine.fix_request",  # a whole run's result, fixes shown
    "lambdalint.engine.located",
    "lambdalint.frontends.python.facts",
    "lambdalint.frontends.python.outline",
)
STRUCTURE_PACKAGE = "lambdalint.frontends.python.structure_facts"


@functools.lru_cache(maxsize=1)
def allowed_classes() -> dict[str, type]:
    """Name -> class for every dataclass and enum of the cached modules."""
    import pkgutil

    names = list(CACHED_MODULES)
    package = importlib.import_module(STRUCTURE_PACKAGE)
    names += [f"{STRUCTURE_PACKAGE}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    table: dict[str, type] = {}
    for name in names:
        for value in vars(importlib.import_module(name)).values():
            if (
                isinstance(value, type)
                and value.__module__ == name
                and (dataclasses.is_dataclass(value) or issubclass(value, enum.Enum))
            ):
                table[f"{name}:{value.__qualname__}"] = value
    return table


def _allowed(name: Any, dataclass_wanted: bool) -> type:
    cls = allowed_classes().get(name) if isinstance(name, str) else None
    if cls is None or dataclasses.is_dataclass(cls) != dataclass_wanted:
        raise TypeError(f"not a class the cache holds: {name!r}")
    return cls


def _check_fields(built: Any) -> None:
    """Every field of a rebuilt dataclass holds what its annotation says (one level deep: the
    values inside were checked when they were rebuilt)."""
    for name, fits in _field_checks(type(built)):
        if not fits(getattr(built, name)):
            raise TypeError(f"cache entry: {type(built).__name__}.{name} has the wrong type")


Check = Callable[[Any], bool]


@functools.cache
def _field_checks(cls: type) -> tuple[tuple[str, Check], ...]:
    """Each field's check, made once per class: reading the annotations again for every value
    rebuilt was most of a warm run's decoding time."""
    names = {f.name for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    return tuple((name, _check_for(hint)) for name, hint in hints.items() if name in names)


def _anything(value: Any) -> bool:
    return True


def _check_for(hint: Any) -> Check:
    """A function telling whether a value fits `hint`."""
    if hint is Any or hint is object:
        return _anything
    origin = typing.get_origin(hint)
    arguments = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = tuple(_check_for(option) for option in arguments)
        return lambda value: any(fits(value) for fits in options)
    if hint is None or hint is type(None):
        return lambda value: value is None
    if origin is None:
        if hint is float:
            return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
        if not isinstance(hint, type):
            return _anything
        return lambda value: isinstance(value, hint)
    if origin in (list, collections.abc.Sequence):
        item = _check_for(arguments[0])
        return lambda value: isinstance(value, list) and all(map(item, value))
    if origin in (set, frozenset, collections.abc.Set):
        item = _check_for(arguments[0])
        return lambda value: isinstance(value, (set, frozenset)) and all(map(item, value))
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            item = _check_for(arguments[0])
            return lambda value: isinstance(value, tuple) and all(map(item, value))
        items = tuple(_check_for(argument) for argument in arguments)
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(items)
            and all(fits(v) for fits, v in zip(items, value, strict=True))
        )
    if origin in (dict, collections.abc.Mapping):
        key, item = _check_for(arguments[0]), _check_for(arguments[1])
        return lambda value: (
            isinstance(value, dict) and all(key(k) and item(v) for k, v in value.items())
        )
    return _anything  # a form this check does not know: the value was built from allowed parts
