"""File writes and the paths they go to, as far as the source tells: `open(p, "w")`,
`Path.write_text`, `s3.download_file(..., p)`, `shutil.copy(src, p)`; plus the paths a module
removes or tests for existence, and whether it changes directory.

LL121 (tmp-fixed-path) and LL124 (write-outside-tmp) read these facts.
"""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor
from lambdalint.frontends.python.structure_facts.io_files import NAME, FileFacts, PathText, Write

OPENERS = frozenset({"open", "io.open", "codecs.open"})
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath"})
COPIERS = frozenset({"shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.move"})
REMOVERS = frozenset({"os.remove", "os.unlink", "shutil.rmtree"})
EXISTENCE = frozenset({"os.path.exists", "os.path.isfile", "os.path.getsize"})
PATH_METHODS_WRITE = frozenset({"write_text", "write_bytes"})
PATH_METHODS_REMOVE = frozenset({"unlink"})
PATH_METHODS_EXIST = frozenset({"exists", "is_file"})
MAX_PATH_DEPTH = 8
# Where this module's own file lies: the deployment package (/var/task) or a layer (/opt), both
# read-only; only the first directory matters to the rules.
OWN_FILE = "/var/task/"
PARENT_CALLS = frozenset({"os.path.dirname", "os.path.abspath", "os.path.realpath"})


def _literal_text(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - f-strings inside concatenations have no value
            return None
        return value if isinstance(value, str) else None
    return None


def _join(parts: list[PathText | None]) -> PathText | None:
    """os.path.join / Path division: a later absolute part restarts the path."""
    head = ""
    for position, part in enumerate(parts):
        if part is None:
            return PathText(head.rstrip("/") + "/", False) if head else None
        if part.head.startswith("/") or position == 0:
            head = part.head
        else:
            head = head.rstrip("/") + "/" + part.head if head else part.head
        if not part.exact:
            return PathText(head, False)
    return PathText(head, True)


def _parent(path: PathText | None) -> PathText | None:
    """The directory above `path`, as far as it is known."""
    if path is None:
        return None
    head = path.head.rstrip("/") if path.exact else path.head
    cut = head.rfind("/")
    return PathText(head[: cut + 1], False) if cut >= 0 else None


def _mode(call: cst.Call, position: int) -> str | None:
    for number, arg in enumerate(call.args):
        if arg.keyword is not None:
            if arg.keyword.value == "mode":
                return _literal_text(arg.value)
        elif number == position:
            return _literal_text(arg.value)
        elif arg.star:
            return None
    return "r"


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    for number, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
        if arg.keyword is None and not arg.star and number == position:
            return arg.value
    return None


def writes_file(mode: str | None) -> bool:
    return mode is not None and any(flag in mode for flag in "wax+")


class FileVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.out = FileFacts()
        # Paths bound to plain names, per function ("" for module scope).
        self.paths: dict[str, dict[str, PathText | None]] = {}
        core.facts.structure[NAME] = self.out

    # -- what a path expression holds --------------------------------------------------------

    def path_of(self, node: cst.BaseExpression, depth: int = 0) -> PathText | None:
        if depth > MAX_PATH_DEPTH:
            return None
        depth += 1
        literal = _literal_text(node)
        if literal is not None:
            return PathText(literal, True)
        if isinstance(node, cst.Name):
            if node.value == "__file__" and self.core.lookup("__file__") is None:
                return PathText(OWN_FILE, False)
            return self._name_path(node.value)
        if isinstance(node, cst.Attribute) and node.attr.value in ("parent", "parents"):
            return _parent(self.path_of(node.value, depth))
        if isinstance(node, cst.Subscript):  # `Path(__file__).parents[1]`
            return _parent(self.path_of(node.value, depth))
        if isinstance(node, cst.FormattedString):
            return self._formatted(node, depth)
        if isinstance(node, cst.BinaryOperation):
            left, right = self.path_of(node.left, depth), self.path_of(node.right, depth)
            if isinstance(node.operator, cst.Divide):
                return _join([left, right])
            if isinstance(node.operator, cst.Add) and left is not None:
                if not left.exact:
                    return left
                if right is None:
                    return PathText(left.head, False)
                return PathText(left.head + right.head, right.exact)
            return None
        if isinstance(node, cst.Call):
            return self._call_path(node, depth)
        return None

    def _name_path(self, name: str) -> PathText | None:
        func = self.core.current_function()
        local = self.paths.get(func, {})
        if name in local:
            return local[name]
        scope = self.core.function_scope()
        if scope is not None and name in scope.names and name not in scope.globals:
            return None  # a parameter or loop variable shadows any module constant
        return self.paths.get("", {}).get(name)

    def _formatted(self, node: cst.FormattedString, depth: int) -> PathText | None:
        head = ""
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                head += part.value
                continue
            inner = self.path_of(part.expression, depth)
            if inner is None or part.format_spec or part.conversion:
                return PathText(head, False) if head else None
            head += inner.head
            if not inner.exact:
                return PathText(head, False)
        return PathText(head, True)

    def _call_path(self, node: cst.Call, depth: int) -> PathText | None:
        callee = self._callee(node)
        values = [a.value for a in node.args if a.keyword is None and not a.star]
        if callee == "os.path.join" and len(values) == len(node.args) and values:
            return _join([self.path_of(v, depth) for v in values])
        if callee in PARENT_CALLS and len(values) == 1 == len(node.args):
            inner = self.path_of(values[0], depth)
            return _parent(inner) if callee == "os.path.dirname" else inner
        if callee in PATH_TYPES or callee == "str":
            if len(values) == 1 and len(node.args) == 1:
                return self.path_of(values[0], depth)
            return None
        if callee == "tempfile.gettempdir":
            return PathText("/tmp", True)
        if callee == "tempfile.mkdtemp":
            return PathText("/tmp/", False)
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "joinpath"
            and len(values) == len(node.args)
        ):
            base = self.path_of(node.func.value, depth)
            return _join([base, *(self.path_of(v, depth) for v in values)]) if base else None
        return None

    def _callee(self, node: cst.Call) -> str:
        return self.core.named_callee(node)

    # -- bindings ------------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_For_target(self, node: cst.For) -> None:
        self._bind(node.target, None)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        """Remember what a plain name now holds; anything else it is bound by is unknown."""
        if self.core.scope.kind == "class":
            return  # class attributes are not names a function can read bare
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None)
        elif isinstance(target, cst.Name):
            scope = self.core.current_function()
            if target.value in self.core.scope.globals:
                scope = ""
            path = self.path_of(value) if value is not None else None
            self.paths.setdefault(scope, {})[target.value] = path

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    # -- calls ---------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        callee = self._callee(node)
        func = self.core.current_function()
        if callee in OPENERS:
            if writes_file(_mode(node, 1)):
                self._write(node, _argument(node, 0, "file"), "open")
        elif callee in COPIERS:
            self._write(node, _argument(node, 1, "dst"), "copy")
        elif callee in REMOVERS:
            if node.args:  # `os.unlink()` removes nothing (it raises)
                self._remove(func, self._exact(_argument(node, 0, "path")))
        elif callee in EXISTENCE:
            self._check(_argument(node, 0, "path"))
        elif callee == "os.chdir":
            self.out.changes_directory = True
        elif isinstance(node.func, cst.Attribute):
            self._method(node, node.func, func)

    def _method(self, node: cst.Call, func_node: cst.Attribute, func: str) -> None:
        method = func_node.attr.value
        receiver = func_node.value
        if method in PATH_METHODS_WRITE:
            self._write(node, receiver, "write")
        elif method == "touch":
            self._write(node, receiver, "touch")
        elif method == "open" and writes_file(_mode(node, 0)):
            self._write(node, receiver, "open")
        elif method in PATH_METHODS_REMOVE:
            self._remove(func, self._exact(receiver))
        elif method in PATH_METHODS_EXIST:
            self._check(receiver)
        elif method == "download_file":
            self._write(node, self._download_target(node, receiver), "download")

    def _download_target(
        self, node: cst.Call, receiver: cst.BaseExpression
    ) -> cst.BaseExpression | None:
        """`client.download_file(Bucket, Key, Filename)`, `bucket.download_file(Key, Filename)`,
        `obj.download_file(Filename)`: the position depends on what it is called on."""
        owner = self.core.evaluate(receiver).name.rsplit(".", 1)[-1]
        position = {"client": 2, "Bucket": 1, "Object": 0}.get(owner, -1)
        return _argument(node, position, "Filename")

    def _exact(self, node: cst.BaseExpression | None) -> str | None:
        path = self.path_of(node) if node is not None else None
        return path.head if path is not None and path.exact else None

    def _write(self, node: cst.Call, target: cst.BaseExpression | None, how: str) -> None:
        path = self.path_of(target) if target is not None else None
        if path is not None:
            func = self.core.current_function()
            self.out.writes.append(Write(func, self.core.call_index, path, how))

    def _remove(self, func: str, exact: str | None) -> None:
        if exact is not None:
            self.out.removed.setdefault(func, set()).add(exact)
        else:
            self.out.removes_unknown.add(func)

    def _check(self, node: cst.BaseExpression | None) -> None:
        exact = self._exact(node)
        if exact is not None:
            self.out.checked.add(exact)


VISITORS = [FileVisitor]
