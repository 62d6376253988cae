"""Mutation fuzzing (issue 8): real handlers and templates from the rule pages and the fixtures,
mutated, must never crash, hang or hide the other files' findings.

Property, for every input: the run ends, exit 0 or 1, no traceback, no LL000, at most one LL001
for the mutated file (besides one per duplicate key), and the good file beside it is still
checked. A few seconds by default;
`LAMBDALINT_FUZZ=long` runs the long profile. Every input that ever broke the property is kept
in tests/fuzz_regressions/ and checked on every run."""

from __future__ import annotations

import json
import os
import re
import tempfile
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lambdalint.cli import main

ROOT = Path(__file__).parent.parent
LONG = os.environ.get("LAMBDALINT_FUZZ") == "long"
EXAMPLES = 2000 if LONG else 15
GOOD = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
BLOCK = re.compile(r"```(python|yaml|json|hcl)([^\n]*)\n(.*?)```", re.S)
# What each page block is saved as, so that the frontend that reads it in a project gets it:
# a `file=serverless.yml` block goes to the Serverless Framework frontend, `hcl` to Terraform.
SUFFIX = {"python": "app.py", "yaml": "template.yaml", "json": "template.json", "hcl": "main.tf"}


def _seeds() -> list[tuple[str, bytes]]:
    seeds = [
        (path.name, path.read_bytes())
        for path in sorted((ROOT / "tests" / "fixtures" / "templates").glob("*"))
        if path.is_file()
    ]
    for page in sorted((ROOT / "rules").glob("LL*.md")):
        for match in BLOCK.finditer(page.read_text(encoding="utf-8")):
            language, info, body = match.groups()
            name = SUFFIX[language]
            if language == "yaml" and "file=serverless.y" in info:
                name = "serverless.yml"
            seeds.append((name, body.encode()))
    return seeds


SEEDS = _seeds()


def test_seeds_cover_every_frontend():
    """Terraform and serverless.yml inputs are mutated too, not only Python and templates."""
    assert {name for name, _ in SEEDS} >= {
        "app.py",
        "template.yaml",
        "template.json",
        "main.tf",
        "serverless.yml",
    }


TAGS = [
    "!Ref",
    "!GetAtt",
    "!Sub",
    "!If",
    "!!bool",
    "!!int",
    "!!float",
    "!!binary",
    "!!null",
    "!!python/object/apply:os.system",
    "!!timestamp",
    "&anchor",
    "*anchor",
    "!Nope",
]
YAML_VALUES = [
    "1e309",
    "1.0e+309",
    "9" * 4400,
    ".inf",
    ".nan",
    "~",
    "yes",
    "maybe",
    "[",
    "{",
    "'\\ud800'",
    '"\\ud800"',
    "!!bool maybe",
    "0x1F",
    "0o17",
    "1_000",
    "''",
    "*nope",
    "2001-12-14t21:59:43.10-05:00",
    "- a",
    "? x",
    "|",
    ">-",
]


@st.composite
def mutants(draw: st.DrawFn) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data)
    return name, data


def flip_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    buffer = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        if buffer:
            buffer[draw(st.integers(0, len(buffer) - 1))] = draw(st.integers(0, 255))
    return bytes(buffer)


def lines_dropped_or_repeated(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    index = draw(st.integers(0, len(lines) - 1))
    if draw(st.booleans()):
        del lines[index]
    else:
        lines[index:index] = [lines[index]] * draw(st.integers(1, 40))
    return b"".join(lines)


def truncated(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def tags_scrambled(draw: st.DrawFn, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    for tag in ("!Ref", "!GetAtt", "!Sub", "!If"):
        if tag in text:
            text = text.replace(tag, draw(st.sampled_from(TAGS)))
    return text.encode("utf-8", "surrogatepass")


def odd_value(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    keyed = [i for i, line in enumerate(lines) if b":" in line]
    if not keyed:
        return data
    index = draw(st.sampled_from(keyed))
    value = draw(st.sampled_from(YAML_VALUES)).encode("utf-8", "surrogatepass")
    lines[index] = lines[index].split(b":", 1)[0] + b": " + value + b"\n"
    return b"".join(lines)


def deep_or_long(draw: st.DrawFn, data: bytes) -> bytes:
    n = draw(st.sampled_from([60, 150, 400, 1200, 3500]))
    extra = draw(
        st.sampled_from(
            [
                "x = " + "[" * n + "]" * n,
                "x = a" + ".b()" * n,
                "if a:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n" for i in range(n)),
                "x = " + " + ".join(["a"] * n),
                "Deep: " + "[" * n + "]" * n,
                "Deep: " + "{a: " * n + "1" + "}" * n,
            ]
        )
    )
    return data + b"\n" + extra.encode() + b"\n"


MUTATIONS = [
    flip_bytes,
    lines_dropped_or_repeated,
    truncated,
    tags_scrambled,
    odd_value,
    deep_or_long,
]


def assert_contained(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        (directory / "mutant").mkdir()
        (directory / "mutant" / name).write_bytes(data)
        (directory / "good.py").write_text(GOOD)
        result = CliRunner().invoke(
            main, ["check", "--no-cache", "--format", "json", str(directory)]
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output[-2000:]
        findings = json.loads(result.output)
        assert not [f for f in findings if f["rule"] == "LL000"]
        parse_errors = [f for f in findings if f["rule"] == "LL001"]
        assert all("/mutant/" in f["path"] for f in parse_errors)
        # One LL001 for a file that cannot be read; duplicate keys are each their own finding.
        assert len([f for f in parse_errors if "duplicate key" not in f["message"]]) <= 1
        assert any(f["rule"] == "LL101" and f["path"].endswith("good.py") for f in findings)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(mutants())
def test_mutated_real_files_never_break_the_run(mutant):
    assert_contained(*mutant)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "tests" / "fuzz_regressions").iterdir()),
    ids=lambda p: p.name,
)
def test_inputs_that_once_broke_it(path):
    assert_contained(path.name, path.read_bytes())


def test_valid_python_is_analysed_not_refused():
    hypothesmith = pytest.importorskip("hypothesmith")

    @settings(
        max_examples=200 if LONG else 5,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(hypothesmith.from_grammar())
    def check(source: str) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                compile(source, "<fuzz>", "exec")
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return  # CPython refuses it: LL001 is right, the property is for valid code
        data = source.encode("utf-8", "surrogatepass")
        with tempfile.TemporaryDirectory() as temporary:
            (Path(temporary) / "app.py").write_bytes(data)
            result = CliRunner().invoke(
                main, ["check", "--no-cache", "--format", "json", temporary]
            )
            assert result.exit_code in (0, 1), result.output[-2000:]
            rules = {f["rule"] for f in json.loads(result.output)}
            assert "LL000" not in rules
            refused = [f for f in json.loads(result.output) if f["rule"] == "LL001"]
            assert all("too complex" in f["message"] for f in refused), refused

    check()
