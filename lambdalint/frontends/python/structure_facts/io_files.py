"""The facts the `io_files` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import ModuleFacts

NAME = "io_files"


@dataclass(frozen=True)
class PathText:
    """What is known of a path: its text from the start, and whether that is all of it."""

    head: str
    exact: bool


@dataclass(frozen=True)
class Write:
    func: str
    index: int  # the Call doing the write
    path: PathText
    how: str  # "open", "write", "download", "copy", "touch"


@dataclass
class FileFacts:
    writes: list[Write] = field(default_factory=list)
    # Exact paths removed, by the function removing them ("" at import time).
    removed: dict[str, set[str]] = field(default_factory=dict)
    removes_unknown: set[str] = field(default_factory=set)  # functions removing unknown paths
    checked: set[str] = field(default_factory=set)  # exact paths tested for existence
    changes_directory: bool = False  # os.chdir anywhere: relative paths are not /var/task


def file_facts(facts: ModuleFacts) -> FileFacts:
    found = facts.structure.get(NAME)
    return found if isinstance(found, FileFacts) else FileFacts()
