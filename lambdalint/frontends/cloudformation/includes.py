"""Documents a template includes with `Fn::Transform: {Name: AWS::Include, ...}`.

`sam package`/`aws cloudformation package` upload a local `Location` next to the template; the
included document (often an API's OpenAPI definition) is read here with the same safe loaders.
Only a relative path to a regular file inside the project is read: an S3 or HTTP location, an
absolute path, a path leaving the project, or a document that does not load is Unknown (None).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lambdalint.frontends.cloudformation.nodes import LoadError, Node
from lambdalint.sources import display_path

INCLUDE = "AWS::Include"
# An OpenAPI document is small; a larger "include" is not worth reading for what it could tell.
MAX_INCLUDE_SIZE = 2 * 1024 * 1024

IncludeReader = Callable[[str], "Node | None"]


def no_includes(location: str) -> Node | None:
    """The reader of a template read without its directory (tests, text in memory)."""
    return None


def include_reader(template: Path, project: Path) -> IncludeReader:
    """Reads documents included by the template at `template`, never outside `project`."""
    cache: dict[str, Node | None] = {}

    def read(location: str) -> Node | None:
        if location not in cache:
            cache[location] = _read(template.parent, project, location)
        return cache[location]

    return read


def _read(directory: Path, project: Path, location: str) -> Node | None:
    if "://" in location or location.startswith(("s3:", "/", "\\")):
        return None
    try:
        path = (directory / location).resolve()
        if not path.is_relative_to(project.resolve()) or not path.is_file():
            return None
        if path.stat().st_size > MAX_INCLUDE_SIZE:
            return None
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError, RuntimeError):  # RuntimeError: a symlink loop
        return None
    return _load(text, display_path(path), path.suffix.lower() == ".json")


def _load(text: str, display: str, as_json: bool) -> Node | None:
    try:
        if as_json:
            from lambdalint.frontends.cloudformation.json_loader import load_json

            return load_json(text, display)[0]
        from lambdalint.frontends.cloudformation.yaml_loader import load_yaml

        return load_yaml(text, display)[0]
    except LoadError:
        return None


def included(node: Node | None, read: IncludeReader) -> Node | None:
    """The document an `AWS::Include` transform stands for, the node itself when it is none."""
    call = node.intrinsic() if node is not None else None
    if call is None or call[0] != "Fn::Transform":
        return node
    arguments = call[1]
    name = arguments.get("Name")
    location = arguments.path("Parameters", "Location")
    if name is None or name.value != INCLUDE or location is None:
        return None
    return read(location.value) if isinstance(location.value, str) else None
