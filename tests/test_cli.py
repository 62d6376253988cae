"""The command line: output formats, exit codes, configuration errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.core.rule import all_rules

BAD = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n"
GOOD = "import boto3\n\ns3 = boto3.client('s3')\n\ndef handler(event, context):\n    return s3\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
        return tmp_path

    return write


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_text_output_has_headline_frame_and_summary(project):
    project({"app.py": BAD})
    result = invoke("check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "app.py:4:12: LL101 [warning] `boto3.client()` creates an AWS SDK client"
    )
    assert "4 |     return boto3.client('s3')" in result.output
    assert "  |            ^^^^^^^^^^^^^^^^^^ LL101" in result.output
    assert lines[-2] == "Found 1 finding (0 errors, 1 warning, 0 info) in 1 file."
    assert "\x1b[" not in result.output


def test_color_always_colours_the_output(project):
    project({"app.py": BAD})
    assert "\x1b[" in invoke("check", "--color", "always").output


def test_clean_project_exits_zero(project):
    project({"app.py": GOOD})
    result = invoke("check", ".")
    assert result.exit_code == 0
    assert "All checks passed" in result.output


def test_json_objects_have_exactly_the_documented_keys(project):
    project({"app.py": BAD})
    result = invoke("check", "--format", "json", ".")
    items = json.loads(result.output)
    assert len(items) == 1
    assert set(items[0]) == {
        "rule", "name", "severity", "message", "path", "line", "column",
        "end_line", "end_column", "fix", "related",
    }  # fmt: skip
    item = items[0]
    assert (item["rule"], item["name"], item["severity"]) == (
        "LL101",
        "client-in-handler",
        "warning",
    )
    assert (item["path"], item["line"], item["column"], item["end_line"], item["end_column"]) == (
        "app.py", 4, 12, 4, 30,
    )  # fmt: skip
    assert item["related"] == [
        {"path": "app.py", "line": 3, "column": 5, "message": "handler app.handler"}
    ]


def test_concise_is_one_line_per_finding(project):
    project({"app.py": BAD, "b.py": BAD})
    lines = invoke("check", "--format", "concise").output.splitlines()
    assert len(lines) == 4 and lines[0].startswith("app.py:4:12: LL101")
    assert lines[2].startswith("Found 2 findings")


def test_fail_on_and_exit_zero(project):
    project({"app.py": BAD})
    assert invoke("check", "--fail-on", "error").exit_code == 0
    assert invoke("check", "--exit-zero").exit_code == 0
    assert invoke("check", "--fail-on", "info").exit_code == 1


def test_select_ignore_by_id_name_prefix(project):
    project({"app.py": BAD})
    assert invoke("check", "--ignore", "LL101").exit_code == 0
    assert invoke("check", "--ignore", "client-in-handler").exit_code == 0
    assert invoke("check", "--select", "LL102").exit_code == 0
    assert invoke("check", "--select", "LL1").exit_code == 1
    assert invoke("check", "--select", "LL1", "--ignore", "LL101,LL102").exit_code == 0


def test_unknown_rule_on_the_command_line_is_a_usage_error(project):
    project({"app.py": GOOD})
    result = invoke("check", "--select", "LL999")
    assert result.exit_code == 2 and "LL999" in result.output


def test_config_error_names_file_and_line_and_exits_2(project):
    project(
        {"app.py": GOOD, "pyproject.toml": '[tool.lambdalint]\nselect = ["LL1"]\ncolour = "x"\n'}
    )
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "pyproject.toml:3: tool.lambdalint.colour: unknown key" in result.output


def test_missing_path_is_an_error(project):
    project({"app.py": GOOD})
    result = CliRunner().invoke(main, ["check", "nope.py"])
    assert result.exit_code == 2 and "nope.py" in result.output


def test_missing_directory_is_an_error_line_and_never_a_pass(project):
    project({"app.py": GOOD})
    result = CliRunner().invoke(main, ["check", "nope/"])
    assert result.exit_code == 2
    assert "lambdalint: error: nope: no such file or directory" in result.output
    assert "passed" not in result.output
    assert result.output.splitlines()[-1] == "No findings in 0 files checked; 1 path not found."


def test_missing_path_wins_over_findings_and_exit_zero(project):
    project({"app.py": BAD})
    result = CliRunner().invoke(main, ["check", "app.py", "nope.py"])
    assert result.exit_code == 2
    assert "app.py:4:12: LL101" in result.output
    assert result.output.splitlines()[-2].endswith("in 1 file. 1 path not found.")
    assert CliRunner().invoke(main, ["check", "--exit-zero", "nope.py"]).exit_code == 2


def test_rules_lists_the_default_rules_and_all_of_them_with_all(project):
    output = invoke("rules").output
    assert "LL101  client-in-handler" in output and "warning" in output
    assert "LL002" not in output and "LL110" not in output
    every = invoke("rules", "--all").output
    assert "LL101  client-in-handler" in every and "LL110  sdk-default-timeouts" in every
    assert len(every.splitlines()) == len(all_rules())
    items = json.loads(invoke("rules", "--all", "--format", "json").output)
    assert {"id": "LL002", "default": False}.items() <= next(
        i for i in items if i["id"] == "LL002"
    ).items()
    assert "LL002" not in {i["id"] for i in json.loads(invoke("rules", "--format", "json").output)}
    ll109 = next(i for i in items if i["id"] == "LL109")
    assert (ll109["scope"], ll109["fix"]) == ("code", "unsafe")
    assert ll109["anchors"] == ["B113", "S7618", "semgrep use-timeout"]
    assert next(i for i in items if i["id"] == "LL104")["scope"] == "project"


def test_explain_by_id_and_by_name(project):
    by_id = invoke("explain", "LL101").output
    assert by_id.startswith("# LL101 client-in-handler")
    assert "Severity: **warning** · default: **on**" in by_id
    assert "fix: **safe** · reads: **code**" in by_id
    assert "Also known as: S6243, CodeGuru lambda-client-reuse, PW001-PW003\n" in by_id
    assert invoke("explain", "client-in-handler").output == by_id
    assert invoke("explain", "nope").exit_code == 2


def test_statistics(project):
    project({"app.py": BAD, "b.py": BAD})
    assert invoke("check", "--statistics").output.splitlines() == [
        "count  fixable  rule   name",
        "    2        0  LL101  client-in-handler",  # hoisting out of a `return` is unsafe
        "    2        0  total",
    ]


def test_statistics_as_json(project):
    project({"app.py": BAD, "b.py": BAD})
    output = invoke("check", "--statistics", "--format", "json").output
    assert json.loads(output) == [
        {
            "rule": "LL101",
            "name": "client-in-handler",
            "count": 2,
            "fixable": 0,
            "unsafe_fixable": 2,
        }
    ]


@pytest.mark.parametrize(
    ("env", "flag", "coloured"),
    [
        ({"NO_COLOR": "1"}, "auto", False),
        ({"FORCE_COLOR": "1"}, "auto", True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, "auto", False),
        ({"NO_COLOR": ""}, "auto", False),  # not a terminal, and an empty NO_COLOR means unset
        ({"FORCE_COLOR": "1"}, "never", False),
        ({"NO_COLOR": "1"}, "always", True),
    ],
)
def test_no_color_and_force_color(project, monkeypatch, env, flag, coloured):
    project({"app.py": BAD})
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert ("\x1b[" in invoke("check", "--color", flag).output) is coloured


def test_command_line_select_resets_the_configured_extend_select(project):
    project({"app.py": BAD, "lambdalint.toml": 'extend-select = ["LL101"]\n'})
    assert invoke("check", "--select", "LL102").exit_code == 0
    assert invoke("check", "--select", "LL102", "--extend-select", "LL101").exit_code == 1
    assert invoke("check").exit_code == 1


def test_module_entry_point_prints_the_version():
    result = subprocess.run(
        [sys.executable, "-m", "lambdalint", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("lambdalint, version ")


HOISTABLE = (
    "import boto3\nimport requests\n\n\ndef handler(event, context):\n"
    '    s3 = boto3.client("s3")\n    requests.get("https://x")\n    return s3.list_buckets()\n'
)


@pytest.mark.parametrize("output_format", ["text", "concise"])
def test_fixable_findings_are_marked_and_counted_as_ruff_does(project, output_format):
    project({"app.py": HOISTABLE})
    lines = invoke("check", "--format", output_format).output.splitlines()
    assert "app.py:6:10: LL101 [*] [warning] `boto3.client()`" in lines[0]
    assert any(line.startswith("app.py:7:5: LL109 [warning]") for line in lines)  # unsafe
    assert (
        lines[-1] == "[*] 1 fixable with --fix (1 hidden fix can be enabled with --unsafe-fixes)."
    )
    unsafe = invoke("check", "--format", output_format, "--unsafe-fixes").output.splitlines()
    assert any(line.startswith("app.py:7:5: LL109 [*] [warning]") for line in unsafe)
    assert unsafe[-1] == "[*] 2 fixable with --fix."


def test_nothing_fixable_adds_no_line(project):
    project({"app.py": GOOD.replace("return s3", "return s3.list_buckets(Bucket='b')")})
    assert (
        invoke("check", "--select", "LL106").output.splitlines()[-1].startswith("Found 1 finding")
    )


@pytest.mark.parametrize("output_format", ["text", "concise"])
def test_show_fixes_puts_the_diff_under_the_finding(project, output_format):
    project({"app.py": HOISTABLE})
    output = invoke("check", "--format", output_format, "--show-fixes").output
    hoist = (
        "  = help: Create `s3_client` once at module scope (safe fix)\n"
        "    @@ -3,5 +3,7 @@\n"
        "     \n"
        '    +s3_client = boto3.client("s3")\n'
        "    +\n"
        "     \n"
        "     def handler(event, context):\n"
        '    -    s3 = boto3.client("s3")\n'
        "    +    s3 = s3_client\n"
    )
    assert hoist in output
    assert "  = help: Add `timeout=10` (unsafe fix)\n" in output
    assert '    +    requests.get("https://x", timeout=10)\n' in output
    assert output.index("LL101 [*]") < output.index(hoist) < output.index("LL109")
    assert "@@" not in invoke("check", "--format", output_format).output
    assert (project({}) / "app.py").read_text() == HOISTABLE  # shown, never written
