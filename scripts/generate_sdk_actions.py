"""Write lambdalint/data/sdk_actions.json: boto3 methods -> the IAM action each one needs, derived
from an installed botocore's service models (and boto3's resource models).

botocore and boto3 are development dependencies only: the package reads the JSON. Run

    python scripts/generate_sdk_actions.py

after upgrading botocore, then `python scripts/generate_iam_actions.py` (which catalogues the
IAM actions of the prefixes named here), and commit both data files. A test regenerates this
table from the installed botocore and fails when the committed one is stale.

What is derived: the service's IAM prefix (the model's `signingName`, else its `endpointPrefix`,
with the few services whose IAM prefix is neither, below) and, per client method, the operation
name, which is the IAM action name for most operations. Where it is not (S3's `head_object`
needs `s3:GetObject`, `upload_file` is not an operation at all...), the reviewed, dated table
lambdalint/data/sdk_action_exceptions.json says what the method needs; the package merges both.
"""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "lambdalint" / "data" / "sdk_actions.json"

# The services most used from Lambda functions: the 30 most frequent `boto3.client(...)` /
# `boto3.resource(...)` service names in aws-samples/serverless-patterns (commit fb7b5d0,
# 2026-08-06), then six more that Lambda functions use through configuration (KMS keys, Firehose
# streams, Textract, SES v2, the RDS Data API, Athena).
SERVICES = [
    "s3",
    "dynamodb",
    "sns",
    "lambda",
    "bedrock-runtime",
    "sqs",
    "secretsmanager",
    "cognito-idp",
    "stepfunctions",
    "logs",
    "events",
    "translate",
    "kinesis",
    "ec2",
    "cloudformation",
    "ssm",
    "ses",
    "kendra",
    "comprehend",
    "bedrock-agent",
    "apigateway",
    "rekognition",
    "rds",
    "iot-data",
    "transcribe",
    "sts",
    "scheduler",
    "polly",
    "cloudwatch",
    "apigatewaymanagementapi",
    "kms",
    "firehose",
    "textract",
    "sesv2",
    "rds-data",
    "athena",
]

# Services whose IAM prefix is neither the signing name nor the endpoint prefix.
PREFIX_EXCEPTIONS = {
    "cloudwatch": "cloudwatch",  # signs as "monitoring"
    "iot-data": "iot",  # signs as "iotdata"
}
# API Gateway's management API is authorised per HTTP method (`apigateway:GET` on a path).
HTTP_METHOD_ACTIONS = frozenset({"apigateway"})


def snake_case(name: str) -> str:
    """botocore's own conversion (`ListObjectsV2` -> `list_objects_v2`), as boto3 exposes it."""
    from botocore import xform_name

    return xform_name(name)


def iam_prefix(service: str, metadata: dict) -> str:
    if service in PREFIX_EXCEPTIONS:
        return PREFIX_EXCEPTIONS[service]
    return metadata.get("signingName") or metadata["endpointPrefix"]


def operations(service: str, model) -> dict[str, str]:
    """client method -> IAM action name (without the prefix)."""
    table = {}
    for name in model.operation_names:
        if service in HTTP_METHOD_ACTIONS:
            table[snake_case(name)] = model.operation_model(name).http["method"]
        else:
            table[snake_case(name)] = name
    return dict(sorted(table.items()))


def waiters(session, service: str) -> dict[str, str]:
    """waiter name as `get_waiter` takes it -> the client method it polls."""
    try:
        model = session.get_waiter_model(service)
    except Exception:  # noqa: BLE001 - botocore raises several kinds for "no waiters"
        return {}
    return {
        snake_case(name): snake_case(model.get_waiter(name).operation)
        for name in sorted(model.waiter_names)
    }


def resources(service: str) -> dict[str, dict[str, str]]:
    """boto3 resource kind -> method (actions, load, collections, waiters) -> client method."""
    import boto3

    data = Path(boto3.__file__).parent / "data" / service
    if not data.is_dir():
        return {}
    version = sorted(p for p in data.iterdir() if (p / "resources-1.json").is_file())
    if not version:
        return {}
    model = json.loads((version[-1] / "resources-1.json").read_text(encoding="utf-8"))
    waiter_ops = {}
    kinds = {"ServiceResource": model.get("service", {}), **model.get("resources", {})}
    table: dict[str, dict[str, str]] = {}
    for kind, spec in kinds.items():
        methods: dict[str, str] = {}
        for name, action in spec.get("actions", {}).items():
            methods[snake_case(name)] = snake_case(action["request"]["operation"])
        if "load" in spec:
            operation = snake_case(spec["load"]["request"]["operation"])
            methods["load"] = methods["reload"] = operation
        for name, collection in spec.get("hasMany", {}).items():
            methods[snake_case(name)] = snake_case(collection["request"]["operation"])
        for name, waiter in spec.get("waiters", {}).items():
            waiter_ops[(kind, name)] = waiter["waiterName"]
            methods[f"wait_until_{snake_case(name)}"] = "@" + snake_case(waiter["waiterName"])
        if methods:
            table[kind] = dict(sorted(methods.items()))
    return table


def build() -> dict:
    import botocore
    import botocore.session

    session = botocore.session.get_session()
    services = {}
    for service in SERVICES:
        model = session.get_service_model(service)
        entry = {
            "prefix": iam_prefix(service, model.metadata),
            "operations": operations(service, model),
        }
        found = waiters(session, service)
        if found:
            # A waiter polls its operation: it needs that operation's action.
            entry["waiters"] = found
        kinds = resources(service)
        if kinds:
            entry["resources"] = kinds
        services[service] = entry
    return {
        "source": f"botocore {botocore.__version__} service models and boto3 resource models, "
        "by scripts/generate_sdk_actions.py; exceptions in sdk_action_exceptions.json",
        "schema": "service -> IAM prefix; client method -> IAM action name (HTTP method for "
        "apigateway); waiter -> client method; resource kind -> method -> client method "
        "('@name' names a waiter)",
        "services": services,
    }


def render(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def main() -> None:
    data = build()
    OUTPUT.write_text(render(data), encoding="utf-8")
    count = sum(len(s["operations"]) for s in data["services"].values())
    print(f"wrote {OUTPUT} ({len(data['services'])} services, {count} operations)")


if __name__ == "__main__":
    main()
