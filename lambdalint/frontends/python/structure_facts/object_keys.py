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
    # The DynamoDB item key attributes a call writes (`Item=` or `Key=` spelled as a dict), by
    # call index as above: attribute name -> what is known of its text.
    items: dict[str, dict[str, ObjectKey]] = field(default_factory=dict)
    record_guards: list[RecordGuard] = field(default_factory=list)


@dataclass(frozen=True)
class RecordGuard:
    """A loop over stream records that skips every record whose key attribute does not start
    with `prefix` (`if not record["dynamodb"]["Keys"]["pk"]["S"].startswith("ORDER#"): continue`):
    the calls numbered `first_call` to `last_call` run only for the records it keeps."""

    function: str  # qualname
    attribute: str
    prefix: str
    first_call: int
    last_call: int
