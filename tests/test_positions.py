"""The fast position path (CPython's parser) agrees with libcst's, and declines when unsure."""

from __future__ import annotations

from lambdalint.core.span import NodeRef
from lambdalint.frontends.python.parse import extract_facts, locate
from lambdalint.frontends.python.positions import locate_fast

SOURCE = """import boto3, functools


@functools.lru_cache
def make(name="é"):  # a non-ASCII default moves byte offsets
    return boto3.client(name)(lambda: f"{make()}")


async def handler(event, context):
    x = {"k": [boto3.resource("s3").Bucket("b")]}
    return make()(
        1,
    ), x
"""


def test_fast_positions_equal_libcst_positions():
    facts = extract_facts(SOURCE, "app.py", "app")
    refs = [NodeRef("app.py", "Call", i) for i in range(len(facts.calls))]
    refs += [NodeRef("app.py", "FunctionDef", f.index) for f in facts.functions.values()]
    fast = locate_fast(SOURCE, refs, facts)
    assert fast is not None
    assert fast == locate(SOURCE, refs)


def test_fast_path_declines_other_kinds_and_mismatches():
    facts = extract_facts(SOURCE, "app.py", "app")
    assert locate_fast(SOURCE, [NodeRef("app.py", "Return", 0)], facts) is None
    facts.calls.pop()
    assert locate_fast(SOURCE, [NodeRef("app.py", "Call", 0)], facts) is None
