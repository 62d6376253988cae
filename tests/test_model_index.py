"""The run-wide model index: rules that pair resources across templates look them up in it
instead of scanning every other template (LL207 was quadratic in the number of templates)."""

from __future__ import annotations

from lambdalint.model.index import ModelIndex

LOGGED_FUNCTION = """\
Resources:
  Fn{n}:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn-{n}
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/r
      Timeout: 10
      MemorySize: 256
      TracingConfig: {{Mode: Active}}
      Code: {{S3Bucket: b, S3Key: k}}
  Logs{n}:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: /aws/lambda/fn-{n}
      RetentionInDays: 30
"""


def test_the_index_is_built_once_per_run_whatever_the_number_of_templates(lint, monkeypatch):
    built = []
    original = ModelIndex.build.__func__

    def counting(cls, templates):
        built.append(len(templates))
        return original(cls, templates)

    monkeypatch.setattr(ModelIndex, "build", classmethod(counting))
    files = {f"svc{n}/template.yaml": LOGGED_FUNCTION.format(n=n) for n in range(4)}
    result = lint(files, select=["LL207"])
    assert result.findings == []
    assert built == [4]


def test_a_group_without_retention_in_another_template_is_still_found_by_name(lint):
    files = {
        "svc/template.yaml": LOGGED_FUNCTION.format(n=1).split("  Logs1:")[0],
        "svc/logs/template.yaml": (
            "Resources:\n"
            "  Logs:\n"
            "    Type: AWS::Logs::LogGroup\n"
            "    Properties:\n"
            "      LogGroupName: /aws/lambda/fn-1\n"
        ),
    }
    result = lint(files, select=["LL207"])
    assert [(f.rule, f.path, f.span.line) for f in result.findings] == [
        ("LL207", "svc/logs/template.yaml", 2)
    ]
