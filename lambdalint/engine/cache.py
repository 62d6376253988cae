"""Per-file results cached by content, so unchanged files are never parsed again.

Stored as JSON, never pickle: a repository could ship a crafted `.lambdalint_cache`, and loading
it must not run code. Decoding rebuilds only lambdalint's own dataclasses and enums.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import importlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import lambdalint

CACHE_DIR = ".lambdalint_cache"


@functools.lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The version plus the state of the package's sources, so a changed lambdalint (even
    unreleased, in an editable install) never reads results of another build."""
    digest = hashlib.sha256(lambdalint.__version__.encode())
    package = Path(lambdalint.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".json"):
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
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
            if not self.path.exists():
                if not create:
                    return None
                self._ensure_layout()
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
        db = self._connect(create=False)
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return loads(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError):
            return None  # missing or unreadable: just do the work

    def put(self, key: str, value: Any) -> None:
        self.put_many([(key, value)])

    def put_many(self, items: list[tuple[str, Any]]) -> None:
        rows = []
        for key, value in items:
            try:
                rows.append((key, tool_fingerprint(), dumps(value)))
            except (TypeError, ValueError):
                continue  # something not plain in the facts: not cached, still correct
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

    def _ensure_layout(self) -> None:
        self.top.mkdir(parents=True, exist_ok=True)
        if not (self.top / ".gitignore").exists():
            (self.top / ".gitignore").write_text("# created by lambdalint\n*\n")


def dumps(value: Any) -> str:
    return json.dumps(encode(value), separators=(",", ":"))


def loads(text: str) -> Any:
    """`decode(json.loads(text))` in one pass: the JSON parser hands each object to the hook as
    it completes, so no second walk over the whole tree in Python."""
    return json.loads(text, object_hook=_decode_object)


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


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "~d" in value:
        cls = _our_class(value["~d"])
        if not dataclasses.is_dataclass(cls):
            raise TypeError(value["~d"])
        return cls(**{k: decode(v) for k, v in value["f"].items()})
    if "~e" in value:
        cls = _our_class(value["~e"])
        if not issubclass(cls, enum.Enum):
            raise TypeError(value["~e"])
        return cls(value["v"])
    if "~t" in value:
        return tuple(decode(v) for v in value["~t"])
    if "~s" in value:
        return {decode(v) for v in value["~s"]}
    if "~m" in value:
        return {k: decode(v) for k, v in value["~m"]}
    if "~k" in value:
        return {decode(k): decode(v) for k, v in value["~k"]}
    if "~p" in value:
        return Path(value["~p"])
    raise TypeError("unknown cache entry")


def _decode_object(value: dict) -> Any:
    """One JSON object, its members already decoded: the tagged forms `encode` writes, and
    plain objects (a dataclass's fields) as they are."""
    if "~d" in value:
        cls = _our_class(value["~d"])
        if not dataclasses.is_dataclass(cls):
            raise TypeError(value["~d"])
        return cls(**value["f"])
    if "~e" in value:
        cls = _our_class(value["~e"])
        if not issubclass(cls, enum.Enum):
            raise TypeError(value["~e"])
        return cls(value["v"])
    if "~t" in value:
        return tuple(value["~t"])
    if "~s" in value:
        return set(value["~s"])
    if "~m" in value:
        return dict(value["~m"])
    if "~k" in value:
        return {(tuple(k) if isinstance(k, list) else k): v for k, v in value["~k"]}
    if "~p" in value:
        return Path(value["~p"])
    return value


def _qualname(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}:{cls.__qualname__}"


@functools.lru_cache(maxsize=1024)
def _our_class(name: str) -> type:
    module_name, _, qualname = name.partition(":")
    if not (module_name == "lambdalint" or module_name.startswith("lambdalint.")):
        raise TypeError(f"refusing to rebuild {name}")
    target: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    if not isinstance(target, type):
        raise TypeError(name)
    return target
