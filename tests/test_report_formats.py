"""The machine formats, each read back as its consumer reads it."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.core.finding import Finding, RunResult, Severity
from lambdalint.core.span import LineIndex, Span, lsp_position
from lambdalint.report import github, gitlab, json_lines, junit, lsp_json, sarif
from lambdalint.report import json as json_format

FIXTURES = Path(__file__).parent / "fixtures"
BAD = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
FIXABLE = "import boto3\n\ndef handler(event, context):\n    s3 = boto3.client('s3')\n    return s3.list_buckets()\n"
GOOD = "import boto3\n\ns3 = boto3.client('s3')\n\ndef handler(event, context):\n    return s3\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write


def invoke(*args: str):
    return CliRunner().invoke(main, ["check", "--no-cache", *args], catch_exceptions=False)


SPAN = Span("app.py", 4, 12, 4, 30)


def finding(rule="LL101", message="m", span=SPAN, **extra) -> Finding:
    return Finding(rule, Severity.WARNING, message, span, **extra)


# -- the option names ---------------------------------------------------------------------


def test_output_format_and_its_old_name_format_agree(project):
    project({"app.py": BAD})
    new = invoke("--output-format", "concise").output
    assert new == invoke("--format", "concise").output
    assert new.startswith("app.py:4:12: LL101")


def test_output_file_receives_the_findings_and_stdout_stays_empty(project):
    root = project({"app.py": BAD})
    result = invoke("--output-format", "json", "-o", "out.json", "--color", "always")
    assert result.exit_code == 1 and result.output == ""
    assert json.loads((root / "out.json").read_text())[0]["rule"] == "LL101"


def test_quiet_prints_findings_only(project):
    project({"app.py": BAD})
    output = invoke("--quiet", "--format", "concise").output
    assert output.splitlines() == [invoke("--format", "concise").output.splitlines()[0]]
    project({"app.py": GOOD})
    assert invoke("--quiet").output == ""


def test_exit_non_zero_on_fix_even_when_nothing_remains(project):
    project({"app.py": FIXABLE})
    assert invoke("--fix", "--exit-non-zero-on-fix").exit_code == 1
    assert invoke("--fix", "--exit-non-zero-on-fix").exit_code == 0  # nothing left to fix
    project({"app.py": FIXABLE})
    assert invoke("--fix").exit_code == 0


def test_statistics_json_counts_fixable_findings_per_rule(project):
    project(
        {
            "app.py": FIXABLE,
            "b.py": FIXABLE,
            "c.py": "import requests\n\ndef handler(event, context):\n    requests.get('https://x')\n",
        }
    )
    rows = json.loads(invoke("--statistics", "--output-format", "json").output)
    assert rows[0] == {
        "rule": "LL101", "name": "client-in-handler", "count": 2, "fixable": 2, "unsafe_fixable": 0
    }  # fmt: skip
    ll109 = next(row for row in rows if row["rule"] == "LL109")
    assert (ll109["fixable"], ll109["unsafe_fixable"]) == (0, 1)  # its timeout fix is unsafe
    text = invoke("--statistics").output.splitlines()
    assert text[-1] == "    3        2  total"


# -- SARIF ---------------------------------------------------------------------------------


def sarif_schema() -> dict:
    """The official schema, from `shared/schemas/` beside the clone (or above a worktree)."""
    for folder in Path(__file__).resolve().parents[1].parents:
        candidate = folder / "shared" / "schemas" / "sarif-2.1.0.json"
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    pytest.skip("shared/schemas/sarif-2.1.0.json is not beside the repository")


@pytest.fixture
def every_family(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with findings from every rule family (tool, code, config, iam, events, and the
    project rules that read code and template together)."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "every_family", root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def sarif_of(*args: str) -> dict:
    return json.loads(invoke("--output-format", "sarif", *args).output)


def test_sarif_with_every_rule_family_validates_against_the_official_schema(every_family):
    import jsonschema

    log = sarif_of()
    jsonschema.validate(log, sarif_schema())
    run = log["runs"][0]
    families = {result["ruleId"][:3] for result in run["results"]}
    assert families == {"LL0", "LL1", "LL2", "LL3", "LL4", "LL5"}
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_driver_lists_every_selected_rule_with_its_metadata(every_family):
    from lambdalint.core.rule import all_rules

    driver = sarif_of("--select", "LL1,LL3")["runs"][0]["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    selected = {
        i for i in all_rules() if i.startswith(("LL1", "LL3")) and all_rules()[i].meta.default
    }
    assert selected <= set(ids) and "LL201" not in ids and ids == sorted(ids)
    assert {"name", "version", "informationUri"} <= set(driver)
    ll101 = driver["rules"][ids.index("LL101")]
    assert ll101["name"] == "client-in-handler"
    assert ll101["helpUri"].endswith("/rules/LL101.md")
    assert ll101["defaultConfiguration"]["level"] == "warning"
    assert ll101["shortDescription"]["text"] and ll101["fullDescription"]["text"]
    assert "code" in ll101["properties"]["tags"]
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert levels["LL301"] == "error"


def test_sarif_results_locate_relative_to_the_repository_root(every_family, monkeypatch):
    (every_family / "sub").mkdir()
    monkeypatch.chdir(every_family / "sub")
    run = sarif_of("..")["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == every_family.resolve().as_uri() + "/"
    ll101 = next(r for r in run["results"] if r["ruleId"] == "LL101")
    location = ll101["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 7, "startColumn": 10, "endLine": 7, "endColumn": 28}
    assert ll101["level"] == "warning"
    related = ll101["relatedLocations"][0]
    assert related["message"]["text"] == "handler app.handler"
    assert related["physicalLocation"]["region"]["startLine"] == 6


def test_sarif_carries_the_fix_as_replacements(every_family):
    import jsonschema

    log = sarif_of()
    ll101 = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "LL101")
    (change,) = ll101["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "app.py"
    inserted = "".join(r["insertedContent"]["text"] for r in change["replacements"])
    assert 'boto3.client("s3")' in inserted
    assert ll101["fixes"][0]["description"]["text"].endswith("(safe)")
    jsonschema.validate(log, sarif_schema())


def test_sarif_partial_fingerprints_come_from_the_engine_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = RunResult(findings=[finding(fingerprint="abc123"), finding(rule="LL102")])
    results = sarif.sarif_log(result)["runs"][0]["results"]
    assert results[0]["partialFingerprints"] == {"lambdalint/v1": "abc123"}
    assert "partialFingerprints" not in results[1]  # never invented by the reporter


def test_sarif_fingerprints_survive_lines_inserted_above(every_family):
    def fingerprints() -> list[tuple[str, str]]:
        results = sarif_of()["runs"][0]["results"]
        return sorted((r["ruleId"], r["partialFingerprints"]["lambdalint/v1"]) for r in results)

    before = fingerprints()
    for name in ("app.py", "template.yaml"):
        path = every_family / name
        path.write_text("# a comment\n# and another\n" + path.read_text())
    assert fingerprints() == before


# -- GitHub annotations --------------------------------------------------------------------


def test_github_annotation_per_finding_with_severity_command(project):
    project({"app.py": BAD})
    (line,) = invoke("--output-format", "github").output.splitlines()
    assert line.startswith(
        "::warning file=app.py,line=4,col=12,endLine=4,endColumn=30,"
        "title=LL101 client-in-handler::`boto3.client()` creates"
    )


def test_github_escapes_as_the_runner_unescapes():
    text = finding(message="50% off\r\nnext: a,b", span=Span("dir,x/a:b.py", 1, 1, 1, 2))
    line = github.annotation(replace(text, severity=Severity.INFO), {"LL101": "client-in-handler"})
    assert line == (
        "::notice file=dir%2Cx/a%3Ab.py,line=1,col=1,endLine=1,endColumn=2,"
        "title=LL101 client-in-handler::50%25 off%0D%0Anext: a,b"
    )
    assert github.annotation(replace(text, severity=Severity.ERROR), {}).startswith("::error ")


# -- GitLab Code Quality -------------------------------------------------------------------


def test_gitlab_report_has_the_keys_gitlab_requires(every_family, monkeypatch):
    (every_family / "sub").mkdir()
    monkeypatch.chdir(every_family / "sub")
    issues = json.loads(invoke("--output-format", "gitlab", "..").output)
    assert issues
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["lines"]["begin"], int)
        assert not issue["location"]["path"].startswith(("/", ".."))
    ll101 = next(i for i in issues if i["check_name"] == "LL101")
    assert ll101["location"] == {"path": "app.py", "lines": {"begin": 7, "end": 7}}
    assert ll101["severity"] == "major"
    assert {i["severity"] for i in issues if i["check_name"] == "LL301"} == {"critical"}


def test_gitlab_fingerprint_is_the_engine_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rendered = gitlab.render(RunResult(findings=[finding(fingerprint="f1")]))
    assert json.loads(rendered)[0]["fingerprint"] == "f1"


# -- JUnit ---------------------------------------------------------------------------------


def test_junit_has_one_case_per_rule_per_file(project):
    project({"app.py": BAD.replace("return", "a = boto3.client('sqs')\n    return"), "b.py": BAD})
    root = ElementTree.fromstring(invoke("--output-format", "junit").output.encode())
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "2"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"app.py", "b.py"}
    (case,) = suites["app.py"].findall("testcase")
    assert case.get("name") == "LL101 client-in-handler" and case.get("classname") == "app.py"
    failure = case.find("failure")
    assert failure.get("type") == "LL101" and failure.get("message").startswith("2 findings")
    assert failure.text.count("app.py:") == 2


def test_junit_clean_run_is_one_passing_case(project):
    project({"app.py": GOOD})
    result = invoke("--output-format", "junit")
    root = ElementTree.fromstring(result.output.encode())
    assert result.exit_code == 0
    assert (root.get("tests"), root.get("failures")) == ("1", "0")
    assert root.find("testsuite/testcase").get("name") == "no findings in 1 file"


def test_junit_renders_text_the_parser_reads_back():
    text = 'a <b> & "c"\nnext'
    root = ElementTree.fromstring(junit.render(RunResult(findings=[finding(message=text)])))
    assert root.find("testsuite/testcase/failure").text.endswith(text)


# -- JSON lines ----------------------------------------------------------------------------


def test_json_lines_are_the_json_objects_one_a_line(project):
    project({"app.py": BAD, "b.py": BAD})
    lines = invoke("--output-format", "json-lines").output.splitlines()
    assert [json.loads(line) for line in lines] == json.loads(
        invoke("--output-format", "json").output
    )
    assert len(lines) == 2


def test_json_lines_of_nothing_is_empty():
    assert json_lines.render(RunResult()) == "" and json_format.render(RunResult()) == "[]\n"


# -- LSP JSON ------------------------------------------------------------------------------


def test_lsp_json_counts_columns_in_utf16(project):
    source = (
        "import boto3\n\ndef handler(event, context):\n    x = '😀'; return boto3.client('s3')\n"
    )
    root = project({"app.py": source})
    data = json.loads(invoke("--output-format", "lsp-json").output)
    (diagnostics,) = data.values()
    assert list(data) == [(root / "app.py").resolve().as_uri()]
    diagnostic = diagnostics[0]
    # `boto3` is code point 20 (0-based); the emoji before it takes two UTF-16 units.
    assert diagnostic["range"] == {
        "start": {"line": 3, "character": 21},
        "end": {"line": 3, "character": 39},
    }
    assert diagnostic["severity"] == 2 and diagnostic["code"] == "LL101"
    assert diagnostic["source"] == "lambdalint"
    assert diagnostic["codeDescription"]["href"].endswith("/rules/LL101.md")
    related = diagnostic["relatedInformation"][0]
    assert related["location"]["range"]["start"] == {"line": 2, "character": 4}


def test_lsp_severities():
    for severity, number in ((Severity.ERROR, 1), (Severity.WARNING, 2), (Severity.INFO, 3)):
        item = lsp_json.diagnostic(
            replace(finding(), severity=severity), lsp_json.SourceTexts({"app.py": "x\n"})
        )
        assert item["severity"] == number


def test_utf16_positions_round_trip():
    index = LineIndex("a\r\nx😀y = 1\nlast")
    assert index.position(3) == (2, 1)
    assert index.line_text(2) == "x😀y = 1"
    assert index.lsp(2, 3) == (1, 3)  # after x and the two-unit emoji
    assert index.offset_of_lsp(1, 3) == 5  # the `y`
    assert index.offset_of_lsp(9, 0) == len(index.text)
    assert lsp_position("ab", 1, 5) == (0, 4)  # past the end stays past it


def test_rule_links_follow_the_configured_help_url_base(project):
    project(
        {"app.py": BAD, "lambdalint.toml": 'help-url-base = "https://docs.example.com/rules/"\n'}
    )
    driver = json.loads(invoke("--output-format", "sarif").output)["runs"][0]["tool"]["driver"]
    ll101 = next(rule for rule in driver["rules"] if rule["id"] == "LL101")
    assert ll101["helpUri"] == "https://docs.example.com/rules/LL101.md"
    (diagnostics,) = json.loads(invoke("--output-format", "lsp-json").output).values()
    assert diagnostics[0]["codeDescription"]["href"] == "https://docs.example.com/rules/LL101.md"
