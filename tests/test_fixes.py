"""Autofixes: `--fix`, `--diff`, `--unsafe-fixes`, the LL101/LL102 hoisting fix, the LL109
timeout fix builder, and the `python fixed` blocks of the rule pages."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner
from libcst.metadata import MetadataWrapper

from lambdalint.cli import main
from lambdalint.config import Settings
from lambdalint.docs import examples, pages_dir
from lambdalint.engine import fix as fix_engine
from lambdalint.engine.fix import apply_edits
from lambdalint.engine.fix_request import FixRequest
from lambdalint.engine.run import run
from lambdalint.frontends.python.fix_tree import FixTree
from lambdalint.rules.code.timeout_fix import add_timeout

EXPECT_MARK = re.compile(r"[ \t]*# expect: LL\d{3}(?:\s*,\s*LL\d{3})*")
HOISTING_PAGES = ("LL101", "LL102")


def _pairs():
    """(bad, fixed) examples: a `python fixed` block right after a `python bad` one."""
    for page in sorted(pages_dir().glob("LL*.md")):
        found = examples(page)
        for bad, fixed in zip(found, found[1:], strict=False):
            if bad.kind == "bad" and fixed.kind == "fixed":
                yield pytest.param(bad, fixed, id=fixed.name)


def _bad_examples(pages):
    for page in pages:
        for example in examples(pages_dir() / f"{page}.md"):
            if example.kind == "bad" and example.language == "python":
                yield pytest.param(example, id=example.name)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(EXPECT_MARK.sub("", text), encoding="utf-8")


def _read(root: Path, names) -> dict[str, str]:
    return {name: (root / name).read_text(encoding="utf-8") for name in names}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fix(root: Path, rule: str, mode: str = "apply", unsafe: bool = True):
    settings = Settings(root=root, select=[rule])
    return run([Path(".")], settings, fixes=FixRequest(mode, unsafe))


def check(*args: str):
    return CliRunner().invoke(main, ["check", "--isolated", *args])


# -- the rule pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "fixed"), list(_pairs()))
def test_fixed_block_is_what_fix_produces(bad, fixed, project):
    _write(project, bad.files)
    result = fix(project, bad.rule)
    assert _read(project, fixed.files) == fixed.files
    assert not [f for f in result.findings if f.rule == bad.rule]


@pytest.mark.parametrize("example", list(_bad_examples(HOISTING_PAGES)))
def test_bad_example_fixes_to_passing_code_once(example, project):
    _write(project, example.files)
    before = _read(project, example.files)
    result = fix(project, example.rule)
    after = _read(project, example.files)
    if after == before:
        assert result.fixed == 0
        return
    assert not [f for f in result.findings if f.rule == example.rule], result.findings
    again = fix(project, example.rule)
    assert again.fixed == 0
    assert _read(project, example.files) == after
    documented = {pair.values[0].name for pair in _pairs()}
    assert example.name in documented, "a fixable Bad example is followed by its `python fixed`"


# -- the hoisting fix -------------------------------------------------------------------------

COMMENTED = '''"""Orders."""
# top comment
import boto3  # sdk

# handlers below


def lambda_handler(event, context):
    # make a client
    s3 = boto3.client(  # inline
        "s3",  # service
    )
    return s3.list_buckets()  # done
'''


def test_comments_and_formatting_are_kept(project):
    (project / "app.py").write_text(COMMENTED)
    fix(project, "LL101", unsafe=False)
    text = (project / "app.py").read_text()
    for comment in re.findall(r"#.*", COMMENTED):
        assert comment in text
    assert 's3_client = boto3.client(  # inline\n    "s3",  # service\n)\n' in text
    assert "    s3 = s3_client\n" in text
    compile(text, "app.py", "exec")


def test_several_fixes_in_one_file_reuse_one_client(project):
    (project / "app.py").write_text(
        "import boto3\n\n\n"
        "def a(event, context):\n"
        '    return boto3.client("s3").list_buckets()\n\n\n'
        "def b(event, context):\n"
        '    s3 = boto3.client("s3")\n'
        '    sqs = boto3.client("sqs")\n'
        "    return s3.list_buckets(), sqs.list_queues()\n"
    )
    result = fix(project, "LL101", unsafe=False)
    assert result.fixed == 3
    assert result.findings == []
    text = (project / "app.py").read_text()
    assert text.count('boto3.client("s3")') == 1
    assert text.count('boto3.client("sqs")') == 1
    assert "    s3 = s3_client\n" in text and "    sqs = sqs_client\n" in text


def test_existing_module_level_client_is_reused(project):
    source = (
        "import boto3\n\nS3 = boto3.client('s3')\n\n\n"
        "def handler(event, context):\n"
        "    return boto3.client( 's3' ).list_buckets()\n"
    )
    (project / "app.py").write_text(source)
    fix(project, "LL101", unsafe=False)
    assert (project / "app.py").read_text() == source.replace("boto3.client( 's3' )", "S3", 1)


def test_name_avoids_collisions(project):
    (project / "app.py").write_text(
        "import boto3\n\ns3_client = 'taken'\n\n\n"
        "def handler(event, context):\n"
        '    return boto3.client("s3").list_buckets()\n'
    )
    fix(project, "LL101", unsafe=False)
    text = (project / "app.py").read_text()
    assert '_s3_client = boto3.client("s3")\n' in text
    assert "return _s3_client.list_buckets()" in text


@pytest.mark.parametrize(
    "source",
    [
        # the argument is a local variable: it does not exist at module scope
        'import boto3\n\n\ndef handler(event, context):\n    region = "eu-west-1"\n'
        '    return boto3.client("s3", region_name=region).list_buckets()\n',
        # an argument built at run time by a call that is not an environment read
        "import boto3\nfrom botocore.config import Config\n\n\ndef handler(event, context):\n"
        '    return boto3.client("s3", config=Config(retries={})).list_buckets()\n',
        # a module-level name reassigned elsewhere: its value is not fixed
        'import boto3\n\nREGION = "a"\n\n\ndef configure():\n    global REGION\n'
        '    REGION = "b"\n\n\ndef handler(event, context):\n'
        '    return boto3.client("s3", region_name=REGION).list_buckets()\n',
        # an unresolved star import could rebind any name
        "import boto3\nfrom settings import *\n\n\ndef handler(event, context):\n"
        '    return boto3.client("s3", region_name=REGION).list_buckets()\n',
        # a session created in the function: the client cannot move without it
        "import boto3\n\n\ndef handler(event, context):\n    session = boto3.Session()\n"
        '    return session.client("s3").list_buckets()\n',
        # async code: its clients belong to one invocation's event loop
        "import boto3\n\n\nasync def handler(event, context):\n"
        '    return boto3.client("s3").list_buckets()\n',
    ],
    ids=[
        "local-argument",
        "runtime-argument",
        "reassigned-global",
        "star-import",
        "local-session",
        "async-def",
    ],
)
def test_no_fix_when_the_expression_cannot_move(source, project):
    (project / "app.py").write_text(source)
    result = fix(project, "LL101")
    assert (project / "app.py").read_text() == source
    assert [f.fix for f in result.findings if f.rule == "LL101"] == [None]


def test_no_fix_for_a_connection_used_as_a_context_manager(project):
    source = (
        "import requests\n\n\ndef handler(event, context):\n"
        "    with requests.Session() as s:\n        return s.get('u', timeout=3).text\n"
    )
    (project / "app.py").write_text(source)
    fix(project, "LL102")
    assert (project / "app.py").read_text() == source


def test_applicability(project):
    (project / "app.py").write_text(
        "import os\n\nimport boto3\n\n\n"
        "def calls_only(event, context):\n"
        '    s3 = boto3.client("s3", region_name=os.environ.get("REGION"))\n'
        "    return s3.list_buckets()\n\n\n"
        "def passes_it_on(event, context):\n"
        '    sqs = boto3.client("sqs")\n'
        "    return helper(sqs)\n\n\n"
        "def environ_index(event, context):\n"
        '    return boto3.client("sns", region_name=os.environ["REGION"]).list_topics()\n\n\n'
        "def resource(event, context):\n"
        '    return boto3.resource("dynamodb").Table("t").scan()\n\n\n'
        "def in_try(event, context):\n"
        "    try:\n"
        '        return boto3.client("sts").get_caller_identity()\n'
        "    except Exception:\n"
        "        return None\n\n\n"
        "def helper(client):\n    return client.list_queues()\n"
    )
    result = fix(project, "LL101", mode="show")
    applicability = {f.anchor.split(".")[-1]: f.fix.applicability for f in result.findings}
    assert applicability == {
        "calls_only": "safe",
        "passes_it_on": "unsafe",
        "environ_index": "unsafe",
        "resource": "unsafe",
        "in_try": "unsafe",
    }


def test_unsafe_fixes_need_the_flag(project):
    source = (
        "import redis\n\n\ndef handler(event, context):\n"
        "    return redis.Redis(host='cache').get('k')\n"
    )
    (project / "app.py").write_text(source)
    result = fix(project, "LL102", unsafe=False)
    assert (project / "app.py").read_text() == source
    assert [f.fix.applicability for f in result.findings] == ["unsafe"]
    result = fix(project, "LL102", unsafe=True)
    assert result.findings == []
    assert "redis_client = redis.Redis(host='cache')\n" in (project / "app.py").read_text()


# -- the engine -------------------------------------------------------------------------------

SIMPLE = (
    "import boto3\n\n\ndef lambda_handler(event, context):\n"
    '    s3 = boto3.client("s3")\n    return s3.list_buckets()\n'
)


def test_diff_writes_nothing_and_exits_1(project):
    (project / "app.py").write_text(SIMPLE)
    outcome = check("--diff", "--select", "LL101", ".")
    assert outcome.exit_code == 1, outcome.output
    assert (project / "app.py").read_text() == SIMPLE
    assert "--- app.py\n+++ app.py\n" in outcome.stdout
    assert '+s3_client = boto3.client("s3")\n' in outcome.stdout
    assert '-    s3 = boto3.client("s3")\n' in outcome.stdout


def test_diff_of_a_file_without_final_newline_ends_before_its_summary(project):
    (project / "app.py").write_text(
        "import boto3\n\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n"
        "    sqs = boto3.client('sqs')\n    s3.list_buckets()\n    sqs.list_queues()\n"
        '    return {"ok": True}'
    )
    outcome = check("--diff", "--select", "LL101", ".")
    assert outcome.exit_code == 1, outcome.output
    # As ruff: the diff on stdout, then the summary on stderr; a terminal shows them in that order.
    assert outcome.output.endswith(
        '     return {"ok": True}\n\\ No newline at end of file\nWould fix 2 findings in 1 file.\n'
    )


def test_diff_with_nothing_to_fix_exits_0(project):
    (project / "app.py").write_text("def lambda_handler(event, context):\n    return 1\n")
    outcome = check("--diff", "--select", "LL101", ".")
    assert outcome.exit_code == 0
    assert outcome.stdout == ""


def test_fix_reports_what_remains(project):
    (project / "app.py").write_text(SIMPLE)
    (project / "other.py").write_text(
        "import boto3\n\n\ndef handler(event, context):\n    s = boto3.Session()\n"
        '    return s.client("s3").list_buckets()\n'
    )
    outcome = check("--fix", "--select", "LL101", "--format", "concise", ".")
    assert outcome.exit_code == 1
    assert "Fixed 1 finding in 1 file." in outcome.stderr
    assert "other.py:6:" in outcome.stdout and "app.py" not in outcome.stdout
    assert "s3_client" in (project / "app.py").read_text()


def test_json_fix_field(project):
    (project / "app.py").write_text(SIMPLE)
    outcome = check("--show-fixes", "--format", "json", "--select", "LL101", ".")
    (item,) = json.loads(outcome.stdout)
    assert item["fix"] == {
        "message": "Create `s3_client` once at module scope",
        "applicability": "safe",
        "edits": [
            {
                "path": "app.py",
                "line": 2,
                "column": 1,
                "end_line": 2,
                "end_column": 1,
                "content": '\ns3_client = boto3.client("s3")\n',
            },
            {
                "path": "app.py",
                "line": 5,
                "column": 10,
                "end_line": 5,
                "end_column": 28,
                "content": "s3_client",
            },
        ],
    }
    plain = check("--format", "json", "--select", "LL101", ".")
    assert json.loads(plain.stdout)[0]["fix"] is None


def test_file_changed_on_disk_is_not_written(project, monkeypatch):
    (project / "app.py").write_text(SIMPLE)
    edited = SIMPLE + "# edited meanwhile\n"
    real = fix_engine.parse_check

    def edit_while_fixing(text: str) -> bool:
        (project / "app.py").write_text(edited)
        return real(text)

    monkeypatch.setattr(fix_engine, "parse_check", edit_while_fixing)
    result = fix(project, "LL101")
    assert (project / "app.py").read_text() == edited
    assert [s.path for s in result.not_written] == ["app.py"]
    assert "changed on disk" in result.not_written[0].reason
    assert result.fixed == 0
    assert [f.rule for f in result.findings] == ["LL101"]  # as the file now is


def test_fix_that_would_not_parse_is_dropped(project, monkeypatch):
    from lambdalint.core.finding import Edit, Fix
    from lambdalint.rules.code.ll101_client_in_handler import ClientInHandler

    def broken(self, finding, tree, node):
        start, end = tree.offsets(node)
        return Fix("break it", "safe", (Edit(tree.path, start, end, "boto3.client(("),))

    monkeypatch.setattr(ClientInHandler, "fix", broken)
    (project / "app.py").write_text(SIMPLE)
    result = fix(project, "LL101")
    assert (project / "app.py").read_text() == SIMPLE
    assert result.fixed == 0
    assert any("would not parse" in line for line in result.dropped)
    assert [f.rule for f in result.findings] == ["LL101"]


def test_fix_that_does_not_remove_the_finding_is_dropped(project, monkeypatch):
    from lambdalint.core.finding import Edit, Fix
    from lambdalint.rules.code.ll101_client_in_handler import ClientInHandler

    def useless(self, finding, tree, node):
        return Fix("add a comment", "safe", (Edit(tree.path, 0, 0, "# header\n"),))

    monkeypatch.setattr(ClientInHandler, "fix", useless)
    (project / "app.py").write_text(SIMPLE)
    result = fix(project, "LL101")
    assert (project / "app.py").read_text() == SIMPLE
    assert any("still reports" in line for line in result.dropped)


def test_permissions_are_kept(project):
    target = project / "app.py"
    target.write_text(SIMPLE)
    os.chmod(target, 0o640)
    fix(project, "LL101")
    assert "s3_client" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in project.iterdir() if p.name.endswith(".tmp")] == []


def test_crlf_and_encoding_are_kept(project):
    target = project / "app.py"
    target.write_bytes(
        ("# -*- coding: latin-1 -*-\n# café\n" + SIMPLE).replace("\n", "\r\n").encode("latin-1")
    )
    fix(project, "LL101")
    text = target.read_bytes().decode("latin-1")
    assert "\n" not in text.replace("\r\n", "")
    assert 's3_client = boto3.client("s3")\r\n' in text and "# café" in text


def test_no_fixes_without_the_flags(project, monkeypatch):
    from lambdalint.rules.code.ll101_client_in_handler import ClientInHandler

    def must_not_run(self, finding, tree, node):
        raise AssertionError("fix builders run only when fixes are asked for")

    monkeypatch.setattr(ClientInHandler, "fix", must_not_run)
    (project / "app.py").write_text(SIMPLE)
    result = run([Path(".")], Settings(root=project, select=["LL101"]))
    assert [(f.rule, f.fix) for f in result.findings] == [("LL101", None)]


# -- the LL109 timeout fix builder ------------------------------------------------------------


def _timeout_fixed(source: str, seconds=10) -> str:
    wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)
    tree = FixTree("app.py", source, wrapper)
    edits = []
    for statement in wrapper.module.body[-1].body.body:
        fix = add_timeout(None, tree, statement.body[0].value, seconds)
        if fix is not None:
            assert fix.applicability == "unsafe"
            edits.extend(fix.edits)
    return apply_edits(source, edits)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("requests.get(url)", "requests.get(url, timeout=10)"),
        ("requests.get()", "requests.get(timeout=10)"),
        ("requests.post(url, json=b, timeout=None)", "requests.post(url, json=b, timeout=10)"),
        (
            "requests.get(\n        url,\n        headers=h,\n    )",
            "requests.get(\n        url,\n        headers=h,\n        timeout=10,\n    )",
        ),
        (
            "requests.get(\n        url\n    )",
            "requests.get(\n        url,\n        timeout=10\n    )",
        ),
        ("(requests.get(url))", "(requests.get(url, timeout=10))"),
        ("requests.get(url, **options)", "requests.get(url, **options)"),
        (
            "aiohttp.ClientSession().get(url, timeout=None)",
            "aiohttp.ClientSession().get(url, timeout=None)",
        ),
    ],
)
def test_timeout_fix(call, expected):
    source = f"import aiohttp\nimport requests\n\n\ndef handler(event, context):\n    {call}\n"
    assert _timeout_fixed(source) == source.replace(call, expected)


def test_timeout_fix_needs_a_positive_number():
    source = "import requests\n\n\ndef handler(event, context):\n    requests.get(url)\n"
    assert _timeout_fixed(source, "10") == source
    assert _timeout_fixed(source, 0) == source
    assert _timeout_fixed(source, 2.5) == source.replace("(url)", "(url, timeout=2.5)")


def test_broken_fix_builder_is_an_internal_error(project, monkeypatch):
    from lambdalint.rules.code.ll101_client_in_handler import ClientInHandler

    def crash(self, finding, tree, node):
        raise RuntimeError("boom")

    monkeypatch.setattr(ClientInHandler, "fix", crash)
    (project / "app.py").write_text(SIMPLE)
    result = fix(project, "LL101")
    assert (project / "app.py").read_text() == SIMPLE
    assert sorted(f.rule for f in result.findings) == ["LL000", "LL101"]


@pytest.mark.parametrize("example", list(_bad_examples(["LL109"])))
def test_timeout_fix_on_the_ll109_examples(example, project, monkeypatch):
    """Every Bad example of LL109 passes the rule after its (unsafe) fix."""
    _write(project, example.files)
    result = fix(project, "LL109")
    assert result.fixed >= 1
    assert not [f for f in result.findings if f.rule == "LL109"]


HTTP_HANDLER = "import requests\n\n\ndef handler(event, context):\n    requests.get(URL)\n"


def _sam(timeout_line: str) -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fetcher:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n"
        f"      Handler: app.handler\n      CodeUri: src/\n{timeout_line}"
    )


@pytest.mark.parametrize(
    ("timeout_line", "written", "said"),
    [
        ("", "timeout=2", "Fetcher times out after 3 s"),  # the platform default
        ("      Timeout: 5\n", "timeout=4", "Fetcher times out after 5 s"),
        ("      Timeout: 1\n", "timeout=0.5", "Fetcher times out after 1 s"),
        ("      Timeout: 30\n", "timeout=10", "Fetcher times out after 30 s"),  # the option
        ("      Timeout: !Ref Limit\n", "timeout=10", ""),  # unknown: the option
    ],
)
def test_timeout_fix_stays_below_the_functions_timeout(project, timeout_line, written, said):
    _write(project, {"template.yaml": _sam(timeout_line), "src/app.py": HTTP_HANDLER})
    shown = fix(project, "LL109", mode="show")
    [finding] = [f for f in shown.findings if f.rule == "LL109"]
    if said:
        assert finding.fix.message == f"Add `{written}` ({said})"
        assert f"function's timeout ({said})" in finding.message
    else:
        assert finding.fix.message == f"Add `{written}`"
    fix(project, "LL109")
    assert f"requests.get(URL, {written})" in (project / "src/app.py").read_text()


def test_timeout_fix_stays_below_the_shortest_of_the_functions_sharing_the_code(project):
    template = _sam("      Timeout: 6\n") + (
        "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        "      Timeout: 4\n"
    )
    _write(project, {"template.yaml": template, "src/app.py": HTTP_HANDLER})
    fix(project, "LL109")
    assert "requests.get(URL, timeout=3)" in (project / "src/app.py").read_text()
