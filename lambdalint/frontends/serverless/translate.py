"""serverless.yml -> the CloudFormation the framework would generate, as far as rules care.

The framework compiles a service to a CloudFormation stack: a function per `functions:` entry,
one execution role shared by every function without its own, a log group per function, event
source mappings, subscriptions, rules, API integrations, URLs and invoke configs for `events:`,
plus the raw CloudFormation of `resources:`. Producing those resources (with the spans of the
serverless.yml lines they come from) lets the CloudFormation builder make the model: one builder,
one set of relations. Platform defaults the framework applies are set on the model afterwards."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lambdalint.core.span import Span
from lambdalint.frontends.cloudformation.nodes import Node
from lambdalint.model import UNKNOWN

SHARED_ROLE = "IamRoleLambdaExecution"  # the framework's own logical id for it
HTTP_API = "HttpApi"
WEBSOCKET_API = "WebsocketsApi"


@dataclass
class Generated:
    """What the translation made, for the model's finishing touches."""

    root: Node
    functions: dict[str, Node] = field(default_factory=dict)  # logical id -> function key node
    keys: dict[str, str] = field(default_factory=dict)  # logical id -> function key
    log_groups: dict[str, str] = field(default_factory=dict)  # function id -> log group id
    shared_role: bool = False
    generated: set[str] = field(default_factory=set)  # every logical id we made


class Translator:
    def __init__(self, root: Node):
        self.root = root
        self.provider = _map(root.get("provider"))
        self.resources: dict[str, Node] = {}
        self.keys: dict[str, Span] = {}
        self.out = Generated(Node({}, root.span))

    def translate(self) -> Generated:
        raw = self.root.path("resources", "Resources")
        functions = _map(self.root.get("functions"))
        for key, definition in functions.items():
            if definition.is_map:
                self.function(key, definition, functions.key_span(key))
        if self.out.shared_role:
            self.shared_role()
        for logical_id, node in _map(raw).items():
            if logical_id not in self.resources:  # raw CloudFormation may extend ours
                self.add(logical_id, node, _map(raw).key_span(logical_id), generated=False)
        sections = {"Resources": Node(self.resources, self.root.span, self.keys)}
        for name in ("Parameters", "Mappings", "Conditions"):  # what `resources:` intrinsics use
            section = self.root.path("resources", name)
            if section is not None:
                sections[name] = section
        self.out.root = Node(sections, self.root.span, {})
        return self.out

    def add(self, logical_id: str, node: Node, span: Span, generated: bool = True) -> None:
        self.resources[logical_id] = node
        self.keys[logical_id] = span
        if generated:
            self.out.generated.add(logical_id)

    # -- functions ----------------------------------------------------------------------------

    def function(self, key: str, definition: Node, key_span: Span) -> None:
        logical_id = (
            key
            if key not in _map(self.root.path("resources", "Resources")).value
            else (f"{key}LambdaFunction")
        )
        span = definition.span
        props: dict[str, Node] = {}
        for ours, theirs in (
            ("Runtime", "runtime"),
            ("Timeout", "timeout"),
            ("MemorySize", "memorySize"),
            ("Architectures", "architecture"),
        ):
            value = definition.get(theirs) or self.provider.get(theirs)
            if value is not None:
                props[ours] = Node([value], value.span) if ours == "Architectures" else value
        for ours, theirs in (("Handler", "handler"), ("FunctionName", "name")):
            if definition.get(theirs) is not None:
                props[ours] = definition.get(theirs)
        if definition.get("reservedConcurrency") is not None:
            props["ReservedConcurrentExecutions"] = definition.get("reservedConcurrency")
        layers = definition.get("layers") or self.provider.get("layers")  # the function's replace
        if layers is not None:
            props["Layers"] = layers
        props["Code"] = self.code(definition)
        environment = self.environment(definition)
        if environment is not None:
            props["Environment"] = environment
        tracing = definition.get("tracing") or self.provider.path("tracing", "lambda")
        if tracing is not None:
            props["TracingConfig"] = _obj({"Mode": _tracing_mode(tracing)}, tracing.span)
        on_error = definition.get("onError")
        if on_error is not None:
            props["DeadLetterConfig"] = _obj({"TargetArn": on_error}, on_error.span)
        props["Role"] = self.role_of(key, logical_id, definition, key_span)
        self.add(logical_id, _resource("AWS::Lambda::Function", props, span), key_span)
        self.out.functions[logical_id] = Node(key, key_span)
        self.out.keys[logical_id] = key
        self.log_group(logical_id, definition, key_span)
        self.destinations(logical_id, definition.get("destinations"))
        self.url(logical_id, definition.get("url"))
        events = definition.get("events")
        listed = events.value if events is not None and events.is_list else []
        for index, event in enumerate(listed):
            if event.is_map and len(event.value) == 1:
                ((kind, settings),) = event.value.items()
                handler = EVENTS.get(kind)
                if handler is not None:
                    handler(self, logical_id, f"{logical_id}{kind.title()}{index + 1}", settings)

    def code(self, definition: Node) -> Node:
        """The service directory: the framework packages it whole unless told otherwise."""
        package = definition.get("package") or self.provider.get("package")
        artifact = package.get("artifact") if package is not None else None
        if definition.get("image") is not None or artifact is not None:
            return Node(UNKNOWN, definition.span)
        return Node(".", definition.span)

    def environment(self, definition: Node) -> Node | None:
        shared, own = self.provider.get("environment"), definition.get("environment")
        if shared is None and own is None:
            return None
        variables: dict[str, Node] = {}
        keys: dict[str, Span] = {}
        for part in (shared, own):
            if part is None:
                continue
            if not part.is_map:
                return _obj({"Variables": Node(UNKNOWN, part.span)}, part.span)
            variables.update(part.value)
            keys.update(part.keys or {})
        span = (own or shared).span
        return _obj({"Variables": Node(variables, span, keys)}, span)

    def role_of(self, key: str, logical_id: str, definition: Node, key_span: Span) -> Node:
        own = definition.get("role")
        if own is not None:
            return _role_reference(own)
        statements = definition.get("iamRoleStatements")  # serverless-iam-roles-per-function
        if statements is not None:
            role_id = f"{logical_id}IamRoleLambdaExecution"
            policy = _policy(f"{key}-policy", statements)
            self.add(
                role_id,
                _resource("AWS::IAM::Role", {"Policies": policy}, statements.span),
                statements.span,
            )
            return _get_att(role_id, key_span)
        provider_role = self.provider.path("iam", "role")
        if provider_role is None:
            provider_role = self.provider.get("role")
        if provider_role is not None and not provider_role.is_map:
            return _role_reference(provider_role)
        self.out.shared_role = True
        return _get_att(SHARED_ROLE, key_span)

    def shared_role(self) -> None:
        """The one role the framework makes for every function without its own."""
        iam = self.provider.path("iam", "role")
        iam = iam if iam is not None and iam.is_map else Node({}, self.provider.span, {})
        statements = iam.get("statements") or self.provider.get("iamRoleStatements")
        managed = iam.get("managedPolicies") or self.provider.get("iamManagedPolicies")
        props: dict[str, Node] = {}
        if statements is not None:
            props["Policies"] = _policy("service-policy", statements)
        if managed is not None:
            props["ManagedPolicyArns"] = managed
        span = statements.span if statements is not None else self.provider.span
        self.add(SHARED_ROLE, _resource("AWS::IAM::Role", props, span), span)

    def log_group(self, logical_id: str, definition: Node, span: Span) -> None:
        if definition.path("logs", "logGroup") is not None:
            return  # an existing group the function is pointed at: not ours to judge
        retention = self.provider.get("logRetentionInDays")
        props = {"RetentionInDays": retention} if retention is not None else {}
        group_id = f"{logical_id}LogGroup"
        self.add(group_id, _resource("AWS::Logs::LogGroup", props, span), span)
        self.out.log_groups[logical_id] = group_id

    def destinations(self, logical_id: str, node: Node | None) -> None:
        if node is None or not node.is_map:
            return
        config: dict[str, Node] = {}
        for ours, theirs in (("OnFailure", "onFailure"), ("OnSuccess", "onSuccess")):
            target = node.get(theirs)
            if target is not None:
                destination = target.get("arn") if target.is_map else target
                config[ours] = _obj(
                    {"Destination": destination or Node(UNKNOWN, target.span)}, target.span
                )
        props = {
            "FunctionName": _ref(logical_id, node.span),
            "Qualifier": Node("$LATEST", node.span),
            "DestinationConfig": _obj(config, node.span),
        }
        self.add(
            f"{logical_id}EventInvokeConfig",
            _resource("AWS::Lambda::EventInvokeConfig", props, node.span),
            node.span,
        )

    def url(self, logical_id: str, node: Node | None) -> None:
        if node is None or node.value is False:
            return
        settings = node if node.is_map else Node({}, node.span, {})
        authorizer = settings.get("authorizer")
        if authorizer is None:
            auth = Node("NONE", node.span)
        elif isinstance(authorizer.value, str):
            auth = Node("AWS_IAM" if authorizer.value == "aws_iam" else UNKNOWN, authorizer.span)
        else:
            auth = Node(UNKNOWN, authorizer.span)
        props: dict[str, Node] = {
            "TargetFunctionArn": _get_att(logical_id, node.span),
            "AuthType": auth,
        }
        cors = settings.get("cors")
        if cors is not None and cors.is_map:
            props["Cors"] = _obj(
                {
                    ours: cors.get(theirs)
                    for ours, theirs in (
                        ("AllowOrigins", "allowedOrigins"),
                        ("AllowMethods", "allowedMethods"),
                        ("AllowCredentials", "allowCredentials"),
                    )
                    if cors.get(theirs) is not None
                },
                cors.span,
            )
        elif cors is not None and cors.value is True:
            # The framework's defaults: every origin; its method list we do not assume.
            props["Cors"] = _obj(
                {"AllowOrigins": Node([Node("*", cors.span)], cors.span)}, cors.span
            )
        self.add(
            f"{logical_id}LambdaFunctionUrl",
            _resource("AWS::Lambda::Url", props, node.span),
            node.span,
        )

    # -- events -------------------------------------------------------------------------------

    def sqs(self, function: str, event_id: str, node: Node) -> None:
        arn = _settings(node, "arn")
        props: dict[str, Node] = {
            "EventSourceArn": arn or Node(UNKNOWN, node.span),
            "FunctionName": _ref(function, node.span),
        }
        if node.intrinsic() is None:
            self.poller_settings(props, node, window="maximumBatchingWindow")
        self.add(
            event_id, _resource("AWS::Lambda::EventSourceMapping", props, node.span), node.span
        )

    def stream(self, function: str, event_id: str, node: Node) -> None:
        arn = _settings(node, "arn")
        props: dict[str, Node] = {
            "EventSourceArn": arn or Node(UNKNOWN, node.span),
            "FunctionName": _ref(function, node.span),
        }
        if node.intrinsic() is not None:
            node = Node({}, node.span, {})  # the ARN alone: no settings
        self.poller_settings(props, node, window="batchWindow")
        if node.is_map:
            for ours, theirs in (
                ("MaximumRetryAttempts", "maximumRetryAttempts"),
                ("MaximumRecordAgeInSeconds", "maximumRecordAgeInSeconds"),
                ("BisectBatchOnFunctionError", "bisectBatchOnFunctionError"),
            ):
                if node.get(theirs) is not None:
                    props[ours] = node.get(theirs)
            failure = node.path("destinations", "onFailure")
            if failure is not None:
                target = failure.get("arn") if failure.is_map else failure
                props["DestinationConfig"] = _obj(
                    {
                        "OnFailure": _obj(
                            {"Destination": target or Node(UNKNOWN, failure.span)}, failure.span
                        )
                    },
                    failure.span,
                )
        self.add(
            event_id, _resource("AWS::Lambda::EventSourceMapping", props, node.span), node.span
        )

    def poller_settings(self, props: dict[str, Node], node: Node, window: str) -> None:
        if not node.is_map:
            return
        if node.get("batchSize") is not None:
            props["BatchSize"] = node.get("batchSize")
        if node.get(window) is not None:
            props["MaximumBatchingWindowInSeconds"] = node.get(window)
        response = node.get("functionResponseType")
        if response is not None:
            props["FunctionResponseTypes"] = Node([response], response.span)
        if node.get("filterPatterns") is not None:
            props["FilterCriteria"] = Node(UNKNOWN, node.get("filterPatterns").span)

    def s3(self, function: str, event_id: str, node: Node) -> None:
        bucket = node.get("bucket") if node.is_map else node
        if bucket is None:
            return
        config: dict[str, Node] = {"Function": _get_att(function, node.span)}
        rules = node.get("rules") if node.is_map else None
        if rules is not None and rules.is_list:
            items = []
            for rule in rules.value:
                for name, value in rule.items() if rule.is_map else []:
                    items.append(_obj({"Name": Node(name, value.span), "Value": value}, rule.span))
            config["Filter"] = _obj(
                {"S3Key": _obj({"Rules": Node(items, rules.span)}, rules.span)}, rules.span
            )
        props = {
            "BucketName": bucket,
            "NotificationConfiguration": _obj(
                {"LambdaConfigurations": Node([_obj(config, node.span)], node.span)}, node.span
            ),
        }
        self.add(f"{event_id}Bucket", _resource("AWS::S3::Bucket", props, node.span), node.span)

    def sns(self, function: str, event_id: str, node: Node) -> None:
        arn = node.get("arn") if node.is_map else None
        name = node.get("topicName") if node.is_map else node
        if arn is None and name is not None and isinstance(name.value, str):
            if name.value.startswith("arn:"):
                arn = name
            else:
                topic_id = f"{event_id}Topic"
                self.add(
                    topic_id,
                    _resource("AWS::SNS::Topic", {"TopicName": name}, node.span),
                    node.span,
                )
                arn = _ref(topic_id, node.span)
        props = {
            "TopicArn": arn or Node(UNKNOWN, node.span),
            "Protocol": Node("lambda", node.span),
            "Endpoint": _get_att(function, node.span),
        }
        self.add(event_id, _resource("AWS::SNS::Subscription", props, node.span), node.span)

    def schedule(self, function: str, event_id: str, node: Node) -> None:
        rate = node.get("rate") if node.is_map else node
        props = {
            "ScheduleExpression": rate or Node(UNKNOWN, node.span),
            "Targets": Node([_obj({"Arn": _get_att(function, node.span)}, node.span)], node.span),
        }
        self.add(event_id, _resource("AWS::Events::Rule", props, node.span), node.span)

    def event_bridge(self, function: str, event_id: str, node: Node) -> None:
        target: dict[str, Node] = {"Arn": _get_att(function, node.span)}
        if node.is_map and node.get("retryPolicy") is not None:
            retry = node.get("retryPolicy")
            target["RetryPolicy"] = _obj(
                {"MaximumRetryAttempts": retry.get("maximumRetryAttempts")}
                if retry.get("maximumRetryAttempts") is not None
                else {},
                retry.span,
            )
        if node.is_map and node.get("deadLetterQueueArn") is not None:
            target["DeadLetterConfig"] = _obj({"Arn": node.get("deadLetterQueueArn")}, node.span)
        props: dict[str, Node] = {"Targets": Node([_obj(target, node.span)], node.span)}
        if node.is_map and node.get("schedule") is not None:
            props["ScheduleExpression"] = node.get("schedule")
        self.add(event_id, _resource("AWS::Events::Rule", props, node.span), node.span)

    def http(self, function: str, event_id: str, node: Node) -> None:
        kind = node.get("integration") if node.is_map else None
        lambda_integration = kind is not None and kind.value == "lambda"
        integration: dict[str, Node] = {
            "Type": Node("AWS" if lambda_integration else "AWS_PROXY", node.span),
            "Uri": _get_att(function, node.span),
        }
        if node.is_map and node.get("async") is not None and node.get("async").value is True:
            header = "integration.request.header.X-Amz-Invocation-Type"
            integration["RequestParameters"] = _obj({header: Node("'Event'", node.span)}, node.span)
        props = {"Integration": _obj(integration, node.span)}
        self.add(event_id, _resource("AWS::ApiGateway::Method", props, node.span), node.span)

    def http_api(self, function: str, event_id: str, node: Node) -> None:
        self.api(HTTP_API, "HTTP", node)
        props = {
            "ApiId": _ref(HTTP_API, node.span),
            "IntegrationType": Node("AWS_PROXY", node.span),
            "IntegrationUri": _get_att(function, node.span),
            "PayloadFormatVersion": Node("2.0", node.span),
        }
        self.add(event_id, _resource("AWS::ApiGatewayV2::Integration", props, node.span), node.span)

    def websocket(self, function: str, event_id: str, node: Node) -> None:
        self.api(WEBSOCKET_API, "WEBSOCKET", node)
        props = {
            "ApiId": _ref(WEBSOCKET_API, node.span),
            "IntegrationType": Node("AWS_PROXY", node.span),
            "IntegrationUri": _get_att(function, node.span),
        }
        self.add(event_id, _resource("AWS::ApiGatewayV2::Integration", props, node.span), node.span)

    def api(self, logical_id: str, protocol: str, node: Node) -> None:
        if logical_id not in self.resources:
            props = {"ProtocolType": Node(protocol, node.span)}
            self.add(logical_id, _resource("AWS::ApiGatewayV2::Api", props, node.span), node.span)

    def alb(self, function: str, event_id: str, node: Node) -> None:
        props = {
            "TargetType": Node("lambda", node.span),
            "Targets": Node([_obj({"Id": _get_att(function, node.span)}, node.span)], node.span),
        }
        self.add(
            event_id,
            _resource("AWS::ElasticLoadBalancingV2::TargetGroup", props, node.span),
            node.span,
        )


EVENTS = {
    "sqs": Translator.sqs,
    "stream": Translator.stream,
    "s3": Translator.s3,
    "sns": Translator.sns,
    "schedule": Translator.schedule,
    "eventBridge": Translator.event_bridge,
    "http": Translator.http,
    "httpApi": Translator.http_api,
    "websocket": Translator.websocket,
    "alb": Translator.alb,
}


def _settings(node: Node, key: str) -> Node | None:
    """An event's main value: `- sqs: arn`, `- sqs: !GetAtt Q.Arn`, or `- sqs: {arn: ...}`."""
    if node.is_map and node.intrinsic() is None:
        return node.get(key)
    return node


def _map(node: Node | None) -> Node:
    if node is None or not node.is_map:
        return Node({}, node.span if node is not None else Span.point("", 1), {})
    return node


def _obj(values: dict[str, Node], span: Span) -> Node:
    return Node(dict(values), span, {key: span for key in values})


def _resource(kind: str, props: dict[str, Node], span: Span) -> Node:
    return _obj({"Type": Node(kind, span), "Properties": _obj(props, span)}, span)


def _ref(logical_id: str, span: Span) -> Node:
    return _obj({"Ref": Node(logical_id, span)}, span)


def _get_att(logical_id: str, span: Span) -> Node:
    return _obj({"Fn::GetAtt": Node([Node(logical_id, span), Node("Arn", span)], span)}, span)


def _role_reference(node: Node) -> Node:
    """A function's `role:` names a role of `resources:` by logical id, or gives an ARN or an
    intrinsic."""
    if isinstance(node.value, str) and not node.value.startswith("arn:"):
        return _get_att(node.value, node.span)
    return node


def _policy(name: str, statements: Node) -> Node:
    document = _obj(
        {"Version": Node("2012-10-17", statements.span), "Statement": statements}, statements.span
    )
    return Node(
        [
            _obj(
                {"PolicyName": Node(name, statements.span), "PolicyDocument": document},
                statements.span,
            )
        ],
        statements.span,
    )


def _tracing_mode(node: Node) -> Node:
    value: Any = node.value
    if value is True:
        return Node("Active", node.span)
    if value is False:
        return Node("PassThrough", node.span)
    return node
