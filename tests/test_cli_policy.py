"""`lambdalint policy [FUNCTION]`: the least-privilege policy the code needs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lambdalint.cli import main

CRUD = Path(__file__).parent / "fixtures" / "crud_get_item"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CRUD, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def invoke(*args: str):
    return CliRunner().invoke(main, ["policy", *args, "--isolated"], catch_exceptions=False)


def test_crud_policy_with_only_get_item_prints_one_statement_on_the_table(project):
    result = invoke("Reader")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "dynamodb:GetItem",
                "Resource": {"Fn::GetAtt": ["Orders", "Arn"]},
            }
        ],
    }


def test_other_formats_and_the_default_function(project):
    result = invoke("--as", "sam")
    assert result.exit_code == 0
    assert "- !GetAtt Orders.Arn" in result.stdout
    assert "aws_dynamodb_table.orders.arn" in invoke("--as", "terraform").stdout
    assert "orders.table_arn" in invoke("--as", "cdk-python").stdout


def test_unknown_function_is_a_usage_error(project):
    result = invoke("Nope")
    assert result.exit_code == 2
    assert "no function 'Nope'" in result.stderr and "Reader" in result.stderr


def test_unresolved_resources_are_noted(project):
    app = project / "src" / "app.py"
    app.write_text(
        app.read_text() + "\n\ndef more():\n    boto3.client('sqs').send_message("
        "QueueUrl=os.environ['OUT'], MessageBody='x')\n"
    )
    (project / "src" / "app.py").write_text(
        app.read_text().replace('.get("Item")', '.get("Item") or more()')
    )
    result = invoke("Reader")
    assert result.exit_code == 0
    assert "<environment variable OUT>" in result.stdout
    assert "environment variable OUT" in result.stderr


def test_check_verbose_says_why_ll503_and_ll504_stayed_silent(project):
    app = project / "src" / "app.py"
    app.write_text(app.read_text() + "\n\ndef other(event):\n    boto3.client(event['s']).go()\n")
    app.write_text(
        app.read_text().replace("    return TABLE", "    other(event)\n    return TABLE")
    )
    args = ["check", "--select", "LL503,LL504", "--isolated", "--no-cache", "--verbose", "."]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "not judged: LL503: Reader: SDK usage not fully resolved" in result.stderr
    assert "not judged: LL504: the role of Reader: Reader: SDK usage not fully" in result.stderr
    assert "unknown service" in result.stderr
