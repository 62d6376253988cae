"""SAM: `AWS::Serverless::Function` with Globals, its implicit role, Events and Policies.

What SAM's transform would generate is modelled directly (the `<Fn>Role` role, one event source
per entry of `Events`, the `<Fn>Url` function URL), under the logical ids SAM gives them, so that
references like `!GetAtt MyFnRole.Arn` resolve as they do after the transform."""

from __future__ import annotations

import functools
import json
from importlib import resources as package_data
from typing import TYPE_CHECKING, Any

from lambdalint.core.span import Span
from lambdalint.frontends.cloudformation import events
from lambdalint.frontends.cloudformation.includes import included
from lambdalint.frontends.cloudformation.nodes import Node
from lambdalint.model import (
    UNKNOWN,
    EventSource,
    Function,
    FunctionUrl,
    Permission,
    Role,
    Statement,
    Val,
)
from lambdalint.model.values import MISSING_VAL, UNKNOWN_VAL

if TYPE_CHECKING:
    from lambdalint.frontends.cloudformation.build import Builder

MANAGED = "arn:aws:iam::aws:policy/"
BASIC_EXECUTION = MANAGED + "service-role/AWSLambdaBasicExecutionRole"

# SAM event type -> (model kind, invocation, the property naming the source, managed policy SAM
# adds to the implicit role for it).
EVENT_TYPES: dict[str, tuple[str, str, str, str]] = {
    "SQS": ("sqs", "poll", "Queue", "service-role/AWSLambdaSQSQueueExecutionRole"),
    "Kinesis": ("kinesis", "poll", "Stream", "service-role/AWSLambdaKinesisExecutionRole"),
    "DynamoDB": ("dynamodb", "poll", "Stream", "service-role/AWSLambdaDynamoDBExecutionRole"),
    "MSK": ("msk", "poll", "Stream", "service-role/AWSLambdaMSKExecutionRole"),
    "SelfManagedKafka": ("kafka", "poll", "", ""),
    "MQ": ("mq", "poll", "Broker", ""),
    "DocumentDB": ("documentdb", "poll", "Cluster", ""),
    "S3": ("s3", "async", "Bucket", ""),
    "SNS": ("sns", "async", "Topic", ""),
    "EventBridgeRule": ("eventbridge", "async", "", ""),
    "CloudWatchEvent": ("eventbridge", "async", "", ""),
    "Schedule": ("schedule", "async", "", ""),
    "ScheduleV2": ("schedule", "async", "", ""),
    "IoTRule": ("iot", "async", "", ""),
    "CloudWatchLogs": ("logs", "async", "LogGroupName", ""),
    "Api": ("api", "sync", "", ""),
    "HttpApi": ("httpapi", "sync", "", ""),
    "Cognito": ("cognito", "sync", "", ""),
    "AlexaSkill": ("alexa", "sync", "", ""),
}

# What SAM allows on a destination (EventInvokeConfig) or dead-letter queue, by target type.
DESTINATION_ACTIONS = {
    "SQS": "sqs:SendMessage",
    "SNS": "sns:Publish",
    "Lambda": "lambda:InvokeFunction",
    "EventBridge": "events:PutEvents",
    "S3Bucket": "s3:PutObject",
}


def merged_properties(builder: Builder, node: Node) -> Node:
    """The function's Properties with `Globals.Function` applied as SAM applies it."""
    props = node.get("Properties")
    defaults = builder.root.path("Globals", "Function")
    if props is None:
        props = Node({}, node.span, {})
    if defaults is None or not defaults.is_map:
        return props
    return merge(defaults, props)


def merge(defaults: Node, local: Node) -> Node:
    """SAM's Globals merge: maps merged key by key, lists concatenated (globals first),
    anything else (scalars, intrinsics, mismatched kinds) taken from the resource."""
    if defaults.intrinsic() is None and local.intrinsic() is None:
        if defaults.is_map and local.is_map:
            values = dict(defaults.value)
            keys = dict(defaults.keys or {})
            for key, child in local.value.items():
                values[key] = merge(values[key], child) if key in values else child
                keys[key] = local.key_span(key)
            return Node(values, local.span, keys)
        if defaults.is_list and local.is_list:
            return Node(defaults.value + local.value, local.span)
    return local


def pre_create(builder: Builder) -> None:
    """Objects SAM generates, created before any property is read so references to them
    (`!GetAtt MyFnRole.Arn`, `!Ref MyFnUrl`) resolve from anywhere in the template."""
    for logical_id, kind in list(builder.types.items()):
        if kind != "AWS::Serverless::Function":
            continue
        function = builder.obj(logical_id)
        props = merged_properties(builder, builder.nodes[logical_id])
        builder.sam_props[logical_id] = props
        if props.get("Role") is None:
            policies = props.get("Policies")
            role = Role(
                f"{logical_id}Role",
                props.key_span("Policies") if policies is not None else function.span,
                source="sam",
                suppressed=function.suppressed,
                anchor=f"Resources/{logical_id}"
                + ("/Properties/Policies" if policies is not None else ""),
                resource_type="AWS::IAM::Role",
                implicit=True,
            )
            if builder.resolver.objects.setdefault(role.logical_id, role) is role:
                builder.template.roles.append(role)
        if props.get("FunctionUrlConfig") is not None:
            url = FunctionUrl(
                f"{logical_id}Url",
                props.key_span("FunctionUrlConfig"),
                source="sam",
                suppressed=function.suppressed,
                anchor=f"Resources/{logical_id}/Properties/FunctionUrlConfig",
                resource_type="AWS::Lambda::Url",
            )
            if builder.resolver.objects.setdefault(url.logical_id, url) is url:
                builder.template.urls.append(url)


def function(builder: Builder, logical_id: str, node: Node) -> None:
    fn = builder.obj(logical_id)
    assert isinstance(fn, Function)
    props = builder.sam_props.get(logical_id) or merged_properties(builder, node)
    builder.common_function(fn, props)
    code(builder, fn, props)
    fn.tracing = builder.val(props, "Tracing")
    fn.ephemeral_storage = builder.val(props, "EphemeralStorage", "Size")
    fn.dead_letter = builder.val(props, "DeadLetterQueue", "TargetArn")
    fn.log_group_ref = builder.val(props, "LoggingConfig", "LogGroup")
    invoke_config = props.get("EventInvokeConfig")
    if invoke_config is not None:
        fn.async_config = builder.async_config(invoke_config, invoke_config.span)
    url = builder.resolver.objects.get(f"{logical_id}Url")
    if isinstance(url, FunctionUrl) and props.get("FunctionUrlConfig") is not None:
        builder.fill_url(url, props.get("FunctionUrlConfig"))
        url.function = fn
        fn.url = url
    declared_events(builder, fn, props)
    if props.get("Role") is not None:
        builder.function_role(fn, props.get("Role"))
    else:
        role = builder.resolver.objects.get(f"{logical_id}Role")
        if isinstance(role, Role) and role.implicit:
            fn.role = role
            implicit_role(builder, fn, role, props)
    connectors(builder, fn)


def connectors(builder: Builder, fn: Function) -> None:
    """SAM connectors whose source is the function (`Connectors:` on it, or an
    `AWS::Serverless::Connector` naming it or a source we cannot resolve) add a policy to its
    role that the model does not spell out: the role is then not fully known."""
    node = builder.nodes.get(fn.logical_id)
    embedded = node is not None and node.get("Connectors") is not None
    if fn.role is not None and (embedded or _connector_from(builder, fn)):
        fn.role.complete = False


def _connector_from(builder: Builder, fn: Function) -> bool:
    if builder.connector_sources is None:
        builder.connector_sources = {
            builder.val(builder.nodes[logical_id].path("Properties", "Source"), "Id").text()
            for logical_id, kind in builder.types.items()
            if kind == "AWS::Serverless::Connector"
        }
    # An ARN, a reference (no name known) or this function: it may be the source.
    sources = builder.connector_sources
    return None in sources or fn.logical_id in sources


def code(builder: Builder, fn: Function, props: Node) -> None:
    inline = props.get("InlineCode")
    uri = props.get("CodeUri")
    if inline is not None:
        fn.inline_code = builder.resolver.val(inline)
    if uri is not None:
        fn.code_path = builder.local_path(uri)
    elif props.get("ImageUri") is not None:
        fn.code_path = Val(UNKNOWN, props.get("ImageUri").span)


# -- events ----------------------------------------------------------------------------------


def declared_events(builder: Builder, fn: Function, props: Node) -> None:
    declared = props.get("Events")
    if declared is None or not declared.is_map:
        return
    for name, node in declared.items():
        kind_name = builder.val(node, "Type").text()
        if kind_name is None:
            continue
        kind, invocation, source_key, _ = EVENT_TYPES.get(
            kind_name, (kind_name.lower(), "", "", "")
        )
        event = EventSource(
            f"{fn.logical_id}{name}",
            declared.key_span(name),
            source="sam",
            suppressed=fn.suppressed,
            anchor=f"Resources/{fn.logical_id}/Properties/Events/{name}",
            kind=kind,
            invocation=invocation,
        )
        event_props = node.get("Properties") or Node({}, node.span, {})
        if source_key:
            source = event_props.get(source_key)
            event.target_ref = builder.resolver.val(source)
            event.target = builder.resolver.target(source)
        if invocation == "poll":
            events.fill_poller(builder, event, event_props)
        else:
            non_poll(builder, event, kind_name, event_props)
        events.attach(fn, event)
        implicit_permission(builder, fn, event, kind_name)


# The AWS::Lambda::Permission SAM adds for an event source that pushes to the function, by event
# type: the principal, and whether SAM scopes it by SourceArn (the API, topic, rule...) or, for
# S3 (whose ARN would make a circular dependency), by SourceAccount.
IMPLICIT_PERMISSIONS = {
    "Api": ("apigateway.amazonaws.com", "SourceArn"),
    "HttpApi": ("apigateway.amazonaws.com", "SourceArn"),
    "S3": ("s3.amazonaws.com", "SourceAccount"),
    "SNS": ("sns.amazonaws.com", "SourceArn"),
    "EventBridgeRule": ("events.amazonaws.com", "SourceArn"),
    "CloudWatchEvent": ("events.amazonaws.com", "SourceArn"),
    "Schedule": ("events.amazonaws.com", "SourceArn"),
    "CloudWatchLogs": ("logs.amazonaws.com", "SourceArn"),
    "IoTRule": ("iot.amazonaws.com", "SourceArn"),
    "Cognito": ("cognito-idp.amazonaws.com", "SourceArn"),
}


def implicit_permission(builder: Builder, fn: Function, event: EventSource, kind: str) -> None:
    """The permission SAM generates for the event: it exists (nothing is missing) and is scoped
    to the event's source by SAM, whose exact ARN the model does not need."""
    if kind not in IMPLICIT_PERMISSIONS:
        return
    principal, scope = IMPLICIT_PERMISSIONS[kind]
    scoped = UNKNOWN_VAL  # SAM writes the source's ARN or the stack's account there
    permission = Permission(
        f"{event.logical_id}Permission",
        event.span,
        source="sam",
        suppressed=fn.suppressed,
        anchor=event.anchor,
        resource_type="AWS::Lambda::Permission",
        condition=fn.condition,
        function=fn,
        principal=Val(principal, event.span),
        source_arn=scoped if scope == "SourceArn" else MISSING_VAL,
        source_account=scoped if scope == "SourceAccount" else MISSING_VAL,
        action=Val("lambda:InvokeFunction", event.span),
        implicit=True,
    )
    builder.template.permissions.append(permission)


def non_poll(builder: Builder, event: EventSource, kind_name: str, props: Node) -> None:
    if kind_name == "S3":
        events.s3_filters(builder, event, props.path("Filter", "S3Key", "Rules"))
    elif kind_name == "SNS" and props.get("SqsSubscription") is not None:
        # SNS -> a queue SAM creates (or the one given) -> an SQS mapping.
        subscription = props.get("SqsSubscription")
        event.kind, event.invocation = "sqs", "poll"
        queue = subscription.get("QueueArn") if subscription.is_map else None
        event.target_ref = builder.resolver.val(queue) if queue else Val(UNKNOWN, subscription.span)
        event.target = builder.resolver.target(queue)
        event.batch_size = builder.val(subscription, "BatchSize")
    elif kind_name in ("Api", "HttpApi"):
        event.integration_timeout = builder.val(props, "TimeoutInMillis")
        if kind_name == "Api":
            defined_integration(builder, event, props)
    elif kind_name in ("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2"):
        event.on_failure = dead_letter_config(builder, props.get("DeadLetterConfig"))
        event.maximum_retry_attempts = builder.val(props, "RetryPolicy", "MaximumRetryAttempts")
        event.maximum_record_age = builder.val(props, "RetryPolicy", "MaximumEventAgeInSeconds")


def defined_integration(builder: Builder, event: EventSource, props: Node) -> None:
    """An `Api` event on an API with its own OpenAPI definition: the integration written there
    for the event's path and method is the one API Gateway uses (SAM adds one only when the
    definition has none). A definition we cannot read leaves the caller's limit unknown."""
    api_id = props.get("RestApiId")
    call = api_id.intrinsic() if api_id is not None else None
    if call is None or call[0] != "Ref" or not isinstance(call[1].value, str):
        return
    api = builder.root.path("Resources", call[1].value, "Properties")
    if api is None or not api.is_map:
        return
    if api.get("DefinitionUri") is not None:
        event.integration_timeout = Val(UNKNOWN, api.get("DefinitionUri").span)
        return
    written = api.get("DefinitionBody")
    if written is None:
        return
    body = included(written, builder.includes)  # a local AWS::Include is read
    if body is None or not body.is_map or body.intrinsic() is not None:
        event.integration_timeout = Val(UNKNOWN, written.span)
        return
    path, method = builder.val(props, "Path").text(), builder.val(props, "Method").text()
    operations = body.path("paths", path) if path is not None else None
    if method is None or operations is None or not operations.is_map:
        return
    method = method.lower()
    operation = operations.get("x-amazon-apigateway-any-method" if method == "any" else method)
    integration = operation.get("x-amazon-apigateway-integration") if operation else None
    if integration is None or not integration.is_map:
        return
    event.integration_timeout = builder.val(integration, "timeoutInMillis")
    events.rest_integration_mode(
        builder,
        event,
        integration.get("responseTransferMode"),
        integration.path("requestParameters", events.INVOCATION_TYPE_HEADER),
    )


def dead_letter_config(builder: Builder, node: Node | None) -> Val:
    if node is None:
        return Val()
    arn = builder.val(node, "Arn")
    if arn.is_missing and node.get("Type") is not None:
        return Val(UNKNOWN, node.span)  # SAM creates the queue
    return arn


# -- the implicit role -------------------------------------------------------------------------


def implicit_role(builder: Builder, fn: Function, role: Role, props: Node) -> None:
    role.managed_policies.append(Val(BASIC_EXECUTION))
    if fn.tracing.text() == "Active":
        role.managed_policies.append(Val(MANAGED + "AWSXrayWriteOnlyAccess", fn.tracing.span))
    if props.get("VpcConfig") is not None:
        role.managed_policies.append(
            Val(
                MANAGED + "service-role/AWSLambdaVPCAccessExecutionRole",
                props.get("VpcConfig").span,
            )
        )
    for _, event_node in props.get("Events").items() if props.get("Events") else []:
        event_role_needs(builder, role, builder.val(event_node, "Type").text(), event_node)
    for event in fn.events:
        managed = next(
            (
                policy
                for kind, _, _, policy in EVENT_TYPES.values()
                if kind == event.kind and policy
            ),
            "",
        )
        if (
            managed
            and event.invocation == "poll"
            and Val(MANAGED + managed) not in role.managed_policies
        ):
            role.managed_policies.append(Val(MANAGED + managed))
    dead_letter = props.get("DeadLetterQueue")
    if dead_letter is not None:
        kind = builder.val(dead_letter, "Type").text()
        action = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}.get(kind or "")
        granted(
            builder,
            role,
            action,
            dead_letter.get("TargetArn"),
            dead_letter.span,
            "SAM DeadLetterQueue",
        )
    destinations = props.path("EventInvokeConfig", "DestinationConfig")
    for which, destination in destinations.items() if destinations is not None else []:
        kind = builder.val(destination, "Type").text()
        granted(
            builder,
            role,
            DESTINATION_ACTIONS.get(kind or ""),
            destination.get("Destination"),
            destination.span,
            f"SAM EventInvokeConfig {which}",
        )
    policies(builder, role, props.get("Policies"))


def event_role_needs(builder: Builder, role: Role, kind: str | None, node: Node) -> None:
    """Statements SAM adds to the implicit role for an event beyond a managed policy."""
    if kind in ("MQ", "SelfManagedKafka", "DocumentDB"):
        role.complete = False  # SAM writes an inline policy (secrets, ENIs) we do not model
    on_failure = node.path("Properties", "DestinationConfig", "OnFailure")
    if kind in ("Kinesis", "DynamoDB", "MSK", "SelfManagedKafka") and on_failure is not None:
        destination_kind = builder.val(on_failure, "Type").text()
        if destination_kind is not None:
            granted(
                builder,
                role,
                DESTINATION_ACTIONS.get(destination_kind),
                on_failure.get("Destination"),
                on_failure.span,
                "SAM event OnFailure destination",
            )


def granted(
    builder: Builder, role: Role, action: str | None, target: Node | None, span: Span, origin: str
) -> None:
    """A statement SAM adds for a destination; unknown kinds leave the role incomplete."""
    if action is None:
        role.complete = False
        return
    resource = builder.resolver.val(target) if target is not None else Val(UNKNOWN, span)
    targets = [builder.resolver.target(target)] if target is not None else []
    role.statements.append(
        Statement(
            effect=Val("Allow", span),
            actions=[Val(action, span)],
            resources=[resource],
            span=span,
            policy=origin,
            targets=[t for t in targets if t is not None],
        )
    )


def policies(builder: Builder, role: Role, node: Node | None) -> None:
    """SAM `Policies`: a managed policy name or ARN, a list of those, inline documents, and
    policy templates; anything we cannot read leaves the role incomplete."""
    if node is None:
        return
    if node.is_map and node.intrinsic() is None and node.get("Statement") is not None:
        builder.read_document(role, node, "SAM inline policy")
        return
    for index, item in enumerate(node.value if node.is_list else [node]):
        policy_item(builder, role, item, index)


def policy_item(builder: Builder, role: Role, item: Node, index: int) -> None:
    if isinstance(item.value, str):
        name = item.value
        role.managed_policies.append(
            Val(name if name.startswith("arn:") else MANAGED + name, item.span)
        )
        return
    if item.intrinsic() is not None:
        value = builder.resolver.val(item)
        if value.is_missing:
            return  # `!Ref AWS::NoValue`: no policy at all
        role.managed_policies.append(value)
        target = builder.resolver.target(item)
        if target is not None and target.resource_type == "AWS::IAM::ManagedPolicy":
            builder.attach_managed_policy(role, item)
        elif not value.is_known:
            builder.incomplete(role)
        return
    if item.is_map and item.get("Statement") is not None:
        builder.read_document(role, item, f"SAM inline policy #{index + 1}")
        return
    if item.is_map and len(item.value) == 1:
        (name, parameters), *_ = item.value.items()
        if expand_template(builder, role, name, parameters, item.span):
            return
    builder.incomplete(role)


def expand_template(builder: Builder, role: Role, name: str, parameters: Node, span: Span) -> bool:
    """A SAM policy template (`SQSPollerPolicy: {QueueName: ...}`) as the statements it stands
    for, its parameters replaced by the values given (which may stay unknown)."""
    template = policy_templates().get(name)
    if template is None:
        return False
    given = dict(parameters.items()) if parameters.is_map and parameters.intrinsic() is None else {}
    missing = [p for p in template.get("parameters", []) if p not in given]
    if missing:
        # SAM rejects the template; our statements would be wrong, so read nothing.
        return False
    for statement in template.get("statements", []):
        builder_node = to_node(statement, given, span)
        role.statements.append(builder.statement(builder_node, f"SAM policy template {name}"))
    return True


def to_node(value: Any, parameters: dict[str, Node], span: Span) -> Node:
    """A policy template fragment as Nodes: `{"Ref": P}` of a template parameter becomes the
    node the user wrote for P (keeping its span); everything else gets the item's span."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("Ref"), str) and value["Ref"] in parameters:
            return parameters[value["Ref"]]
        return Node({k: to_node(v, parameters, span) for k, v in value.items()}, span, {})
    if isinstance(value, list):
        return Node([to_node(v, parameters, span) for v in value], span)
    return Node(value, span)


@functools.lru_cache(maxsize=1)
def policy_templates() -> dict[str, Any]:
    try:
        text = (
            package_data.files("lambdalint.data")
            .joinpath("sam_policy_templates.json")
            .read_text(encoding="utf-8")
        )
    except (FileNotFoundError, OSError):
        return {}
    return json.loads(text).get("templates", {})
