"""The engine end to end: the acceptance scenarios of the foundation issue."""

from __future__ import annotations

import pytest

from lambdalint.config import Settings
from lambdalint.core.rule import all_rules
from lambdalint.engine.run import run

HELPER_CHAIN = {
    "app.py": (
        "from lib import audit\n\ndef lambda_handler(event, context):\n    audit.record(event)\n"
    ),
    "lib/__init__.py": "",
    "lib/audit.py": ("from lib.store import save\n\ndef record(event):\n    save(event['id'])\n"),
    "lib/store.py": (
        "import boto3 as b3\n"
        "\n"
        "def save(item_id):\n"
        "    table = b3.resource('dynamodb').Table('audit')\n"
        "    table.put_item(Item={'id': item_id})\n"
    ),
}


def rules_of(result):
    return [(f.rule, f.path, f.span.line) for f in result.findings]


def test_client_two_calls_deep_in_another_module_is_reported_at_creation(lint):
    result = lint(HELPER_CHAIN, select=["LL101"])
    assert rules_of(result) == [("LL101", "lib/store.py", 4)]
    finding = result.findings[0]
    assert "called from app.lambda_handler via audit.record() -> save()" in finding.message
    assert finding.span.column == 13
    assert [(r.where.path, r.where.line) for r in finding.related] == [("app.py", 3)]


def test_lazy_global_and_lru_cache_forms_are_silent(lint):
    result = lint(
        {
            "app.py": (
                "import functools\n"
                "import boto3 as b3\n"
                "_client = None\n"
                "\n"
                "def lazy():\n"
                "    global _client\n"
                "    if _client is None:\n"
                "        _client = b3.client('s3')\n"
                "    return _client\n"
                "\n"
                "@functools.lru_cache(maxsize=None)\n"
                "def cached():\n"
                "    return b3.client('sqs')\n"
                "\n"
                "def lambda_handler(event, context):\n"
                "    return lazy(), cached()\n"
            )
        }
    )
    assert rules_of(result) == []


def test_relative_imports_reach_the_helper(lint):
    files = {
        "fn/__init__.py": "",
        "fn/app.py": "from .helpers import make\n\ndef handler(event, context):\n    make()\n",
        "fn/helpers.py": "import boto3\n\ndef make():\n    return boto3.client('s3')\n",
    }
    assert rules_of(lint(files)) == [("LL101", "fn/helpers.py", 4)]


def test_absolute_import_is_looked_up_from_the_importing_files_directory(lint):
    # As a SAM CodeUri sees it: src/fn is the package root, `import helpers` means src/fn/helpers.py.
    files = {
        "src/fn/app.py": "import helpers\n\ndef handler(event, context):\n    helpers.make()\n",
        "src/fn/helpers.py": "import boto3\n\ndef make():\n    return boto3.client('s3')\n",
        "src/other/helpers.py": "import boto3\n\ndef make():\n    return boto3.client('sns')\n",
    }
    assert rules_of(lint(files)) == [("LL101", "src/fn/helpers.py", 4)]


def test_function_not_reached_from_any_handler_is_silent(lint):
    files = {"tool.py": "import boto3\n\ndef main():\n    boto3.client('s3')\n"}
    assert rules_of(lint(files)) == []


def test_configured_handler_is_a_handler(lint):
    files = {"svc/entry.py": "import boto3\n\ndef run(payload):\n    boto3.client('s3')\n"}
    assert rules_of(lint(files, select=["LL101"])) == []
    configured = lint(files, select=["LL101"], handlers=["svc/entry.py:run"])
    assert rules_of(configured) == [("LL101", "svc/entry.py", 4)]


def test_syntax_error_is_one_ll001_and_other_files_still_checked(lint):
    files = {
        "broken.py": "def handler(event, context):\n    return {\n\nx = 1\n",
        "app.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n",
    }
    result = lint(files)
    assert [(f.rule, f.path) for f in result.findings] == [
        ("LL101", "app.py"),
        ("LL001", "broken.py"),
    ]
    broken = result.findings[1]
    assert broken.span.line == 2 and "syntax error" in broken.message


def test_binary_and_undecodable_files_are_ll001_not_crashes(lint, tmp_path):
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "latin.py").write_bytes(b"x = '\xff\xfe'\n")
    result = lint({"ok.py": "x = 1\n"})
    messages = {f.path: f.message for f in result.findings}
    assert set(messages) == {"blob.py", "latin.py"}
    assert "NUL" in messages["blob.py"] and "decode" in messages["latin.py"]


def test_file_over_the_size_limit_is_reported_not_parsed(lint):
    result = lint({"big.py": "x = 1\n" * 100}, max_file_size=50)
    assert [(f.rule, f.path) for f in result.findings] == [("LL001", "big.py")]
    assert "too large" in result.findings[0].message


def test_a_crashing_rule_is_ll000_for_that_file_and_the_rest_still_runs(lint, monkeypatch):
    ll101 = all_rules()["LL101"]
    original = ll101.check

    def explode(self, ctx):
        if ctx.facts.path == "a.py":
            raise RuntimeError("boom")
        return original(self, ctx)

    monkeypatch.setattr(ll101, "check", explode)
    files = {
        "a.py": "import boto3\n\ndef handler(event, context):\n    boto3.client('s3')\n",
        "b.py": "import boto3\n\ndef handler(event, context):\n    boto3.client('s3')\n",
    }
    result = lint(files)
    assert [(f.rule, f.path) for f in result.findings] == [("LL000", "a.py"), ("LL101", "b.py")]
    assert "LL101" in result.findings[0].message and "boom" in result.findings[0].message


def test_vendored_trees_and_default_excludes_are_skipped(lint):
    creation = "import boto3\n\ndef handler(event, context):\n    boto3.client('s3')\n"
    files = {
        "layer/python/requests-2.0.dist-info/METADATA": "",
        "layer/python/vendored.py": creation,
        "lib/site-packages/x.py": creation,
        "node_modules/pkg/x.py": creation,
        ".aws-sam/build/Fn/app.py": creation,
        "botocore/__init__.py": creation,
        "layer/deps/python/urllib3/__init__.py": creation,
        "layer/deps/python/urllib3/poolmanager.py": creation,
        "cdk.out/asset/app.py": creation,
        "src/app.py": creation,
    }
    result = lint(files)
    assert sorted(f.path for f in result.findings) == ["cdk.out/asset/app.py", "src/app.py"]


PACKAGED = """{"Resources": {"ApiLambdaFunction": {"Type": "AWS::Lambda::Function",
  "Properties": {"Handler": "app.handler", "Runtime": "python3.13",
    "Role": "arn:aws:iam::123456789012:role/r", "Code": {"S3Bucket": "b", "S3Key": "k"}}}}}
"""
SERVICE = "service: s\nprovider:\n  name: aws\n  runtime: python3.13\nfunctions:\n  api:\n    handler: app.handler\n"


def test_the_packaged_template_of_a_checked_serverless_service_is_skipped(lint):
    result = lint(
        {
            "svc/serverless.yml": SERVICE,
            "svc/.serverless/cloudformation-template-update-stack.json": PACKAGED,
            "other/.serverless/cloudformation-template-update-stack.json": PACKAGED,
        },
        select=["LL201"],
    )
    # The service is reported once, on its serverless.yml; a packaged template whose
    # serverless.yml is not there is still checked.
    assert sorted(f.path for f in result.findings) == [
        "other/.serverless/cloudformation-template-update-stack.json",
        "svc/serverless.yml",
    ]
    assert any(s.path == "svc/.serverless" and "serverless.yml" in s.reason for s in result.skipped)


def test_a_packaged_template_named_on_the_command_line_is_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "serverless.yml").write_text(SERVICE)
    packaged = tmp_path / ".serverless" / "cloudformation-template-update-stack.json"
    packaged.parent.mkdir()
    packaged.write_text(PACKAGED)
    result = run([packaged], Settings(root=tmp_path, select=["LL201"]))
    assert [f.path for f in result.findings] == [
        ".serverless/cloudformation-template-update-stack.json"
    ]


def test_gitignore_and_exclude_are_honoured(lint):
    creation = "import boto3\n\ndef handler(event, context):\n    boto3.client('s3')\n"
    files = {
        ".gitignore": "generated/\n*_scratch.py\n",
        "generated/app.py": creation,
        "mine_scratch.py": creation,
        "legacy/app.py": creation,
        "app.py": creation,
    }
    result = lint(files, exclude=["legacy"])
    assert [f.path for f in result.findings] == ["app.py"]


def test_per_file_ignores_and_severity_overrides(lint):
    from lambdalint.core.finding import Severity

    creation = "import boto3\n\ndef handler(event, context):\n    boto3.client('s3')\n"
    files = {"tests/test_app.py": creation, "app.py": creation}
    result = lint(
        files,
        per_file_ignores={"tests/*": ["client-in-handler"]},
        severity={"LL101": Severity.ERROR},
    )
    assert [(f.path, f.severity) for f in result.findings] == [("app.py", Severity.ERROR)]


def metadata_problems(cls) -> list[str]:
    """What in a rule's metadata disagrees with its code or its module."""
    meta, problems = cls.meta, []
    module = cls.__module__.rpartition(".")[2]
    expected = f"{meta.id.lower()}_{meta.name.replace('-', '_')}"
    if module != expected:
        problems.append(f"{meta.id}: module {module} should be {expected}")
    if not meta.summary.endswith("."):
        problems.append(f"{meta.id}: summary does not end with a period")
    if (meta.fix != "none") != callable(getattr(cls, "fix", None)):
        problems.append(f"{meta.id}: fix={meta.fix!r} disagrees with its fix method")
    if cls.scope not in ("code", "template", "project", "tool"):
        problems.append(f"{meta.id}: not a rule kind")
    return problems


def test_every_registered_rule_has_consistent_metadata():
    rules = all_rules()
    assert [problem for cls in rules.values() for problem in metadata_problems(cls)] == []
    names = [cls.meta.name for cls in rules.values()]
    assert len(names) == len(set(names)), "two rules share a name"


def test_inconsistent_metadata_is_caught():
    from lambdalint.core.finding import Severity
    from lambdalint.core.rule import CodeRule, Rule, RuleMeta, register

    def rule(base, fix="none", summary="Says what.", name="made-up", with_fix=False):
        body = {"meta": RuleMeta("LL998", name, Severity.INFO, summary, fix=fix)}
        if with_fix:
            body["fix"] = lambda self, finding, tree, node: None
        cls = type("MadeUp", (base,), body)
        cls.__module__ = "lambdalint.rules.code.ll998_made_up"
        return cls

    assert metadata_problems(rule(CodeRule)) == []
    assert len(metadata_problems(rule(CodeRule, name="other-name"))) == 1
    assert len(metadata_problems(rule(CodeRule, summary="No period"))) == 1
    assert len(metadata_problems(rule(CodeRule, fix="safe"))) == 1
    assert len(metadata_problems(rule(CodeRule, with_fix=True))) == 1
    assert len(metadata_problems(rule(Rule))) == 1
    # The registry refuses the two the code can tell: fix without a method, and no kind.
    for cls in (rule(CodeRule, fix="unsafe"), rule(CodeRule, with_fix=True), rule(Rule)):
        with pytest.raises(ValueError):
            register(cls)
    assert "LL998" not in all_rules()


def test_named_file_is_checked_with_the_project_as_context(lint, tmp_path):
    from pathlib import Path

    from lambdalint.config import Settings
    from lambdalint.engine.run import run

    lint({**HELPER_CHAIN, "lambdalint.toml": ""})  # writes the files; the config marks the root
    settings = Settings(root=tmp_path, config_path=tmp_path / "lambdalint.toml", select=["LL101"])
    result = run([Path("lib/store.py")], settings)
    assert rules_of(result) == [("LL101", "lib/store.py", 4)]
    assert result.files_checked == 1
    # Findings of named files, and of functions whose handler path runs through one.
    assert rules_of(run([Path("app.py")], settings)) == [("LL101", "lib/store.py", 4)]
    assert rules_of(run([Path("lib/audit.py")], settings)) == [("LL101", "lib/store.py", 4)]
    settings.project_context = False
    assert rules_of(run([Path("lib/store.py")], settings)) == []


def test_a_changed_handler_that_starts_calling_an_unchanged_helper_reports_the_helper(
    lint, tmp_path
):
    from pathlib import Path

    from lambdalint.config import Settings
    from lambdalint.engine.run import run

    lint(
        {
            "lambdalint.toml": "",
            "app.py": "from helpers import upload\n\ndef handler(event, context):\n    return upload(event)\n",
            "helpers.py": "import boto3\n\ndef upload(item):\n    boto3.client('s3').put_object(Body=item)\n\ndef unused():\n    boto3.client('sqs')\n",
            "other.py": "import boto3\n\ndef handler(event, context):\n    return boto3.client('sns')\n",
        }
    )
    settings = Settings(root=tmp_path, config_path=tmp_path / "lambdalint.toml", select=["LL101"])
    result = run([Path("app.py")], settings)
    assert rules_of(result) == [("LL101", "helpers.py", 4)]  # not unused(), not other.py
    assert result.files_checked == 1

    from lambdalint.engine.fix_request import FixRequest

    helper = (tmp_path / "helpers.py").read_text()
    fixing = run([Path("app.py")], settings, fixes=FixRequest("apply"))
    assert rules_of(fixing) == [("LL101", "helpers.py", 4)] and fixing.fixed == 0
    assert (tmp_path / "helpers.py").read_text() == helper  # only named files are written

    # The helper's own suppressions still apply, and its unused ones are not reported.
    (tmp_path / "helpers.py").write_text(
        helper.replace(
            "put_object(Body=item)", "put_object(Body=item)  # lambdalint: ignore[LL101]"
        )
        + "# lambdalint: ignore[LL101]\n"
    )
    settings.select = ["LL101", "LL002"]
    assert rules_of(run([Path("app.py")], settings)) == []


def test_without_a_project_root_named_files_are_read_alone(lint, tmp_path):
    from pathlib import Path

    from lambdalint.config import Settings
    from lambdalint.engine.run import run

    lint(HELPER_CHAIN)  # no configuration, no git repository: no project to read
    result = run([Path("lib/store.py")], Settings(root=tmp_path, select=["LL101"]))
    assert rules_of(result) == []


GLOBALS_TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.9
    Timeout: 60
Resources:
"""
GLOBALS_FUNCTION = """  {name}:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      Events:
        Api:
          Type: Api
          Properties:
            Path: /{name}
            Method: get
"""


def globals_template(*names: str, metadata: str = "") -> str:
    functions = [GLOBALS_FUNCTION.format(name=name) for name in names]
    functions[0] = functions[0].replace("    Type:", metadata + "    Type:", 1)
    return GLOBALS_TEMPLATE + "".join(functions)


def test_a_finding_on_a_shared_globals_line_is_reported_once_naming_the_functions(lint):
    template = globals_template("Orders", "Users", "Billing")
    result = lint({"template.yaml": template}, select=["LL202", "LL204"])
    assert rules_of(result) == [("LL204", "template.yaml", 5), ("LL202", "template.yaml", 6)]
    runtime, timeout = result.findings
    assert runtime.message.endswith("(shared by Billing, Orders and Users)")
    assert timeout.message.startswith("functions Billing, Orders and Users: timeout 60 s exceeds")
    assert [r.where.line for r in timeout.related] == [14, 25, 36]  # each function's event


def test_a_function_suppressed_on_a_shared_line_is_not_named(lint):
    suppressed = "    Metadata:\n      lambdalint:\n        ignore: [LL204]\n"
    template = globals_template("Orders", "Users", "Billing", metadata=suppressed)
    result = lint({"template.yaml": template}, select=["LL204"])
    assert [f.message.rpartition("(")[2] for f in result.findings] == [
        "shared by Billing and Users)"
    ]


def test_different_messages_on_one_line_stay_apart(lint):
    # An HTTP API waits 30 s, a REST API 29 s: the two timeout findings say different things.
    template = globals_template("Orders", "Users").replace(
        "Type: Api\n          Properties:\n            Path: /Users",
        "Type: HttpApi\n          Properties:\n            Path: /Users",
    )
    result = lint({"template.yaml": template}, select=["LL202"])
    assert sorted(f.message.split(":")[0] for f in result.findings) == [
        "function Orders",
        "function Users",
    ]
