"""Event sources: what invokes a function, from mappings and from the resources that call it.

Each function here reads one resource type (or one part of it) and attaches an EventSource to the
function it names; a caller whose function cannot be resolved is dropped (nothing to check it
against)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdalint.frontends.cloudformation.includes import included
from lambdalint.frontends.cloudformation.nodes import Node
from lambdalint.model import UNKNOWN, EventSource, Function, Resource, Val

if TYPE_CHECKING:
    from lambdalint.frontends.cloudformation.build import Builder

# Which kind of poller a mapping is, from the type of the resource its EventSourceArn names.
POLL_KINDS_BY_TYPE = {
    "AWS::SQS::Queue": "sqs",
    "AWS::Kinesis::Stream": "kinesis",
    "AWS::Kinesis::StreamConsumer": "kinesis",
    "AWS::DynamoDB::Table": "dynamodb",
    "AWS::DynamoDB::GlobalTable": "dynamodb",
    "AWS::MSK::Cluster": "msk",
    "AWS::MSK::ServerlessCluster": "msk",
    "AWS::AmazonMQ::Broker": "mq",
    "AWS::DocDB::DBCluster": "documentdb",
}
# ... or from the service part of its ARN.
POLL_KINDS_BY_SERVICE = {
    "sqs": "sqs",
    "kinesis": "kinesis",
    "dynamodb": "dynamodb",
    "kafka": "msk",
    "mq": "mq",
    "rds": "documentdb",
}


def attach(function: Function | None, event: EventSource) -> None:
    if function is not None:
        event.function = function
        function.events.append(event)


def caller(
    builder: Builder, owner: str, node: Node | None, kind: str, invocation: str, anchor: str
) -> EventSource:
    """An event source declared by another resource (`owner`): a bucket's notification, a
    rule's target... It points at `node`, or at the owner itself when None."""
    parent = builder.obj(owner)
    return EventSource(
        owner,
        node.span if node is not None else parent.span,
        source=parent.source,
        suppressed=parent.suppressed,
        anchor=anchor,
        kind=kind,
        invocation=invocation,
    )


def event_source_mapping(builder: Builder, logical_id: str, node: Node) -> None:
    event = builder.obj(logical_id)
    assert isinstance(event, EventSource)
    props = builder.props(node) or Node({}, node.span, {})
    event.invocation = "poll"
    source = props.get("EventSourceArn")
    event.target_ref = builder.resolver.val(source)
    event.target = builder.resolver.target(source)
    event.kind = poll_kind(builder, event.target, source)
    if props.get("SelfManagedEventSource") is not None:
        event.kind = "kafka"
    fill_poller(builder, event, props)
    function = builder.function_target(props.get("FunctionName"))
    if function is None:
        builder.template.unattached_events.append(event)
    attach(function, event)


def poll_kind(builder: Builder, target: Resource | None, source: Node | None) -> str:
    if target is not None and target.resource_type in POLL_KINDS_BY_TYPE:
        return POLL_KINDS_BY_TYPE[target.resource_type]
    if source is None:
        return ""
    call = source.intrinsic()
    text = builder.resolver.sub_text(call[1], 0) if call and call[0] == "Fn::Sub" else None
    if text is None:
        value = builder.resolver.resolve(source)
        text = value if isinstance(value, str) else ""
    parts = text.split(":")
    return POLL_KINDS_BY_SERVICE.get(parts[2], "") if len(parts) > 2 else ""


def fill_poller(builder: Builder, event: EventSource, props: Node) -> None:
    event.batch_size = builder.val(props, "BatchSize")
    event.batching_window = builder.val(props, "MaximumBatchingWindowInSeconds")
    event.function_response_types = builder.val(props, "FunctionResponseTypes")
    event.on_failure = builder.val(props, "DestinationConfig", "OnFailure", "Destination")
    event.maximum_retry_attempts = builder.val(props, "MaximumRetryAttempts")
    event.maximum_record_age = builder.val(props, "MaximumRecordAgeInSeconds")
    event.bisect_on_error = builder.val(props, "BisectBatchOnFunctionError")
    event.filter_criteria = builder.val(props, "FilterCriteria")


def bucket_notifications(builder: Builder, logical_id: str, node: Node) -> None:
    configs = node.path("Properties", "NotificationConfiguration", "LambdaConfigurations")
    if configs is None or not configs.is_list:
        return
    for index, config in enumerate(configs.value):
        anchor = (
            f"Resources/{logical_id}/Properties/NotificationConfiguration"
            f"/LambdaConfigurations/{index}"
        )
        event = caller(builder, logical_id, config, "s3", "async", anchor)
        event.target = builder.obj(logical_id)
        event.target_ref = Val(event.target, config.span)
        s3_filters(builder, event, config.path("Filter", "S3Key", "Rules"))
        attach(builder.function_target(config.get("Function")), event)


def s3_filters(builder: Builder, event: EventSource, rules: Node | None) -> None:
    if rules is None:
        return
    if not rules.is_list:
        event.filter_prefix = event.filter_suffix = Val(UNKNOWN, rules.span)
        return
    for rule in rules.value:
        name = builder.val(rule, "Name").text()
        if name is not None and name.lower() == "prefix":
            event.filter_prefix = builder.val(rule, "Value")
        elif name is not None and name.lower() == "suffix":
            event.filter_suffix = builder.val(rule, "Value")


def topic_subscriptions(builder: Builder, logical_id: str, node: Node) -> None:
    subscriptions = node.path("Properties", "Subscription")
    if subscriptions is None or not subscriptions.is_list:
        return
    for index, subscription in enumerate(subscriptions.value):
        if builder.val(subscription, "Protocol").text() != "lambda":
            continue
        anchor = f"Resources/{logical_id}/Properties/Subscription/{index}"
        event = caller(builder, logical_id, subscription, "sns", "async", anchor)
        event.target = builder.obj(logical_id)
        event.target_ref = Val(event.target, subscription.span)
        attach(builder.function_target(subscription.get("Endpoint")), event)


def subscription(builder: Builder, logical_id: str, node: Node) -> None:
    props = builder.props(node)
    if props is None or builder.val(props, "Protocol").text() != "lambda":
        return
    event = caller(builder, logical_id, None, "sns", "async", f"Resources/{logical_id}")
    event.target_ref = builder.resolver.val(props.get("TopicArn"))
    event.target = builder.resolver.target(props.get("TopicArn"))
    attach(builder.function_target(props.get("Endpoint")), event)


def events_rule(builder: Builder, logical_id: str, node: Node) -> None:
    props = builder.props(node)
    targets = props.get("Targets") if props else None
    if targets is None or not targets.is_list:
        return
    kind = "schedule" if props.get("ScheduleExpression") is not None else "eventbridge"
    for index, target in enumerate(targets.value):
        function = builder.function_target(target.get("Arn"))
        if function is None:
            continue
        anchor = f"Resources/{logical_id}/Properties/Targets/{index}"
        event = caller(builder, logical_id, target, kind, "async", anchor)
        event.on_failure = builder.val(target, "DeadLetterConfig", "Arn")
        event.maximum_retry_attempts = builder.val(target, "RetryPolicy", "MaximumRetryAttempts")
        event.maximum_record_age = builder.val(target, "RetryPolicy", "MaximumEventAgeInSeconds")
        attach(function, event)


def schedule(builder: Builder, logical_id: str, node: Node) -> None:
    props = builder.props(node)
    target = props.get("Target") if props else None
    function = builder.function_target(target.get("Arn") if target else None)
    if target is None or function is None:
        return
    event = caller(
        builder,
        logical_id,
        target,
        "schedule",
        "async",
        f"Resources/{logical_id}/Properties/Target",
    )
    event.on_failure = builder.val(target, "DeadLetterConfig", "Arn")
    event.maximum_retry_attempts = builder.val(target, "RetryPolicy", "MaximumRetryAttempts")
    event.maximum_record_age = builder.val(target, "RetryPolicy", "MaximumEventAgeInSeconds")
    attach(function, event)


def rest_method(builder: Builder, logical_id: str, node: Node) -> None:
    integration = node.path("Properties", "Integration")
    if integration is None:
        return
    kind = builder.val(integration, "Type").text()
    if kind not in ("AWS", "AWS_PROXY"):
        return
    function = lambda_in_uri(builder, integration.get("Uri"))
    if function is None:
        return
    event = caller(
        builder,
        logical_id,
        integration,
        "api",
        "sync",
        f"Resources/{logical_id}/Properties/Integration",
    )
    event.integration_timeout = builder.val(integration, "TimeoutInMillis")
    rest_integration_mode(
        builder,
        event,
        integration.get("ResponseTransferMode"),
        integration.path("RequestParameters", INVOCATION_TYPE_HEADER),
    )
    attach(function, event)


# The request header that makes API Gateway invoke the function asynchronously (`'Event'`).
INVOCATION_TYPE_HEADER = "integration.request.header.X-Amz-Invocation-Type"


def rest_integration_mode(
    builder: Builder, event: EventSource, transfer_mode: Node | None, invocation: Node | None
) -> None:
    """A REST integration that invokes the function with `X-Amz-Invocation-Type: 'Event'` does
    not wait for it; one that streams the response (`ResponseTransferMode: STREAM`) may wait far
    beyond 29 s: its limit is not something we know."""
    if invocation is not None:
        header = builder.val(invocation).text()
        if header is None:
            event.invocation = ""  # set, but to something we cannot resolve
        elif header.strip("'\" ").lower() == "event":
            event.invocation = "async"
    if transfer_mode is not None and builder.val(transfer_mode).text() != "BUFFERED":
        event.integration_timeout = Val(UNKNOWN, transfer_mode.span)


def http_integration(builder: Builder, logical_id: str, node: Node) -> None:
    props = builder.props(node)
    if props is None or builder.val(props, "IntegrationType").text() != "AWS_PROXY":
        return
    function = lambda_in_uri(builder, props.get("IntegrationUri"))
    if function is None:
        return
    # A WebSocket route does not hold a request open: the function answers through the
    # connection (`@connections`), however long it runs.
    kind = "httpapi" if is_http_api(builder, props) else "websocket"
    event = caller(builder, logical_id, None, kind, "sync", f"Resources/{logical_id}")
    event.integration_timeout = builder.val(props, "TimeoutInMillis")
    attach(function, event)


def is_http_api(builder: Builder, props: Node) -> bool:
    """The integration belongs to an HTTP API (not a WebSocket API): its API in this template
    says so, or it sets `PayloadFormatVersion`, which only HTTP APIs take."""
    api_id = props.get("ApiId")
    call = api_id.intrinsic() if api_id is not None else None
    if call is not None and call[0] == "Ref" and isinstance(call[1].value, str):
        api = builder.root.path("Resources", call[1].value, "Properties")
        protocol = builder.val(api, "ProtocolType").text() if api is not None else None
        if protocol is not None:
            return protocol == "HTTP"
    return props.get("PayloadFormatVersion") is not None


def quick_create_api(builder: Builder, logical_id: str, node: Node) -> None:
    """An HTTP API created with `Target`: one Lambda proxy route for everything."""
    props = builder.props(node)
    function = lambda_in_uri(builder, props.get("Target") if props else None)
    if function is not None:
        event = caller(builder, logical_id, None, "httpapi", "sync", f"Resources/{logical_id}")
        attach(function, event)


# Where an API keeps its inline OpenAPI document, and which kind of API that makes it.
OPENAPI_BODIES = {
    "AWS::Serverless::Api": ("DefinitionBody", "api"),
    "AWS::ApiGateway::RestApi": ("Body", "api"),
    "AWS::Serverless::HttpApi": ("DefinitionBody", "httpapi"),
    "AWS::ApiGatewayV2::Api": ("Body", "httpapi"),
}
OPENAPI_METHODS = frozenset(
    {"get", "put", "post", "delete", "options", "head", "patch", "x-amazon-apigateway-any-method"}
)


def openapi_integrations(builder: Builder, logical_id: str, node: Node) -> None:
    """Functions an API's inline OpenAPI document invokes (`x-amazon-apigateway-integration`
    with a Lambda `uri`): many templates wire their functions only there, with no `Api` event.
    A local document the body includes (`AWS::Include`) is read; an uploaded one (`DefinitionUri`,
    an S3 `Location`) is not."""
    props = builder.props(node)
    key, kind = OPENAPI_BODIES[builder.types[logical_id]]
    body = included(props.get(key), builder.includes) if props is not None else None
    paths = body.get("paths") if body is not None and body.is_map else None
    if paths is None or not paths.is_map:
        return
    for path, operations in paths.items():
        for method, operation in operations.items() if operations.is_map else []:
            integration = (
                operation.get("x-amazon-apigateway-integration")
                if method.lower() in OPENAPI_METHODS and operation.is_map
                else None
            )
            if integration is not None and integration.is_map:
                openapi_integration(builder, logical_id, kind, integration, (key, path, method))


def openapi_integration(
    builder: Builder, logical_id: str, kind: str, integration: Node, where: tuple[str, ...]
) -> None:
    if builder.val(integration, "type").text() not in ("aws", "aws_proxy", "AWS", "AWS_PROXY"):
        return
    function = lambda_in_uri(builder, integration.get("uri"))
    if function is None:
        return
    anchor = "/".join(("Resources", logical_id, "Properties", *where))
    event = caller(builder, logical_id, integration, kind, "sync", anchor)
    event.integration_timeout = builder.val(integration, "timeoutInMillis")
    rest_integration_mode(
        builder,
        event,
        integration.get("responseTransferMode"),
        integration.path("requestParameters", INVOCATION_TYPE_HEADER),
    )
    attach(function, event)


def lambda_in_uri(builder: Builder, node: Node | None) -> Function | None:
    """The function an integration URI (`arn:aws:apigateway:...:functions/${Fn.Arn}/...`)
    invokes: the one function it refers to."""
    if node is None:
        return None
    referenced = [builder.obj(logical_id) for logical_id in builder.resolver.referenced(node)]
    functions = [obj for obj in referenced if isinstance(obj, Function)]
    if len(functions) == 1:
        return functions[0]
    return builder.function_target(node)


def target_group(builder: Builder, logical_id: str, node: Node) -> None:
    props = builder.props(node)
    if props is None or builder.val(props, "TargetType").text() != "lambda":
        return
    targets = props.get("Targets")
    for target in targets.value if targets is not None and targets.is_list else []:
        function = builder.function_target(target.get("Id"))
        event = caller(builder, logical_id, target, "alb", "sync", f"Resources/{logical_id}")
        attach(function, event)


def appsync_source(builder: Builder, logical_id: str, node: Node) -> None:
    config = node.path("Properties", "LambdaConfig")
    if config is None:
        return
    function = builder.function_target(config.get("LambdaFunctionArn"))
    event = caller(builder, logical_id, config, "appsync", "sync", f"Resources/{logical_id}")
    attach(function, event)


def iot_rule(builder: Builder, logical_id: str, node: Node) -> None:
    actions = node.path("Properties", "TopicRulePayload", "Actions")
    for index, action in enumerate(
        actions.value if actions is not None and actions.is_list else []
    ):
        lambda_action = action.get("Lambda")
        if lambda_action is None:
            continue
        function = builder.function_target(lambda_action.get("FunctionArn"))
        anchor = f"Resources/{logical_id}/Properties/TopicRulePayload/Actions/{index}"
        attach(function, caller(builder, logical_id, lambda_action, "iot", "async", anchor))


def logs_subscription(builder: Builder, logical_id: str, node: Node) -> None:
    props = builder.props(node)
    function = builder.function_target(props.get("DestinationArn") if props else None)
    if function is not None:
        event = caller(builder, logical_id, None, "logs", "async", f"Resources/{logical_id}")
        attach(function, event)
