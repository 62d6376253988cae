"""Which frontend reads which file, and honest counts of what was checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.cli import main
from lambdalint.frontends.registry import FRONTENDS, frontend_for

SERVERLESS = """service: orders
provider:
  name: aws
  runtime: python3.8
  iam:
    role:
      statements:
        - Effect: Allow
          Action: "*"
          Resource: "*"
functions:
  hello:
    handler: handler.hello
"""
TERRAFORM = """resource "aws_lambda_function" "f" {
  function_name = "f"
  runtime       = "python3.8"
  handler       = "app.handler"
}
"""
TEMPLATE = """AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: app.handler, Role: r, Timeout: 10,
      MemorySize: 256, Code: {ZipFile: x}}
"""


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


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("app.py", "python"),
        ("template.yaml", "template"),
        ("stack.template", "template"),
        ("cdk.out/App.template.json", "template"),
        ("serverless.yml", "serverless"),
        ("Serverless.YAML", "serverless"),
        ("serverless.json", "serverless"),
        ("main.tf", "terraform"),
        ("README.md", None),
    ],
)
def test_files_are_claimed_by_name(name, kind):
    frontend = frontend_for(Path(name))
    assert (frontend.kind if frontend else None) == kind


def test_one_registration_per_kind():
    kinds = [frontend.kind for frontend in FRONTENDS]
    assert len(kinds) == len(set(kinds))


def test_files_no_frontend_reads_are_not_counted_and_are_named(project):
    project({"notes.txt": "hello\n", "Dockerfile": "FROM python\n"})
    result = invoke("check", "--isolated", "notes.txt", "Dockerfile")
    assert result.exit_code == 0
    assert "All checks passed" not in result.stdout
    assert result.stdout.strip() == "Nothing checked (0 files)."
    assert "passed over notes.txt: no frontend reads this kind of file" in result.stderr
    assert "passed over Dockerfile: no frontend reads this kind of file" in result.stderr


def test_terraform_and_serverless_files_are_checked(project):
    project({"main.tf": TERRAFORM, "serverless.yml": SERVERLESS})
    result = invoke(
        "check",
        "--isolated",
        "--select",
        "LL204",
        "--format",
        "concise",
        "main.tf",
        "serverless.yml",
    )
    assert [line.split(" ")[0] for line in result.stdout.splitlines()[:2]] == [
        "main.tf:3:19:",
        "serverless.yml:4:12:",
    ]


def test_yaml_that_is_not_a_template_is_passed_over_not_checked(project):
    project(
        {
            "app.py": "def handler(event, context):\n    return 1\n",
            ".github/workflows/ci.yml": "name: ci\non: [push]\n",
            "template.yaml": TEMPLATE,
            "notes.txt": "hello\n",
        }
    )
    quiet = invoke("check", "--isolated", "--select", "LL201", ".")
    assert quiet.stdout.splitlines()[-1] == "All checks passed (2 files checked)."
    assert "passed over" not in quiet.stderr
    verbose = invoke("check", "--isolated", "--select", "LL201", "--verbose", ".")
    assert (
        "passed over .github/workflows/ci.yml: not a CloudFormation or SAM template"
        in verbose.stderr
    )
    assert "passed over notes.txt: no frontend reads this kind of file" in verbose.stderr


def test_a_named_file_that_turns_out_not_to_be_a_template_is_said_so(project):
    project({"package.json": '{"name": "x"}\n'})
    result = invoke("check", "--isolated", "package.json")
    assert "passed over package.json: not a CloudFormation or SAM template" in result.stderr
    assert result.stdout.startswith("Nothing checked (0 files)")


def test_precommit_hook_sends_only_files_a_frontend_reads():
    import yaml

    hooks = yaml.safe_load((Path(__file__).parents[1] / ".pre-commit-hooks.yaml").read_text())
    example = {"python": "a.py", "yaml": "a.yaml", "json": "a.json", "terraform": "a.tf"}
    for hook in hooks:
        for kind in hook["types_or"]:
            assert frontend_for(Path(example[kind])) is not None, kind


# -- a frontend that assembles several files into one model -----------------------------------

CALLS: list[list[str]] = []


def joined_unit(sources, texts, parse):
    """A stand-in for the Terraform frontend: one model for the unit, on its first file."""
    from lambdalint.frontends.registry import Analysis

    CALLS.append([source.display for source in sources])
    joined = "".join(text or "" for text in texts)
    return [Analysis(model=joined if index == 0 else None) for index in range(len(sources))]


@pytest.fixture
def unit_frontend(monkeypatch):
    from lambdalint.frontends import registry

    frontend = registry.Frontend(
        "unit", "unit files", frozenset({".unit"}), f"{__name__}:joined_unit", assembles=True
    )
    monkeypatch.setattr(registry, "FRONTENDS", (*registry.FRONTENDS, frontend))
    CALLS.clear()
    return frontend


def test_a_named_file_of_an_assembling_frontend_brings_its_unit_and_its_overlay(
    tmp_path, unit_frontend
):
    from lambdalint.config import Settings
    from lambdalint.engine.run import analyse, discover_sources, plan_run

    module = tmp_path / "module"
    (module / "nested").mkdir(parents=True)
    (module / "a.unit").write_text("A")
    (module / "b.unit").write_text("B on disk")
    (module / "nested" / "c.unit").write_text("C")
    settings = Settings(root=tmp_path, project_context=False, cache=False)
    named = module / "a.unit"
    found = discover_sources([named], settings, {module / "b.unit": "B in memory"})
    assert [s.path.name for s in found.sources] == ["a.unit", "b.unit"]
    assert [s.path.name for s in found.sources if s.display in found.reported] == ["a.unit"]
    results = analyse(found.sources, plan_run(settings))
    assert len(CALLS) == 1  # one call for the unit, not one per file
    assert [r.template for r in results] == ["AB in memory", None]


def test_units_are_directories(tmp_path, unit_frontend):
    from lambdalint.config import Settings
    from lambdalint.engine.run import analyse, discover_sources, plan_run

    for name in ("x/a.unit", "x/b.unit", "y/c.unit"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name)
    settings = Settings(root=tmp_path, cache=False)
    found = discover_sources([tmp_path], settings, {})
    results = analyse(found.sources, plan_run(settings))
    assert sorted([Path(p).name for p in call] for call in CALLS) == [
        ["a.unit", "b.unit"],
        ["c.unit"],
    ]
    assert {r.source.path.name: r.template for r in results} == {
        "a.unit": "x/a.unitx/b.unit",
        "b.unit": None,
        "c.unit": "y/c.unit",
    }


def test_a_named_file_the_configuration_excludes_is_passed_over_quietly(project):
    project({"legacy/app.py": "x = 1\n", "lambdalint.toml": "exclude = ['legacy/']\n"})
    quiet = invoke("check", "legacy/app.py")
    assert quiet.stdout.startswith("Nothing checked (0 files)") and quiet.stderr == ""
    verbose = invoke("check", "--verbose", "legacy/app.py")
    assert "passed over legacy/app.py: excluded by the configuration" in verbose.stderr
