"""The pre-pass (engine/selection.py): libcst parses only the Python files whose facts can reach
a finding, and the findings are exactly those of parsing every file."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest

import lambdalint.engine.run as engine_run
import lambdalint.frontends.python.parse as parse_module
from lambdalint.config import CONFIG_FILES, Settings, read_config
from lambdalint.docs import examples, pages_dir
from lambdalint.engine.run import run

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT = FIXTURES / "cdk_app_with_tests"
PAGES_DATE = datetime.date(2026, 12, 1)


def _settings(root: Path, **overrides) -> Settings:
    config = next((root / name for name in CONFIG_FILES if (root / name).is_file()), None)
    settings = read_config(config) if config is not None else Settings(root=root)
    settings.select = ["ALL"]
    settings.as_of = PAGES_DATE
    settings.cache = False
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


def _findings(root: Path, monkeypatch: pytest.MonkeyPatch, pre_pass: bool, **overrides):
    monkeypatch.chdir(root)
    monkeypatch.setattr(engine_run, "PRE_PASS", pre_pass)
    result = run([Path(".")], _settings(root, **overrides))
    return [
        (f.rule, f.path, f.span.line, f.span.column, f.message, tuple(r.message for r in f.related))
        for f in result.findings
    ], result.files_checked


def _same_both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    selective = _findings(root, monkeypatch, True)
    everything = _findings(root, monkeypatch, False)
    assert selective == everything


def _page_projects():
    for page in sorted(pages_dir().glob("LL*.md")):
        for example in examples(page):
            if example.kind in ("bad", "good"):
                yield pytest.param(example.files, id=example.name)


@pytest.mark.parametrize("files", list(_page_projects()))
def test_every_page_example_finds_the_same_with_the_pre_pass(files, tmp_path, monkeypatch):
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _same_both_ways(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    "fixture", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name != "templates")
)
def test_every_fixture_finds_the_same_with_the_pre_pass(fixture, tmp_path, monkeypatch):
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    _same_both_ways(root, monkeypatch)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths libcst extracts facts from, in order."""
    seen: list[str] = []
    extract = parse_module.extract_facts

    def spy(text: str, path: str, module: str):
        seen.append(path)
        return extract(text, path, module)

    monkeypatch.setattr(parse_module, "extract_facts", spy)
    return seen


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root)
    return root


def test_cdk_app_tests_and_build_scripts_no_handler_reaches_are_not_parsed(
    tmp_path, monkeypatch, parsed
):
    findings, checked = _findings(_project(tmp_path), monkeypatch, True)
    assert sorted(parsed) == [
        "scripts/deploy.py",
        "scripts/release.py",
        "scripts/upload.py",
        "src/app.py",
        "src/helpers.py",
    ]
    # Skimmed files still count as checked: twelve Python files and the template.
    assert checked == 13
    rules = {(rule, path) for rule, path, *_ in findings}
    # The helper the handler imports is parsed: its client is on the handler path.
    assert ("LL101", "src/helpers.py") in rules
    # Build scripts holding keys (as a literal key shape, or by position) are parsed for the
    # rule that reports keys anywhere; one changing the environment at import time for LL119.
    assert ("LL108", "scripts/deploy.py") in rules
    assert ("LL108", "scripts/upload.py") in rules
    assert ("LL119", "scripts/release.py") in rules
    # Reading the environment (scripts/settings.py) is nothing LL119 reports: not parsed.


def test_everything_is_parsed_without_the_pre_pass(tmp_path, monkeypatch, parsed):
    _findings(_project(tmp_path), monkeypatch, False)
    assert len(parsed) == 12


def test_a_file_holding_only_a_suppression_still_gets_its_unused_suppression(
    tmp_path, monkeypatch, parsed
):
    findings, _ = _findings(_project(tmp_path), monkeypatch, True)
    assert "scripts/cleanup.py" not in parsed
    assert [(rule, path, line) for rule, path, line, *_ in findings if rule == "LL002"] == [
        ("LL002", "scripts/cleanup.py", 3)
    ]


def test_a_file_with_a_syntax_error_is_reported_though_nothing_reaches_it(
    tmp_path, monkeypatch, parsed
):
    root = _project(tmp_path)
    (root / "scripts" / "broken.py").write_text("def build(:\n    pass\n", encoding="utf-8")
    findings, _ = _findings(root, monkeypatch, True)
    assert [(rule, path) for rule, path, *_ in findings if rule == "LL001"] == [
        ("LL001", "scripts/broken.py")
    ]


def test_a_module_only_a_subclass_reaches_is_parsed(tmp_path, monkeypatch, parsed):
    """`self.save()` in a reached base class may run an override in a module that nothing
    the handler imports names: the subclass's module extends project code, so it is parsed."""
    root = _project(tmp_path)
    (root / "src" / "base.py").write_text(
        "class Store:\n    def run(self):\n        return self.save()\n\n"
        "    def save(self):\n        return None\n",
        encoding="utf-8",
    )
    (root / "src" / "disk.py").write_text(
        "from base import Store\n\n\nclass DiskStore(Store):\n    def save(self):\n"
        "        open('/var/task/out.txt', 'w').write('x')\n",
        encoding="utf-8",
    )
    (root / "src" / "app.py").write_text(
        "from base import Store\n\n\ndef handler(event, context):\n    return Store().run()\n",
        encoding="utf-8",
    )
    findings, _ = _findings(root, monkeypatch, True)
    assert "src/disk.py" in parsed
    assert ("LL124", "src/disk.py") in {(rule, path) for rule, path, *_ in findings}
    _same_both_ways(root, monkeypatch)


def test_a_file_skipped_once_is_parsed_when_a_template_starts_naming_it(tmp_path, monkeypatch):
    root = _project(tmp_path)
    (root / ".git").mkdir()  # the cache lives in the project
    (root / "scripts" / "job.py").write_text(
        "import boto3\n\n\ndef main(evt, payload):\n    pass\n\n\n"
        "def run(request, ctx):\n    boto3.client('s3').list_buckets()\n",
        encoding="utf-8",
    )
    findings, _ = _findings(root, monkeypatch, True, cache=True)
    assert not [f for f in findings if f[1] == "scripts/job.py"]
    template = (root / "template.yaml").read_text(encoding="utf-8")
    template += (
        "  Job:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: job.run\n      Runtime: python3.12\n      CodeUri: scripts/\n"
        "      Timeout: 10\n"
    )
    (root / "template.yaml").write_text(template, encoding="utf-8")
    findings, _ = _findings(root, monkeypatch, True, cache=True)
    assert ("LL101", "scripts/job.py") in {(rule, path) for rule, path, *_ in findings}
    assert findings == _findings(root, monkeypatch, False)[0]


def test_modules_reached_through_packages_relative_and_star_imports_are_parsed(
    tmp_path, monkeypatch, parsed
):
    root = _project(tmp_path)
    lib = root / "src" / "orders"
    lib.mkdir()
    (lib / "__init__.py").write_text("from .store import *\n", encoding="utf-8")
    (lib / "store.py").write_text(
        "from . import clients\n\n\ndef save(item):\n    return clients.make().put_item(Item=item)\n",
        encoding="utf-8",
    )
    (lib / "clients.py").write_text(
        "import boto3\n\n\ndef make():\n    return boto3.resource('dynamodb').Table('orders')\n",
        encoding="utf-8",
    )
    (lib / "unused.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / "src" / "app.py").write_text(
        "import orders\n\n\ndef handler(event, context):\n    return orders.save(event)\n",
        encoding="utf-8",
    )
    _findings(root, monkeypatch, True)
    assert {"src/orders/__init__.py", "src/orders/store.py", "src/orders/clients.py"} <= set(parsed)
    assert "src/orders/unused.py" not in parsed
    _same_both_ways(root, monkeypatch)


def test_a_module_adding_routes_to_a_handler_modules_resolver_is_parsed(
    tmp_path, monkeypatch, parsed
):
    root = _project(tmp_path)
    (root / "src" / "api.py").write_text(
        "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n\n"
        "app = APIGatewayRestResolver()\n\n\n"
        "def handler(event, context):\n    return app.resolve(event, context)\n",
        encoding="utf-8",
    )
    (root / "src" / "routes.py").write_text(
        "import boto3\n\nimport api\n\n\n@api.app.get('/orders')\ndef orders():\n"
        "    return boto3.client('dynamodb').describe_table(TableName='orders')\n",
        encoding="utf-8",
    )
    findings, _ = _findings(root, monkeypatch, True)
    assert "src/routes.py" in parsed
    assert ("LL101", "src/routes.py") in {(rule, path) for rule, path, *_ in findings}
    _same_both_ways(root, monkeypatch)


def test_a_function_a_project_middleware_decorates_is_parsed_as_a_handler(
    tmp_path, monkeypatch, parsed
):
    root = _project(tmp_path)
    (root / "src" / "audit.py").write_text(
        "from aws_lambda_powertools.middleware_factory import lambda_handler_decorator\n\n\n"
        "@lambda_handler_decorator\ndef audited(handler, event, context):\n"
        "    return handler(event, context)\n",
        encoding="utf-8",
    )
    (root / "src" / "jobs.py").write_text(
        "import boto3\n\nfrom audit import audited\n\n\n@audited\ndef process(payload, runtime):\n"
        "    return boto3.client('s3').get_object(Bucket=payload['b'], Key='k')\n",
        encoding="utf-8",
    )
    findings, _ = _findings(root, monkeypatch, True)
    assert "src/jobs.py" in parsed
    assert ("LL101", "src/jobs.py") in {(rule, path) for rule, path, *_ in findings}
    _same_both_ways(root, monkeypatch)
