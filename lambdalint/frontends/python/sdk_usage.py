"""What one handler's code does with the AWS SDK, over its import closure: every SDK call it can
run, the IAM actions each needs (the IAM table, lambdalint/model/sdk_actions.py) and the resource
each works on, as written in the code (an environment variable, a literal...).

A handler's code is its handler module and the project modules it imports; a call counts when
it runs at import time in one of them or sits in a function the handler reaches, so two
handlers sharing a directory do not lend each other their calls. The usage is *fully resolved*
only when every SDK object has a known service and every call's actions are known: rules that
compare code with policies judge nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from lambdalint.frontends.python.facts import (
    ENV,
    LITERAL,
    OBJECT,
    PARAM,
    SDK_OPERATION,
    STATIC,
    UNKNOWN,
    CallFact,
    ModuleFacts,
    Value,
)
from lambdalint.model import Function
from lambdalint.model.sdk_actions import Need, needed, sdk_operation_names, waiter_operation

# Keyword arguments that name a resource, with the service they name one for.
RESOURCE_PARAMETERS = {
    "Bucket": "s3",
    "TableName": "dynamodb",
    "QueueUrl": "sqs",
    "QueueName": "sqs",
    "TopicArn": "sns",
    "FunctionName": "lambda",
    "StateMachineArn": "stepfunctions",
    "stateMachineArn": "stepfunctions",  # the Step Functions API spells it so
    "SecretId": "secretsmanager",
    "Name": "ssm",
    "StreamName": "kinesis",
    "DeliveryStreamName": "firehose",
}
# S3 transfer methods take the bucket positionally too: position of `Bucket`.
POSITIONAL_BUCKET = {
    "upload_file": 1,
    "upload_fileobj": 1,
    "copy": 1,
    "download_file": 0,
    "download_fileobj": 0,
    "generate_presigned_post": 0,
}
# Sub-resources named by their first argument (`dynamodb.Table("orders")`), with its keyword.
SUBRESOURCES = {
    ("dynamodb", "Table"): "name",
    ("sqs", "Queue"): "url",
    ("sns", "Topic"): "arn",
    ("s3", "Bucket"): "name",
    ("s3", "Object"): "bucket_name",
    ("s3", "ObjectSummary"): "bucket_name",
}
ACTION_CALLS = frozenset({SDK_OPERATION, "paginate", "wait"})
PRESIGNERS = frozenset({"generate_presigned_url", "generate_presigned_post"})
# What boto3's DynamoDB BatchWriter buffers and sends with BatchWriteItem.
BATCH_WRITER_METHODS = frozenset({"put_item", "delete_item"})
# Objects the fact pass does not follow (a client handed in as a parameter, an attribute of
# `self`, what an unresolved factory returns): a method named like an SDK operation called on
# one may be an SDK call, so the usage is not fully known.
UNFOLLOWED = frozenset({PARAM, UNKNOWN, OBJECT})
# Libraries that call AWS APIs themselves (with the function's role): code importing one has
# SDK usage the analyzer cannot see.
AWS_CALLING_LIBRARIES = (
    "aws_lambda_powertools.utilities.parameters",
    "aws_lambda_powertools.utilities.idempotency",
    "aws_lambda_powertools.utilities.feature_flags",
    "aws_lambda_powertools.utilities.streaming",
    "aws_secretsmanager_caching",
    "awswrangler",
    "aws_durable_execution_sdk",
    "aws_encryption_sdk",
    "botocore.auth",  # SigV4-signed HTTP to any service (OpenSearch, API Gateway...)
    "aurora_dsql",
    "langchain_aws",
    "opensearchpy",
    "pynamodb",
    "requests_aws4auth",
    "aws_requests_auth",
    "s3fs",
    "sagemaker",
    "smart_open",
    "strands",
)


class Module(Protocol):
    facts: ModuleFacts


class Code(Protocol):
    """A handler's code as the linked project gives it (lambdalint.api.HandlerCode)."""

    closure: tuple[Module, ...]

    def calls(self) -> Iterator[tuple[Module, CallFact]]: ...


@dataclass(frozen=True)
class SdkUse:
    """One SDK call a handler can make."""

    module: ModuleFacts  # the module the call is in
    call: CallFact
    need: Need
    resource: Value | None  # the resource argument (bucket, table, queue...), when there is one

    @property
    def path(self) -> str:
        return self.module.path


@dataclass
class HandlerUsage:
    uses: list[SdkUse] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # why the usage is not fully known

    @property
    def fully_resolved(self) -> bool:
        return not self.unresolved

    def primary(self) -> set[str]:
        return {action for use in self.uses for action in use.need.primary}

    def used(self) -> set[str]:
        """Primary and conditional actions: everything the code may use."""
        return {a for use in self.uses for a in (*use.need.primary, *use.need.conditional)}


def handler_usage(code: Code) -> HandlerUsage:
    usage = HandlerUsage()
    for module in code.closure:
        library = next((t for t in module.facts.imports.values() if _calls_aws(t)), None)
        if library is not None:
            usage.unresolved.append(
                f"{module.facts.path}: imports {library}, which calls AWS itself"
            )
    for module, call in code.calls():
        _add(usage, module.facts, call)
    return usage


def _calls_aws(target: str) -> bool:
    """An import target inside one of those libraries (`aurora_dsql_psycopg2` too)."""
    return any(
        target == library or target.startswith((library + ".", library + "_"))
        for library in AWS_CALLING_LIBRARIES
    )


def _add(usage: HandlerUsage, facts: ModuleFacts, call: CallFact) -> None:
    path = facts.path
    receiver = call.receiver
    if receiver is not None and receiver.sdk == "client" and call.method in PRESIGNERS:
        _presigned(usage, facts, call)
        return
    if _batch_writer_buffers(call):
        return  # only buffered: the `batch_writer()` call's BatchWriteItem sends them
    if (
        not call.sdk
        and receiver is not None
        and receiver.kind in UNFOLLOWED
        and call.method in sdk_operation_names()
    ):
        usage.unresolved.append(
            f"{path}: `{call.text}` may be an SDK call on an object not followed"
        )
        return
    if call.sdk in ("client", "resource") and not call.service:
        usage.unresolved.append(f"{path}: an SDK {call.sdk} of unknown service ({call.text})")
        return
    if call.sdk not in ACTION_CALLS:
        return
    if not call.service:
        usage.unresolved.append(f"{path}: `{call.text}` on an SDK object of unknown service")
        return
    need = _need(call)
    if not need.known:
        usage.unresolved.append(f"{path}: `{call.text}`: {need.why}")
    usage.uses.append(SdkUse(facts, call, need, resource_argument(call)))


def _batch_writer_buffers(call: CallFact) -> bool:
    """`batch.put_item()` / `batch.delete_item()` on what `Table.batch_writer()` returned."""
    receiver = call.receiver
    return (
        receiver is not None
        and receiver.kind == OBJECT
        and receiver.service == "dynamodb"
        and receiver.name.endswith(".Table.batch_writer")
        and call.method in BATCH_WRITER_METHODS
    )


def _presigned(usage: HandlerUsage, facts: ModuleFacts, call: CallFact) -> None:
    """A presigned URL is used with the function's own credentials: the operation it signs
    needs the function's permission (`generate_presigned_post` signs an S3 upload). The fact
    pass leaves such helpers out of the SDK model: the service is the client's."""
    service = call.receiver.service if call.receiver is not None else ""
    if not service:
        usage.unresolved.append(f"{facts.path}: `{call.text}` of an SDK client of unknown service")
        return
    if call.method == "generate_presigned_post":
        operation = "put_object"
    else:
        method = call.argument(0, "ClientMethod")
        operation = method.text if method is not None else None
    if not operation:
        usage.unresolved.append(f"{facts.path}: `{call.text}` signs an operation not known")
        return
    need = needed(service, operation)
    if not need.known:
        usage.unresolved.append(f"{facts.path}: `{call.text}`: {need.why}")
    usage.uses.append(SdkUse(facts, call, need, resource_argument(call)))


def _need(call: CallFact) -> Need:
    params = [name for name, _ in call.kwargs]
    if call.sdk == "paginate":
        return needed(call.service, call.operation, params=params)
    if call.sdk == "wait":
        operation = waiter_operation(call.service, call.operation)
        if operation is None:
            return Need(known=False, why=f"waiter {call.operation!r} is not known")
        return needed(call.service, operation, params=params)
    return needed(call.service, call.operation, call.resource_kind, params)


def resource_argument(call: CallFact) -> Value | None:
    """The argument naming the resource a call works on: a resource keyword of its service, the
    bucket of an S3 transfer, or the identifier of the sub-resource it is called on."""
    if call.resource_id is not None:
        return call.resource_id
    for name, value in call.kwargs:
        if RESOURCE_PARAMETERS.get(name) == call.service:
            return value
    position = POSITIONAL_BUCKET.get(call.operation) if call.service == "s3" else None
    if position is not None and position < len(call.args):
        return call.args[position]
    return None


def template_value(function: Function, value: Value | None) -> Any:
    """What the template makes a code value: for `os.environ["X"]`, the one known value the
    function's configuration gives X (a model object for `!Ref`/`!GetAtt`, or a string); a
    literal's text; None when unknown."""
    if value is None:
        return None
    if value.kind == ENV and value.name:
        setting = function.environment.get(value.name)
        if setting is None or not setting.is_known or setting.possible:
            return None
        return setting.value
    if value.kind in (LITERAL, STATIC):
        return value.text
    return None
