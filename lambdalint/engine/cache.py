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
import os
import tempfile
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


class Cache:
    def __init__(self, root: Path):
        self.directory = root / CACHE_DIR / tool_fingerprint()

    def get(self, key: str) -> Any | None:
        try:
            text = (self.directory / key[:2] / f"{key}.json").read_text(encoding="utf-8")
            return decode(json.loads(text))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None  # missing or unreadable: just do the work

    def put(self, key: str, value: Any) -> None:
        try:
            payload = json.dumps(encode(value), separators=(",", ":"))
        except (TypeError, ValueError):
            return  # something not plain in the facts: not cached, still correct
        target = self.directory / key[:2] / f"{key}.json"
        try:
            self._ensure_layout(target.parent)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
            ) as handle:
                handle.write(payload)
            os.replace(handle.name, target)
        except OSError:
            return  # a read-only checkout still gets linted

    def _ensure_layout(self, directory: Path) -> None:
        top = self.directory.parent
        if not (top / ".gitignore").exists():
            top.mkdir(parents=True, exist_ok=True)
            (top / ".gitignore").write_text("# created by lambdalint\n*\n")
        directory.mkdir(parents=True, exist_ok=True)


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
            return {"~m": {k: encode(v) for k, v in value.items()}}
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
        return {k: decode(v) for k, v in value["~m"].items()}
    if "~k" in value:
        return {decode(k): decode(v) for k, v in value["~k"]}
    if "~p" in value:
        return Path(value["~p"])
    raise TypeError("unknown cache entry")


def _qualname(value: Any) -> str:
    cls = type(value)
    return f"{cls.__module__}:{cls.__qualname__}"


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
