"""The facts the `object_keys` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "object_keys"


@dataclass(frozen=True)
class ObjectKey:
    prefix: str  # the key's known leading text ("thumbnails/" of f"thumbnails/{name}")
    exact: bool  # the whole key is known: `prefix` is the key


@dataclass
class ObjectKeys:
    # The S3 object key a call passes (`Key=`, or an S3 transfer's key argument), by the call's
    # pre-order index (as text: cached facts keep string keys), when some of it is known.
    keys: dict[str, ObjectKey] = field(default_factory=dict)
