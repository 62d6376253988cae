"""The fix LL101 and LL102 share: create the object once at module scope and use it in place.

`boto3.client("s3")` inside a handler becomes a module-level `s3_client = boto3.client("s3")`
(inserted after the imports, and after the module-level definitions of the names it uses) and
the expression in the function becomes `s3_client`; an existing module-level variable holding the
same creation is reused instead. The fix is offered only when moving the expression cannot change
what it means: every name it uses is bound once, unconditionally, at module scope (imports may
repeat), and its arguments are literals, such names or environment reads.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lambdalint.core.finding import Edit

if TYPE_CHECKING:
    from lambdalint.frontends.python.fix_tree import FixTree


class _LibCST:
    """libcst, imported on first use: the registry imports every module under `rules/`, and a
    run that parses no Python file must not pay for libcst."""

    def __getattr__(self, name: str) -> object:
        import libcst

        return getattr(libcst, name)


cst = _LibCST()

ENV_READERS = frozenset({"os.getenv", "os.environ.get"})
# Methods and attributes that change or expose a client's shared state: an object used through
# them is not "only called" and its fix is unsafe.
STATEFUL = frozenset({"meta", "close", "register", "set_credentials", "events"})
MAX_NAME_TRIES = 9


@dataclass(frozen=True)
class Hoisting:
    name: str  # the module-level variable the function now uses
    edits: tuple[Edit, ...]
    reused: bool  # an existing module-level variable, no new line
    environ_index: bool  # an `os.environ[...]` argument: its KeyError moves to import time
    calls_only: bool  # the function only calls methods on the object (never passes or stores it)
    in_try: bool  # a `try` in the function handled its errors; at import time nothing will


def hoist(tree: FixTree, call: cst.CSTNode, base_name: str) -> Hoisting | None:
    """The edits that move `call` to module scope, or None when that is not clearly right."""
    if not isinstance(call, cst.Call) or not _hoistable(call, tree):
        return None
    ancestors = tree.ancestors(call)
    if not _movable_from(call, ancestors, tree):
        return None
    module = tree.module
    top = ancestors[-2] if len(ancestors) >= 2 else None
    if top is None or top not in module.body:
        return None
    index = _index(tree)
    if "*" in index.bindings:
        return None  # a star import may rebind any name
    after = _defined_after(_free_names(call), index)
    if after is None:
        return None
    replaced = tree.replace(call, "")
    if replaced is None:
        return None
    environ_index = _has_environ_index(call)
    calls_only = _calls_only(call, ancestors, tree)
    in_try = _in_try(ancestors)

    existing = _existing(call, tree, index)
    if existing is not None:
        edit = Edit(replaced.path, replaced.start, replaced.end, existing)
        return Hoisting(existing, (edit,), True, environ_index, calls_only, in_try)

    name = _free_name(base_name, index.names)
    if name is None:
        return None
    position = _insertion(after, index, module)
    if position is None or position >= module.body.index(top):
        return None
    statement = module.body[position]
    separator = tree.newline if _is_import(statement) else ""
    text = f"{separator}{name} = {_expression(call, tree)}{tree.newline}"
    insert = tree.insert(tree.after_statement(statement), text)
    edit = Edit(replaced.path, replaced.start, replaced.end, name)
    return Hoisting(name, (insert, edit), False, environ_index, calls_only, in_try)


# -- what may move ----------------------------------------------------------------------------


def _hoistable(call: cst.Call, tree: FixTree) -> bool:
    """A call on a dotted name (or on another such call) with static arguments."""
    if any(arg.star for arg in call.args):
        return False
    if not all(_static(arg.value, tree) for arg in call.args):
        return False
    func = call.func
    while isinstance(func, cst.Attribute):
        func = func.value
    if isinstance(func, cst.Name):
        return True
    return isinstance(func, cst.Call) and _hoistable(func, tree)


def _static(node: cst.BaseExpression, tree: FixTree) -> bool:
    """Literals, names (checked for their bindings later), environment reads, and strings or
    numbers built from those."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Name)):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return _static(node.left, tree) and _static(node.right, tree)
    if isinstance(node, cst.FormattedString):
        return all(
            _static(part.expression, tree) and part.format_spec is None
            for part in node.parts
            if isinstance(part, cst.FormattedStringExpression)
        )
    if isinstance(node, cst.UnaryOperation):
        return _static(node.expression, tree)
    if isinstance(node, cst.BinaryOperation):
        return _static(node.left, tree) and _static(node.right, tree)
    if isinstance(node, cst.Subscript):
        key = node.slice[0].slice if len(node.slice) == 1 else None
        return (
            _qualified(node.value, tree) == "os.environ"
            and isinstance(key, cst.Index)
            and isinstance(key.value, cst.SimpleString)
        )
    if isinstance(node, cst.Call):
        return (
            _qualified(node.func, tree) in ENV_READERS
            and 1 <= len(node.args) <= 2
            and all(arg.keyword is None and not arg.star for arg in node.args)
            and all(_static(arg.value, tree) for arg in node.args)
        )
    return False


def _movable_from(call: cst.Call, ancestors: list[cst.CSTNode], tree: FixTree) -> bool:
    """Inside a plain function, not a context manager's item (the `with` would close the shared
    object), not awaited, not in a lambda, not in an `async def` (async clients and sessions
    belong to one event loop, and Lambda's Python runtime starts a new one per invocation)."""
    parent = ancestors[0] if ancestors else None
    if isinstance(parent, (cst.WithItem, cst.Await)):
        return False
    functions = [node for node in ancestors if isinstance(node, cst.FunctionDef)]
    if not functions or any(f.asynchronous is not None for f in functions):
        return False
    return not any(isinstance(node, cst.Lambda) for node in ancestors)


def _qualified(node: cst.BaseExpression, tree: FixTree) -> str:
    """A dotted name with its head replaced by what the module imported it as."""
    dotted = dotted_name(node)
    if dotted is None:
        return ""
    head, _, rest = dotted.partition(".")
    target = _imports(tree).get(head)
    if target is None:
        return dotted
    return target + ("." + rest if rest else "")


def qualified_callee(call: cst.Call, tree: FixTree) -> str:
    """What a call calls, resolved through the module's imports, calls in the chain flattened:
    `botocore.session.get_session().create_client` gives that dotted name without the `()`.
    A chain that starts elsewhere (a subscript, a literal) starts with `…`."""
    func = call.func
    parts = []
    while isinstance(func, cst.Attribute):
        parts.append(func.attr.value)
        func = func.value
    if isinstance(func, cst.Name):
        parts.append(_qualified(func, tree))
    elif isinstance(func, cst.Call):
        parts.append(qualified_callee(func, tree))
    else:
        parts.append("…")
    return ".".join(reversed(parts))


def string_argument(call: cst.Call, position: int, keyword: str) -> str | None:
    """A string literal passed at `position` or as `keyword`."""
    chosen = None
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if position < len(positional):
        chosen = positional[position]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            chosen = arg
    if chosen is None or not isinstance(chosen.value, cst.SimpleString):
        return None
    value = chosen.value.evaluated_value
    return value if isinstance(value, str) else None


def dotted_name(node: cst.BaseExpression) -> str | None:
    # Imported here: this module is loaded with the rules, libcst only when a fix is built.
    from lambdalint.frontends.python.extract import dotted_name as dotted

    return dotted(node)


def _free_names(node: cst.CSTNode) -> set[str]:
    """Variable names an expression reads (not attribute names, not keyword names)."""
    if isinstance(node, cst.Name):
        return set() if node.value in ("True", "False", "None") else {node.value}
    if isinstance(node, cst.Attribute):
        return _free_names(node.value)
    if isinstance(node, cst.Arg):
        return _free_names(node.value)
    names: set[str] = set()
    for child in node.children:
        names |= _free_names(child)
    return names


def _in_try(ancestors: list[cst.CSTNode]) -> bool:
    for node in ancestors:
        if isinstance(node, cst.FunctionDef):
            return False
        if isinstance(node, (cst.Try, cst.TryStar)):
            return True
    return False


def _has_environ_index(call: cst.Call) -> bool:
    found = []

    class Find(cst.CSTVisitor):
        def visit_Subscript(self, node: cst.Subscript) -> None:
            found.append(node)

    call.visit(Find())
    return bool(found)


# -- the module's names -----------------------------------------------------------------------


@dataclass
class _Index:
    # name -> where each binding is: (top-level statement index or -1 inside a function or
    # class, how: "import", "assign", "def" or "conditional")
    bindings: dict[str, list[tuple[int, str]]]
    imports: dict[str, str]  # top-level import alias -> dotted target
    names: set[str]  # every identifier in the module


def _index(tree: FixTree) -> _Index:
    cached = tree.cache.get("hoist.index")
    if cached is None:
        collector = _Bindings()
        for position, statement in enumerate(tree.module.body):
            collector.index = position
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                collector.how = "def"
            elif isinstance(statement, cst.SimpleStatementLine):
                collector.how = "assign"
            else:
                collector.how = "conditional"
            collector.walk(statement)
        cached = _Index(collector.found, _imports(tree), collector.names)
        tree.cache["hoist.index"] = cached
    return cached


def _imports(tree: FixTree) -> dict[str, str]:
    """The module-level imports alone (what `qualified_callee` needs, LL109's fix included):
    found through the statements only, not every expression as the full index walks."""
    cached = tree.cache.get("hoist.imports")
    if cached is None:
        collector = _Bindings()
        for statement in tree.module.body:
            _module_level_imports(statement, collector)
        cached = collector.imports
        tree.cache["hoist.imports"] = cached
    return cached


def _module_level_imports(node: cst.CSTNode, collector: _Bindings) -> None:
    """Imports in `node` that bind at module scope (in compound statements too, never in a
    function or class), in the order the full index meets them."""
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return
    if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        for small in node.body:
            if isinstance(small, cst.Import):
                collector.visit_Import(small)
            elif isinstance(small, cst.ImportFrom):
                collector.visit_ImportFrom(small)
        return
    for child in node.children:
        if isinstance(child, _BLOCKS()):
            _module_level_imports(child, collector)


def _BLOCKS() -> tuple[type, ...]:  # noqa: N802 - a constant, made once libcst is loaded
    return (
        cst.BaseStatement,
        cst.BaseSuite,
        cst.ExceptHandler,
        cst.ExceptStarHandler,
        cst.Else,
        cst.Finally,
        cst.MatchCase,
    )


class _Bindings:
    """Every name binding of the module, attributed to its top-level statement (or to a nested
    scope), with the identifiers seen on the way. Dispatches like a libcst visitor."""

    def __init__(self) -> None:
        # Loaded with libcst, when a fix is built; source order does not matter to the index.
        from lambdalint.frontends.python.fix_tree import children

        self.children = children
        self.index = -1
        self.how = ""
        self.depth = 0
        self.found: dict[str, list[tuple[int, str]]] = {}
        self.imports: dict[str, str] = {}
        self.names: set[str] = set()

    def walk(self, node: cst.CSTNode) -> None:
        kind = type(node).__name__
        visit = getattr(self, f"visit_{kind}", None)
        if visit is not None:
            visit(node)
        for child in self.children(node):
            self.walk(child)
        leave = getattr(self, f"leave_{kind}", None)
        if leave is not None:
            leave(node)

    def bind(self, name: str, how: str = "") -> None:
        where = self.index if self.depth == 0 else -1
        self.found.setdefault(name, []).append((where, how or self.how))

    def bind_target(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind_target(element.value)
        elif isinstance(target, cst.StarredElement):
            self.bind_target(target.value)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def _enter(self, node: cst.CSTNode) -> None:
        self.depth += 1

    def _leave(self, node: cst.CSTNode) -> None:
        self.depth -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bind(node.name.value)
        self.depth += 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bind(node.name.value)
        self.depth += 1

    leave_FunctionDef = leave_ClassDef = _leave
    visit_Lambda = visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _enter
    leave_Lambda = leave_ListComp = leave_SetComp = leave_DictComp = leave_GeneratorExp = _leave

    def visit_Param(self, node: cst.Param) -> None:
        self.bind(node.name.value)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local, target = alias.asname.name.value, full
            else:
                local = target = full.split(".")[0]
            self._bind_import(local, target)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            self.bind("*")
            return
        base = dotted_name(node.module) if node.module is not None else ""
        prefix = "." * len(node.relative) + (base or "")
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            joiner = "" if prefix.endswith(".") or not prefix else "."
            self._bind_import(local, prefix + joiner + name)

    def _bind_import(self, local: str, target: str) -> None:
        how = "import" if self.how == "assign" else ""
        self.bind(local, how)
        if self.depth == 0:
            self.imports[local] = target

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bind_target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind_target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind_target(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.bind_target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.bind_target(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bind_target(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.bind_target(node.name.name)

    def visit_Del(self, node: cst.Del) -> None:
        self.bind_target(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.bind(item.name.value)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self.bind(item.name.value)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.bind(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.bind(node.name.value)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.bind(node.rest.value)


def _defined_after(names: set[str], index: _Index) -> int | None:
    """The last top-level statement that binds one of `names` (-1 when none needs one), or None
    when a name is not bound exactly once, unconditionally, at module scope (repeated
    top-level imports of one module are fine)."""
    last = -1
    for name in names:
        bindings = index.bindings.get(name, [])
        if not bindings or any(where < 0 or how == "conditional" for where, how in bindings):
            return None
        if len(bindings) > 1 and any(how != "import" for _, how in bindings):
            return None
        last = max(last, *(where for where, _ in bindings))
    return last


def _insertion(after: int, index: _Index, module: cst.Module) -> int | None:
    """The top-level statement the new line goes after: the last import (or the last
    definition of a name it uses), then any assignments that directly follow it. None when a
    statement up to there calls a function of this module at import time (it could reach the
    new name before it exists)."""
    body = module.body
    imports = [position for position, statement in enumerate(body) if _is_import(statement)]
    position = max([after, *imports[-1:]])
    if position < 0:
        return None
    while position + 1 < len(body) and _is_assignment(body[position + 1]):
        position += 1
    local_defs = {
        name
        for name, bindings in index.bindings.items()
        if any(where >= 0 and how == "def" for where, how in bindings)
    }
    for statement in body[: position + 1]:
        if not isinstance(statement, cst.FunctionDef) and (_called_names(statement) & local_defs):
            return None
    return position


def _is_import(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return all(isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)
    if isinstance(statement, (cst.If, cst.Try)):
        inner = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else []
        return bool(inner) and all(_is_import(s) for s in inner)
    return False


def _is_assignment(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Assign, cst.AnnAssign)) for small in statement.body
    )


def _called_names(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class Find(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            head = dotted_name(call.func)
            if head:
                found.add(head.split(".")[0])

    node.visit(Find())
    return found


def _free_name(base: str, taken: set[str]) -> str | None:
    """`base`, else `_base`, else `base_2`...: a name no code of the module uses yet."""
    candidates = [base, f"_{base}", *(f"{base}_{n}" for n in range(2, MAX_NAME_TRIES + 1))]
    for candidate in candidates:
        if candidate.isidentifier() and candidate not in taken:
            return candidate
    return None


def _existing(call: cst.Call, tree: FixTree, index: _Index) -> str | None:
    """A module-level `name = <the same creation>` bound nowhere else, to reuse."""
    wanted = _shape(tree.module.code_for_node(_bare(call)))
    if wanted is None:
        return None
    for statement in tree.module.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        small = statement.body[0]
        if not isinstance(small, cst.Assign) or len(small.targets) != 1:
            continue
        target = small.targets[0].target
        if not isinstance(target, cst.Name) or len(index.bindings.get(target.value, [])) != 1:
            continue
        if _shape(tree.module.code_for_node(_bare(small.value))) == wanted:
            return target.value
    return None


def _shape(code: str) -> str | None:
    """An expression's syntax tree, formatting and comments aside."""
    try:
        return ast.dump(ast.parse(code.strip(), mode="eval"))
    except (SyntaxError, ValueError, RecursionError):
        return None


def _bare(node: cst.CSTNode) -> cst.CSTNode:
    if getattr(node, "lpar", None):
        return node.with_changes(lpar=[], rpar=[])
    return node


def _expression(call: cst.Call, tree: FixTree) -> str:
    """The call's code for module scope. Continuation lines render relative to their block, so
    a call written inside a function comes out indented for module scope."""
    return tree.module.code_for_node(_bare(call))


# -- how the function uses the object -----------------------------------------------------


def _calls_only(call: cst.Call, ancestors: list[cst.CSTNode], tree: FixTree) -> bool:
    """Whether the function only calls (non-stateful) methods on the created object: directly
    (`boto3.client("s3").list_buckets()`) or through one local name assigned once."""
    parent = ancestors[0]
    if isinstance(parent, cst.Attribute):
        return _method_call(parent, tree)
    if not (
        isinstance(parent, cst.Assign)
        and parent.value is call
        and len(parent.targets) == 1
        and isinstance(parent.targets[0].target, cst.Name)
    ):
        return False
    target = parent.targets[0].target
    function = next(node for node in ancestors if isinstance(node, cst.FunctionDef))
    uses = [
        node
        for node in tree.learn_parents(function.body)
        if isinstance(node, cst.Name) and node.value == target.value and node is not target
    ]
    for use in uses:
        attribute = tree.parent(use)
        if not (isinstance(attribute, cst.Attribute) and attribute.value is use):
            return False
        if not _method_call(attribute, tree):
            return False
    return True


def _method_call(attribute: cst.Attribute, tree: FixTree) -> bool:
    name = attribute.attr.value
    if name in STATEFUL or name.startswith("_"):
        return False
    call = tree.parent(attribute)
    return isinstance(call, cst.Call) and call.func is attribute
