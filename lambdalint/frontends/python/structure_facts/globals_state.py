"""The facts the `globals_state` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "globals_state"

# Methods that put something into a container (or object) that outlives the call.
STORING_METHODS = frozenset(
    {"append", "extend", "add", "insert", "update", "setdefault", "appendleft", "extendleft"}
)
# Calls whose result is still the event's data, only reshaped.
RESHAPING_CALLS = frozenset(
    {
        "json.loads",
        "json.dumps",
        "str",
        "int",
        "float",
        "dict",
        "list",
        "tuple",
        "set",
        "frozenset",
        "copy.copy",
        "copy.deepcopy",
        "base64.b64decode",
        "urllib.parse.parse_qs",
        "urllib.parse.unquote",
    }
)
EMPTY_FACTORIES = frozenset({"dict", "list", "set", "collections.OrderedDict"})


@dataclass(frozen=True)
class StateWrite:
    """Event data stored into module-level state from a function."""

    kind: str  # the node reported: "Assign", "AugAssign", "AnnAssign" or "Call"
    index: int  # pre-order index among nodes of that kind
    func: str
    target: str  # the module-level name written to
    how: str  # "`CACHE[...] = ...`", "`USERS.append(...)`", "`global LAST`"


@dataclass
class GlobalsState:
    writes: list[StateWrite] = field(default_factory=list)
    # (function, module-level name): the function empties or rebinds it, e.g. at handler start.
    resets: set[tuple[str, str]] = field(default_factory=set)
