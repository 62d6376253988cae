"""The README's CI snippets, run as written, their output read as each product reads it."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from click.testing import CliRunner
from test_report_formats import sarif_schema

from lambdalint.cli import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "every_family"
ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
    r"title=LL\d{3} [a-z0-9-]+::\S.*$"
)


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    return text[start : text.index("\n## ", start + 1)]


def yaml_blocks() -> list[dict]:
    blocks = re.findall(r"```yaml\n(.*?)```", readme_section("In CI"), re.DOTALL)
    return [yaml.safe_load(block) for block in blocks]


def jobs(block: dict) -> list[dict]:
    """A GitHub workflow's jobs, or a GitLab file's (top-level keys holding a script)."""
    if "jobs" in block:
        return list(block["jobs"].values())
    return [job for job in block.values() if isinstance(job, dict) and "script" in job]


def gitlab_job(report: str) -> dict:
    (job,) = [
        job
        for block in yaml_blocks()
        for job in jobs(block)
        if report in job.get("artifacts", {}).get("reports", {})
    ]
    return job


def commands(block: dict) -> list[str]:
    """The `lambdalint check` commands of a GitHub workflow or GitLab job(s)."""
    found = []
    for job in jobs(block) if "script" not in block else [block]:
        lines = job.get("script", []) + [step.get("run", "") for step in job.get("steps", [])]
        found += [line for line in lines if line.startswith("lambdalint check")]
    return found


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURE, root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def run_as_written(command: str):
    args = shlex.split(command)
    assert args[0] == "lambdalint"
    return CliRunner().invoke(main, [*args[1:], "--no-cache"], catch_exceptions=False)


def test_the_readme_has_the_three_ci_snippets():
    formats = [
        shlex.split(command)[shlex.split(command).index("--output-format") + 1]
        for block in yaml_blocks()
        for command in commands(block)
    ]
    assert formats == ["sarif", "gitlab", "junit"]


def test_github_job_uploads_sarif_that_code_scanning_accepts(repo: Path):
    import jsonschema

    (workflow,) = [block for block in yaml_blocks() if "jobs" in block]
    steps = workflow["jobs"]["lambdalint"]["steps"]
    assert workflow["jobs"]["lambdalint"]["permissions"]["security-events"] == "write"
    (upload,) = [
        s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")
    ]
    (command,) = commands(workflow)
    assert run_as_written(command).exit_code == 1  # findings: the upload step runs `if: always()`
    log = json.loads((repo / upload["with"]["sarif_file"]).read_text())
    jsonschema.validate(log, sarif_schema())
    results = log["runs"][0]["results"]
    assert results and all(r["partialFingerprints"]["lambdalint/v1"] for r in results)
    assert upload["if"] == "always()"


def test_github_annotations_line_as_the_runner_parses_them(repo: Path):
    (command,) = re.findall(r"`- run: (lambdalint check [^`]*)`", readme_section("In CI"))
    lines = run_as_written(command).output.splitlines()
    assert lines and all(ANNOTATION.match(line) for line in lines), lines


def test_gitlab_job_writes_the_codequality_report_gitlab_reads(repo: Path):
    job = gitlab_job("codequality")
    (command,) = commands(job)
    run_as_written(command)
    issues = json.loads((repo / job["artifacts"]["reports"]["codequality"]).read_text())
    assert issues
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["check_name"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert all(fingerprints) and len(set(fingerprints)) == len(fingerprints)  # GitLab dedupes
    assert job["artifacts"]["when"] == "always"


def test_junit_job_writes_xml_a_junit_reader_parses(repo: Path):
    job = gitlab_job("junit")
    (command,) = commands(job)
    run_as_written(command)
    root = ElementTree.parse(repo / job["artifacts"]["reports"]["junit"]).getroot()
    assert root.tag == "testsuites"
    cases = root.findall("testsuite/testcase")
    assert int(root.get("tests")) == len(cases) and int(root.get("failures")) == len(cases) > 0
    assert {case.get("classname") for case in cases} == {"app.py", "broken.py", "template.yaml"}


def test_editor_snippets_start_the_server_command():
    section = readme_section("In editors")
    for editor in ("Neovim", "Helix", "Emacs", "VS Code"):
        assert editor in section
    assert section.count('"lambdalint"') >= 4 and section.count('"server"') >= 4
    assert CliRunner().invoke(main, ["server", "--help"]).exit_code == 0
    assert CliRunner().invoke(main, ["lsp", "--help"]).exit_code == 0
