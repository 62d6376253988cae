"""The fast position path (CPython's parser) agrees with libcst's, and declines when unsure."""

from __future__ import annotations

import pytest

from lambdalint.core.span import NodeRef, Span
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


@pytest.mark.parametrize("odd", ["\x0c", "\x1c", "\x85", "\u2028"])
def test_fast_positions_count_lines_as_cpython_does(odd):
    source = f"import boto3  # a{odd}b\nx = 'c{odd}d'\n\ndef handler(event, context):\n"
    source += "    return boto3.client('s3')\n"
    facts = extract_facts(source, "app.py", "app")
    refs = [NodeRef("app.py", "Call", 0), NodeRef("app.py", "FunctionDef", 0)]
    assert locate_fast(source, refs, facts) == locate(source, refs)


def test_fast_path_declines_other_kinds_and_mismatches():
    facts = extract_facts(SOURCE, "app.py", "app")
    assert locate_fast(SOURCE, [NodeRef("app.py", "Return", 0)], facts) is None
    facts.calls.pop()
    assert locate_fast(SOURCE, [NodeRef("app.py", "Call", 0)], facts) is None


ARGUMENTS = """import boto3


def handler(event, context):
    s3 = boto3.client(
        "s3",
        region_name="eu-west-1",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz",
    )
    s3.put_object(Bucket="orders-prod", Key=event["key"], Body=b"")
    s3.download_file("orders-prod", event["key"], "/tmp/x")
    session = boto3.Session(None, None, None, "us-east-2")
    return session
"""


def test_argument_refs_resolve_to_the_argument_on_both_paths():
    facts = extract_facts(ARGUMENTS, "app.py", "app")
    put = next(c for c in facts.calls if c.operation == "put_object")
    refs = [
        NodeRef("app.py", "Call", 0, "region_name"),
        NodeRef("app.py", "Call", put.index, "Bucket"),
        NodeRef("app.py", "Call", put.index, "#0"),
    ]
    fast = locate_fast(ARGUMENTS, refs[:2], facts)
    assert fast == locate(ARGUMENTS, refs[:2])
    assert fast[refs[0]] == Span("app.py", 7, 9, 7, 32)
    assert fast[refs[1]] == Span("app.py", 10, 19, 10, 39)
    # No such argument: the fast path declines, libcst falls back to the whole call.
    assert locate_fast(ARGUMENTS, refs[2:], facts) is None
    assert locate(ARGUMENTS, refs[2:])[refs[2]] == Span("app.py", 10, 5, 10, 68)


@pytest.mark.parametrize(
    ("rule", "line", "column", "end_column"),
    [
        ("LL107", 7, 9, 32),  # region_name="eu-west-1", not the call's first line
        ("LL108", 8, 9, 73),  # aws_secret_access_key="..."
        ("LL106", 10, 19, 39),  # Bucket="orders-prod"
        ("LL106", 11, 22, 35),  # the bucket passed by position
    ],
)
def test_findings_about_one_argument_point_at_it(lint, rule, line, column, end_column):
    result = lint({"app.py": ARGUMENTS}, select=[rule])
    spans = {(f.span.line, f.span.column, f.span.end_column) for f in result.findings}
    assert (line, column, end_column) in spans, result.findings
    assert all(f.span.line == f.span.end_line for f in result.findings)


def test_a_region_set_by_position_points_at_that_argument(lint):
    result = lint({"app.py": ARGUMENTS}, select=["LL107"])
    assert [(f.span.line, f.span.column) for f in result.findings] == [(7, 9), (12, 47)]
