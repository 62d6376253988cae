"""The fix LL109 offers: give an outbound HTTP call a timeout.

`requests.get(url)` becomes `requests.get(url, timeout=10)` and `timeout=None` becomes
`timeout=10` (the rule's `timeout` option, or a value below the function's timeout when the
template gives one that is not longer). Always unsafe: a call that used to wait as long as the
server took now raises after that many seconds, and the caller may not handle that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdalint.core.finding import Finding, Fix
from lambdalint.rules.code.hoist import cst, qualified_callee

if TYPE_CHECKING:
    from lambdalint.frontends.python.fix_tree import FixTree

# aiohttp wants a ClientTimeout object, not a number: no textual fix is right for every version.
NUMBER_NOT_ACCEPTED = ("aiohttp",)
# In `async def`, only these are known to take a number (an aiohttp session on a local name
# cannot be told apart without the facts).
ASYNC_NUMBER_ACCEPTED = ("httpx",)


def add_timeout(
    finding: Finding, tree: FixTree, node: cst.CSTNode, seconds: object, why: str = ""
) -> Fix | None:
    """The fix for one LL109 finding, or None when the call or the option does not allow one.
    `why` says what the value was chosen against (the function's timeout)."""
    if not isinstance(node, cst.Call) or not _number(seconds):
        return None
    callee = qualified_callee(node, tree)
    if callee.startswith(NUMBER_NOT_ACCEPTED):
        return None
    if _in_async_function(node, tree) and not callee.startswith(ASYNC_NUMBER_ACCEPTED):
        return None
    if any(arg.star == "**" for arg in node.args):
        return None  # the forwarded mapping may hold a timeout: adding one could duplicate it
    value = cst.parse_expression(repr(seconds))
    edit = tree.replace_node(node, _with_timeout(node, value))
    message = f"Add `timeout={seconds!r}`" + (f" ({why})" if why else "")
    return Fix(message, "unsafe", (edit,))


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _with_timeout(call: cst.Call, value: cst.BaseExpression) -> cst.Call:
    args = list(call.args)
    for position, arg in enumerate(args):
        if arg.keyword is not None and arg.keyword.value == "timeout":
            args[position] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    new = cst.Arg(
        value=value,
        keyword=cst.Name("timeout"),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if not isinstance(last.comma, cst.Comma):
        trailing = last.whitespace_after_arg
        if isinstance(trailing, cst.ParenthesizedWhitespace):
            # `)` on its own line: the new argument takes the last one's line break before it.
            args[-1] = last.with_changes(
                whitespace_after_arg=cst.SimpleWhitespace(""), comma=_separator(call, args)
            )
            return call.with_changes(args=[*args, new.with_changes(whitespace_after_arg=trailing)])
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        return call.with_changes(args=[*args, new])
    # A trailing comma: the new argument goes on its own line, laid out like the others, and
    # keeps the trailing comma.
    separator = _separator(call, args)
    args[-1] = last.with_changes(comma=separator)
    return call.with_changes(args=[*args, new.with_changes(comma=last.comma)])


def _separator(call: cst.Call, args: list[cst.Arg]) -> cst.Comma:
    """The comma (and line break) that separates arguments in this call."""
    if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        return args[-2].comma
    before = call.whitespace_before_args
    if isinstance(before, cst.ParenthesizedWhitespace):
        return cst.Comma(whitespace_after=before)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _in_async_function(node: cst.CSTNode, tree: FixTree) -> bool:
    return any(
        isinstance(parent, cst.FunctionDef) and parent.asynchronous is not None
        for parent in tree.ancestors(node)
    )
