"""Project rules: a rule that reads every template function next to the code it runs.

`Describe` is a rule made for this test only: it reports, on each function's template line,
what the engine linked to it, so the linking (code path, Globals, handler forms, inline code,
import closure, handler path) is asserted through the real engine phase."""

from __future__ import annotations

import pytest

from lambdalint.api import ProjectContext
from lambdalint.core import rule as registry
from lambdalint.core.finding import Severity
from lambdalint.core.rule import ProjectRule, RuleMeta


class Describe(ProjectRule):
    meta = RuleMeta(id="LL599", name="describe-links", severity=Severity.INFO, summary="test only")

    def check(self, ctx: ProjectContext):
        for linked in ctx.functions:
            code = linked.code
            parts = [
                f"file={linked.handler_file}",
                f"handler={code.handler.qualname if code else '-'}",
                f"found={bool(code and code.function)}",
                f"closure={','.join(m.facts.path for m in code.closure) if code else '-'}",
                f"path={','.join(sorted(k.qualname for k in code.path)) if code else '-'}",
                f"env={','.join(sorted(linked.function.environment))}",
            ]
            yield self.finding(
                linked.function.span, f"{linked.function.logical_id} " + " ".join(parts)
            )


@pytest.fixture
def describe(lint, monkeypatch):
    registry.all_rules()  # import the real rules first: the registry is filled once
    monkeypatch.setitem(registry._REGISTRY, "LL599", Describe)

    def _describe(files: dict[str, str]) -> dict[str, str]:
        result = lint(files, select=["LL599", "LL211"])
        assert [f for f in result.findings if f.rule != "LL599"] == []
        return dict(f.message.split(" ", 1) for f in result.findings)

    return _describe


SAM = """Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    CodeUri: src/
    Runtime: python3.12
    Environment:
      Variables:
        STAGE: prod
Resources:
  Dotted:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.api.handle
      Environment:
        Variables:
          TABLE: orders
  PathStyle:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders/api.handle
  Package:
    Type: AWS::Serverless::Function
    Properties:
      Handler: jobs.run
  Elsewhere:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://bucket/code.zip
      Handler: app.handler
  Missing:
    Type: AWS::Serverless::Function
    Properties:
      Handler: orders.api.nothing
"""

FILES = {
    "infra/template.yaml": SAM,
    "infra/src/orders/__init__.py": "",
    "infra/src/orders/api.py": (
        "from orders.store import save\n\n\ndef handle(event, _):\n    save(event)\n"
    ),
    "infra/src/orders/store.py": (
        "from orders import util\n\n\ndef save(item):\n    return util.clean(item)\n"
    ),
    "infra/src/orders/util.py": "def clean(item):\n    return item\n",
    "infra/src/orders/unused.py": "def other():\n    pass\n",
    "infra/src/jobs/__init__.py": "def run(payload, _):\n    return payload\n",
}


def test_sam_code_uri_from_globals_and_a_dotted_handler(describe):
    found = describe(FILES)
    assert found["Dotted"] == (
        "file=infra/src/orders/api.py handler=handle found=True "
        "closure=infra/src/orders/api.py,infra/src/orders/__init__.py,"
        "infra/src/orders/store.py,infra/src/orders/util.py "
        "path=clean,handle,save env=STAGE,TABLE"
    )


def test_path_style_handler_and_a_package_module(describe):
    found = describe(FILES)
    assert found["PathStyle"].startswith("file=infra/src/orders/api.py handler=handle found=True")
    assert found["Package"].startswith(
        "file=infra/src/jobs.py handler=run found=True closure=infra/src/jobs/__init__.py "
    )


def test_code_elsewhere_has_no_code_and_a_missing_function_is_said(describe):
    found = describe(FILES)
    assert found["Elsewhere"].startswith("file= handler=- found=False closure=-")
    assert found["Missing"].startswith(
        "file=infra/src/orders/api.py handler=nothing found=False closure=infra/src/orders/api.py,"
    )
    assert " path= " in found["Missing"]


def test_inline_code_is_linked_as_its_own_module(describe):
    template = """Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/r
      Code:
        ZipFile: |
          def helper():
              return 1

          def handler(event, context):
              return helper()
"""
    found = describe({"template.yaml": template})
    assert found["Fn"] == (
        "file=template.yaml::Fn handler=handler found=True closure=template.yaml::Fn "
        "path=handler,helper env="
    )


def test_a_crashing_project_rule_is_ll000_and_the_run_goes_on(lint, monkeypatch):
    class Broken(Describe):
        def check(self, ctx):
            raise RuntimeError("boom")

    registry.all_rules()
    monkeypatch.setitem(registry._REGISTRY, "LL599", Broken)
    result = lint(FILES, select=["LL599", "LL201"])
    assert [(f.rule, f.path) for f in result.findings if f.rule == "LL000"] == [
        ("LL000", "infra/template.yaml")
    ]


def test_the_calls_a_function_runs(lint, monkeypatch):
    class Calls(Describe):
        def check(self, ctx: ProjectContext):
            for linked in ctx.functions:
                texts = sorted(f"{m.facts.module}:{c.text}" for m, c in linked.code.calls())
                yield self.finding(linked.function.span, " ".join(texts))

    registry.all_rules()
    monkeypatch.setitem(registry._REGISTRY, "LL599", Calls)
    files = {
        "template.yaml": SAM.split("  PathStyle:")[0],
        "src/orders/__init__.py": "",
        "src/orders/api.py": (
            "import boto3\nfrom orders.store import save\n\nSQS = boto3.client('sqs')\n\n\n"
            "def handle(event, _):\n    from orders.lazy import later\n\n"
            "    save(event)\n    later()\n\n\ndef unused():\n    SQS.purge_queue()\n"
        ),
        "src/orders/store.py": (
            "import boto3\n\nTABLE = boto3.resource('dynamodb').Table('t')\n\n\n"
            "def save(item):\n    TABLE.put_item(Item=item)\n\n\n"
            "def drop():\n    TABLE.delete()\n"
        ),
        "src/orders/lazy.py": "def later():\n    print('later')\n\n\ndef never():\n    print()\n",
    }
    result = lint(files, select=["LL599"])
    [finding] = result.findings
    # Import time everywhere the handler's imports lead, and the path's functions (a module
    # imported inside the handler included); not `unused`, `drop` or `never`.
    assert finding.message == (
        "orders.api:boto3.client() orders.api:later() orders.api:save() orders.lazy:print() "
        "orders.store:TABLE.put_item() orders.store:boto3.resource() orders.store:….Table()"
    )
