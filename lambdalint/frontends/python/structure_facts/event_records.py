"""The facts the `event_records` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "event_records"


@dataclass
class EventRecords:
    # `<event>["Records"][0]` (or `.get("Records")[0]`): (function, Subscript pre-order index)
    first_record: list[tuple[str, int]] = field(default_factory=list)
    # Functions that use the records as a whole: iterate them, index them with a variable,
    # slice them, take their length or hand them to another call.
    all_records: set[str] = field(default_factory=set)
    # Functions that return a dict literal holding "batchItemFailures", or the result of
    # Powertools' `process_partial_response` (which always holds it).
    returns_failures: set[str] = field(default_factory=set)
