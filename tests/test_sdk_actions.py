"""The IAM table: boto3 methods -> the IAM actions they need (lambdalint/data/sdk_actions.json,
generated from botocore; sdk_action_exceptions.json, reviewed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from lambdalint.model.sdk_actions import (
    Need,
    covered_services,
    needed,
    resource_types,
    waiter_operation,
)

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "lambdalint" / "data"


def _generator():
    path = REPO / "scripts" / "generate_sdk_actions.py"
    spec = importlib.util.spec_from_file_location("generate_sdk_actions", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_is_what_the_installed_botocore_generates():
    generator = _generator()
    committed = (DATA / "sdk_actions.json").read_text(encoding="utf-8")
    assert generator.render(generator.build()) == committed, (
        "sdk_actions.json is stale: run scripts/generate_sdk_actions.py, then "
        "scripts/generate_iam_actions.py"
    )


def test_every_operation_of_the_covered_services_has_an_entry():
    import botocore.session

    generator = _generator()
    session = botocore.session.get_session()
    table = json.loads((DATA / "sdk_actions.json").read_text(encoding="utf-8"))["services"]
    assert len(generator.SERVICES) >= 30
    assert set(covered_services()) == set(generator.SERVICES)
    for service in generator.SERVICES:
        operations = session.get_service_model(service).operation_names
        assert {generator.snake_case(name) for name in operations} == set(
            table[service]["operations"]
        ), service


def test_the_common_services_are_fully_resolved():
    """Operations whose action is unknown are the ones newer than the reference snapshot or
    whose action depends on the request; the services most functions call have none of the
    first kind."""
    table = json.loads((DATA / "sdk_actions.json").read_text(encoding="utf-8"))["services"]
    for service in ("sqs", "sns", "stepfunctions", "events", "firehose", "ses", "scheduler"):
        unknown = [m for m in table[service]["operations"] if not needed(service, m).known]
        assert unknown == [], service


def test_every_action_of_the_exceptions_table_exists():
    exceptions = json.loads((DATA / "sdk_action_exceptions.json").read_text(encoding="utf-8"))
    assert exceptions["reviewed"]
    for method, entry in exceptions["methods"].items():
        actions = [*entry.get("primary", []), *sum(entry.get("conditional", {}).values(), [])]
        for action in actions:
            assert resource_types(action) is not None, (method, action)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (("s3", "head_object"), Need(("s3:GetObject",))),
        (("s3", "list_objects_v2"), Need(("s3:ListBucket",))),
        (("s3", "upload_file"), Need(("s3:PutObject",), ("s3:AbortMultipartUpload",))),
        (("s3", "download_file"), Need(("s3:GetObject",))),
        (("dynamodb", "put_item", "Table"), Need(("dynamodb:PutItem",))),
        (("dynamodb", "get_item"), Need(("dynamodb:GetItem",))),
        (("dynamodb", "batch_writer", "Table"), Need(("dynamodb:BatchWriteItem",))),
        (("s3", "objects", "Bucket"), Need(("s3:ListBucket",))),
        (("s3", "wait_until_exists", "Bucket"), Need(("s3:ListBucket",))),
        (("sqs", "send_message_batch"), Need(("sqs:SendMessage",))),
        (("lambda", "invoke"), Need(("lambda:InvokeFunction",))),
        (("cloudwatch", "put_metric_data"), Need(("cloudwatch:PutMetricData",))),
        (("iot-data", "publish"), Need(("iot:Publish",))),
        (("apigateway", "get_rest_apis"), Need(("apigateway:GET",))),
        (("sts", "get_caller_identity"), Need(())),
    ],
)
def test_methods_and_their_actions(call, expected):
    assert needed(*call) == expected


def test_a_parameter_adds_a_conditional_action():
    assert needed("s3", "get_object", params=["Bucket", "Key", "VersionId"]) == Need(
        ("s3:GetObject",), ("s3:GetObjectVersion",)
    )
    assert needed("s3", "get_object", params=["Bucket", "Key"]) == Need(("s3:GetObject",))


def test_paginators_and_waiters_use_their_operation():
    assert waiter_operation("s3", "object_exists") == "head_object"
    assert needed("dynamodb", "scan") == Need(("dynamodb:Scan",))


def test_unknowns_stay_unknown():
    assert not needed("dynamodb", "execute_statement").known  # PartiQL: depends on the statement
    assert not needed("s3", "no_such_method").known
    assert not needed("no-such-service", "get").known
    assert not needed("dynamodb", "frobnicate", "Table").known
