"""What CPython says of a file before libcst sees it, and how much work libcst would be.

CPython's own compiler is the judge of what is Python: a file it refuses (including what only
its compiler catches, such as `return` outside a function) is reported with its message and
never reaches libcst. libcst's native parser is super-linear in the length of one expression's
operator and call chains (measured with libcst 1.x: a 1,000-term `+` chain about 1 s, 2,000
terms 8 s; 500 chained calls 2 s) and overflows its stack far beyond that, so a file whose
syntax tree exceeds these bounds is "too complex to analyse" instead of a hang or a crash.
The bounds are far above hand-written code (real handlers nest below 40 levels).
"""

from __future__ import annotations

import ast
import warnings

MAX_DEPTH = 700  # syntax-tree levels: a 300-branch elif or a 340-call chain still passes
MAX_NODES = 300_000  # about a 1.5 MB file of dense literals
MAX_CHAIN_COST = 3_000_000  # sum over statements of (expression depth)^2: libcst's chain cost


class CompileRefused(Exception):
    """CPython will not compile the text, or the text is beyond what we analyse."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.line = line
        self.column = column


def check_python(text: str, path: str = "<checked>") -> None:
    """Raise CompileRefused unless CPython compiles `text` and libcst's work on it is bounded.

    Compiled only, never run: the code object is dropped at once."""
    check_python_tree(text, path)


def check_python_tree(text: str, path: str = "<checked>") -> tuple[ast.AST, list[ast.AST]]:
    """check_python, returning CPython's syntax tree of `text` and every node of it (the walk
    that measured it, so a caller needs none of its own)."""
    nodes: list[ast.AST] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to print
        tree = _compile(text, path, ast.PyCF_ONLY_AST)
        problem = _too_complex(tree, nodes)
        if problem is not None:
            message, line = problem
            raise CompileRefused(f"too complex to analyse: {message}", line)
        _compile(tree, path, 0)  # what only the compiler checks: `return` outside a function
    return tree, nodes


def _compile(source: str | ast.AST, path: str, flags: int):
    try:
        return compile(source, path, "exec", flags, dont_inherit=True)
    except SyntaxError as error:
        raise CompileRefused(
            f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1
        ) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as error:
        raise CompileRefused(f"too complex to analyse ({type(error).__name__})") from None


def _too_complex(tree: ast.AST, seen: list[ast.AST]) -> tuple[str, int] | None:
    """Why libcst's work on this tree would be unbounded, walking it without recursion; every
    node walked is added to `seen`."""
    nodes = 0
    chain_cost = 0
    # (node, depth in the tree, depth below the innermost statement)
    stack: list[tuple[ast.AST, int, int]] = [(tree, 1, 0)]
    while stack:
        node, depth, inner = stack.pop()
        seen.append(node)
        nodes += 1
        line = getattr(node, "lineno", 1)
        if nodes > MAX_NODES:
            return f"more than {MAX_NODES} syntax nodes", 1
        if depth > MAX_DEPTH:
            return f"nested more than {MAX_DEPTH} levels deep", line
        is_statement = isinstance(node, ast.stmt)
        if inner > 0:
            chain_cost += 2 * inner - 1  # adds up to depth^2 along one chain
            if chain_cost > MAX_CHAIN_COST:
                return "expressions chained too long", line
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1, 0 if is_statement else inner + 1))
    return None
