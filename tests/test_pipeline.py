"""The engine's named phases, each on its own, and the fingerprints the engine sets."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import Settings
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.engine.fingerprint import flagged_text
from lambdalint.engine.run import (
    discover_sources,
    filter_findings,
    plan_run,
    sort_findings,
    suppress,
)
from lambdalint.sources import SourceFile

BAD = "import boto3\n\ndef handler(event, context):\n    a = boto3.client('s3')\n"
TEMPLATE = """Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x = 1"}
"""


def finding(rule: str, path: str, line: int, message: str = "m") -> Finding:
    return Finding(rule, Severity.WARNING, message, Span.point(path, line))


# -- phases, one at a time ----------------------------------------------------------------


def test_discover_names_the_reported_files_and_adds_the_project_as_context(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("y = 2\n")
    named = tmp_path / "a.py"
    found = discover_sources([named], Settings(root=tmp_path), {})
    assert {s.path.name for s in found.sources} == {"a.py", "b.py"}
    assert len(found.reported) == 1 and next(iter(found.reported)).endswith("a.py")


def test_discover_takes_overlay_paths_that_do_not_exist(tmp_path):
    ghost = tmp_path / "ghost.py"
    found = discover_sources([ghost], Settings(root=tmp_path, project_context=False), {ghost: "x"})
    assert [(s.path, s.text) for s in found.sources] == [(ghost, "x")]
    assert found.skipped == []


def test_filter_keeps_enabled_rules_on_reported_files_and_every_internal_error():
    findings = [
        finding("LL101", "a.py", 1),
        finding("LL102", "a.py", 2),
        finding("LL101", "context.py", 3),
        finding("LL000", "context.py", 1),
    ]
    kept = filter_findings(findings, {"LL101"}, {"a.py"})
    assert [(f.rule, f.path) for f in kept] == [("LL101", "a.py"), ("LL000", "context.py")]


def test_suppress_applies_per_file_ignores_and_severities(tmp_path):
    settings = Settings(
        root=tmp_path,
        select=["LL101", "LL102"],
        per_file_ignores={"tests/*": ["LL101"]},
        severity={"LL102": Severity.ERROR},
    )
    kept = suppress(
        [finding("LL101", "tests/t.py", 1), finding("LL102", "tests/t.py", 2)],
        [],
        plan_run(settings),
    )
    assert [(f.rule, f.severity) for f in kept] == [("LL102", Severity.ERROR)]


def test_sort_orders_by_place_and_drops_duplicates():
    b, a2, a1 = (
        finding("LL101", "b.py", 1),
        finding("LL101", "a.py", 2),
        finding("LL101", "a.py", 1),
    )
    assert sort_findings([b, a2, a1, b]) == [a1, a2, b]


# -- fingerprints ---------------------------------------------------------------------------


def test_every_finding_gets_a_fingerprint(lint):
    result = lint({"app.py": BAD, "template.yaml": TEMPLATE}, select=["LL101", "LL201"])
    assert {f.rule for f in result.findings} == {"LL101", "LL201"}
    assert all(len(f.fingerprint) == 32 for f in result.findings)


def test_fingerprints_survive_lines_inserted_above(lint):
    before = lint({"app.py": BAD, "template.yaml": TEMPLATE}, select=["LL101", "LL201"])
    moved_code = BAD.replace("import boto3\n", "import boto3\nimport json\n\n\nX = 1\n")
    moved_template = "# a comment\nAWSTemplateFormatVersion: '2010-09-09'\n" + TEMPLATE
    after = lint({"app.py": moved_code, "template.yaml": moved_template}, select=["LL101", "LL201"])
    assert [f.span.line for f in after.findings] != [f.span.line for f in before.findings]
    assert [f.fingerprint for f in after.findings] == [f.fingerprint for f in before.findings]


def test_identical_code_twice_gets_two_fingerprints_and_an_edit_changes_one(lint):
    twice = BAD + "    b = boto3.client('s3')\n"
    first = lint({"app.py": twice}, select=["LL101"]).findings
    assert len({f.fingerprint for f in first}) == 2
    edited = lint({"app.py": twice.replace("'s3')\n", "'sqs')\n", 1)}, select=["LL101"]).findings
    assert len({f.fingerprint for f in first} & {f.fingerprint for f in edited}) == 1


def test_fingerprint_does_not_depend_on_the_working_directory(lint, tmp_path, monkeypatch):
    here = lint({"app.py": BAD}, select=["LL101"]).findings[0].fingerprint
    monkeypatch.chdir(tmp_path.parent)
    from lambdalint.engine.run import run

    there = run([tmp_path], Settings(root=tmp_path, select=["LL101"])).findings[0]
    assert there.path != "app.py" and there.fingerprint == here


def test_flagged_text_normalises_whitespace_and_widens_points_to_the_line():
    lines = ["x = boto3.client(  's3',", "    region_name='eu')"]
    assert flagged_text(Span("a.py", 1, 5, 2, 22), lines) == "boto3.client( 's3', region_name='eu')"
    assert flagged_text(Span.point("a.py", 2, 1), lines) == "region_name='eu')"


def test_source_file_in_memory_is_not_read_from_disk(tmp_path):
    from lambdalint.sources import read_text

    source = SourceFile(tmp_path / "none.py", "none.py", "python", tmp_path, True, "x = 1\n")
    assert read_text(source, 100) == ("x = 1\n", None)
    assert read_text(source, 3)[1].rule == "LL001"
    assert not Path(source.path).exists()


def test_reporters_get_each_rules_page_under_the_configured_base(lint):
    default = lint({"app.py": BAD}, select=["LL101"])
    assert default.help_urls["LL101"].endswith("/rules/LL101.md")
    based = lint({"app.py": BAD}, select=["LL101"], help_url_base="https://docs.example.com/r/")
    assert based.help_urls["LL101"] == "https://docs.example.com/r/LL101.md"
    assert set(based.help_urls) >= {"LL000", "LL001", "LL002", "LL101", "LL201"}
