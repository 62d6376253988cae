"""Nodes -> model: every resource the rules read, and the relations between them.

Two passes: first an empty model object per resource (so any reference can be resolved, in any
order), then the properties and relations. SAM specifics live in `sam.py`."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable

from lambdalint.core.span import Span
from lambdalint.frontends.cloudformation.includes import IncludeReader, no_includes
from lambdalint.frontends.cloudformation.intrinsics import Resolver
from lambdalint.frontends.cloudformation.nodes import Node, wrap
from lambdalint.model import (
    MISSING,
    UNKNOWN,
    AsyncConfig,
    Bucket,
    EventSource,
    Function,
    FunctionUrl,
    LogGroup,
    Permission,
    Queue,
    Resource,
    Role,
    Statement,
    Table,
    Template,
    Topic,
    Val,
)
from lambdalint.model.linking import link_log_groups

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"

MODEL_TYPES: dict[str, type[Resource]] = {
    "AWS::Lambda::Function": Function,
    "AWS::Serverless::Function": Function,
    "AWS::IAM::Role": Role,
    "AWS::SQS::Queue": Queue,
    "AWS::S3::Bucket": Bucket,
    "AWS::SNS::Topic": Topic,
    "AWS::DynamoDB::Table": Table,
    "AWS::DynamoDB::GlobalTable": Table,
    "AWS::Serverless::SimpleTable": Table,
    "AWS::Logs::LogGroup": LogGroup,
    "AWS::Lambda::Permission": Permission,
    "AWS::Lambda::Url": FunctionUrl,
    "AWS::Lambda::EventSourceMapping": EventSource,
}


def is_template(root: Node) -> bool:
    """CloudFormation or SAM: a format version, the SAM transform, or typed resources."""
    if not root.is_map:
        return False
    if "AWSTemplateFormatVersion" in root.value or SAM_TRANSFORM in transforms(root):
        return True
    resources = root.get("Resources")
    if resources is None or not resources.is_map:
        return False
    for _, resource in resources.items():
        kind = resource.get("Type")
        if kind is not None and isinstance(kind.value, str) and kind.value.startswith("AWS::"):
            return True
    return False


def transforms(root: Node) -> list[str]:
    node = root.get("Transform")
    if node is None:
        return []
    items = node.value if node.is_list else [node]
    return [item.value for item in items if isinstance(item.value, str)]


class Builder:
    """Builds one Template; `sam.py` extends it with the serverless resource types."""

    def __init__(self, root: Node, path: str, includes: IncludeReader = no_includes):
        self.root = root
        self.path = path
        self.includes = includes  # reads an `AWS::Include`d document's Location
        self.is_sam = SAM_TRANSFORM in transforms(root)
        self.source = "sam" if self.is_sam else "cloudformation"
        self.template = Template(path, self.source)
        self.resolver = Resolver(root)
        self.types: dict[str, str] = {}
        self.nodes: dict[str, Node] = {}
        self.resources_node = root.get("Resources")
        self.sam_props: dict[str, Node] = {}  # SAM functions' Properties with Globals applied
        # The functions SAM connectors name as their source (None: one we cannot resolve),
        # gathered once: looking for them per function made a template's build quadratic.
        self.connector_sources: set[str | None] | None = None

    # -- entry ------------------------------------------------------------------------------

    def build(self) -> Template:
        from lambdalint.frontends.cloudformation import events, sam

        self.create_objects()
        sam.pre_create(self)
        for kinds, fill in passes(sam, events):
            for logical_id, kind in list(self.types.items()):
                if kind in kinds:
                    fill(self, logical_id, self.nodes[logical_id])
        link_log_groups(self.template, self.log_group_owner)
        return self.template

    def create_objects(self) -> None:
        for logical_id, node in self.resources_node.items() if self.resources_node else []:
            if not node.is_map:
                continue
            kind_node = node.get("Type")
            kind = kind_node.value if kind_node is not None else None
            if not isinstance(kind, str):
                continue
            self.types[logical_id] = kind
            self.nodes[logical_id] = node
            cls = MODEL_TYPES.get(kind, Resource)
            obj = cls(
                logical_id,
                self.resources_node.key_span(logical_id),
                source="sam" if kind.startswith("AWS::Serverless::") else self.source,
                suppressed=suppressions(node),
                anchor=f"Resources/{logical_id}",
                resource_type=kind,
                construct_path=construct_path(node),
                condition=condition(node),
            )
            self.resolver.objects[logical_id] = obj
            self.template.add(obj)

    # -- helpers ----------------------------------------------------------------------------

    def val(self, node: Node | None, *keys: str) -> Val:
        """The Val at `keys` below `node`; UNKNOWN when a step on the way is an intrinsic."""
        for key in keys:
            if node is None:
                return Val()
            if node.intrinsic() is not None:
                return Val(UNKNOWN, node.span)
            node = node.get(key)
        return self.resolver.val(node)

    def vals(self, node: Node | None) -> list[Val]:
        """A list property as one Val per element (a lone value counts as a list of one)."""
        if node is None:
            return []
        if node.is_list:
            return [self.resolver.val(item) for item in node.value]
        value = self.resolver.val(node)
        if isinstance(value.value, list):
            return [Val(item, node.span) for item in value.value]
        return [value]

    def obj(self, logical_id: str) -> Resource:
        return self.resolver.objects[logical_id]

    def props(self, node: Node) -> Node | None:
        return node.get("Properties")

    def function_target(self, node: Node | None) -> Function | None:
        """The Function a FunctionName/ARN names, through aliases and versions."""
        target = self.resolver.target(node)
        for _ in range(3):
            if isinstance(target, Function) or target is None:
                break
            if target.resource_type not in ("AWS::Lambda::Alias", "AWS::Lambda::Version"):
                return None
            props = self.props(self.nodes[target.logical_id])
            target = self.resolver.target(props.get("FunctionName") if props else None)
        if target is None and node is not None:
            target = self.sam_alias_target(node) or self.function_by_name(node)
        return target if isinstance(target, Function) else None

    def function_by_name(self, node: Node) -> Resource | None:
        """A plain function name (FunctionName accepts names as well as ARNs)."""
        value = self.resolver.resolve(node)
        if isinstance(value, str) and ":" not in value:
            return self.resolver.names.get(("lambda", value))
        return None

    def sam_alias_target(self, node: Node) -> Resource | None:
        """SAM's `!Ref Fn.Alias` / `Fn.Version` (generated by AutoPublishAlias)."""
        call = node.intrinsic()
        if call is not None and call[0] == "Ref" and isinstance(call[1].value, str):
            base, _, suffix = call[1].value.rpartition(".")
            if suffix in ("Alias", "Version"):
                return self.resolver.objects.get(base)
        return None

    # -- storage and messaging ----------------------------------------------------------------

    def queue(self, logical_id: str, node: Node) -> None:
        queue = self.obj(logical_id)
        assert isinstance(queue, Queue)
        props = self.props(node)
        queue.name = self.val(props, "QueueName")
        queue.visibility_timeout = self.val(props, "VisibilityTimeout")
        queue.fifo = self.val(props, "FifoQueue")
        redrive = props.get("RedrivePolicy") if props else None
        if redrive is not None and isinstance(redrive.value, str):
            redrive = json_node(redrive)
        if redrive is not None:
            queue.dead_letter_target = self.val(redrive, "deadLetterTargetArn")
            queue.max_receive_count = self.val(redrive, "maxReceiveCount")
        self.resolver.register_name("sqs", queue.name, queue)

    def bucket_name(self, logical_id: str, node: Node) -> None:
        bucket = self.obj(logical_id)
        assert isinstance(bucket, Bucket)
        bucket.name = self.val(self.props(node), "BucketName")
        self.resolver.register_name("s3", bucket.name, bucket)

    def topic_name(self, logical_id: str, node: Node) -> None:
        topic = self.obj(logical_id)
        assert isinstance(topic, Topic)
        topic.name = self.val(self.props(node), "TopicName")
        self.resolver.register_name("sns", topic.name, topic)

    def table(self, logical_id: str, node: Node) -> None:
        table = self.obj(logical_id)
        assert isinstance(table, Table)
        props = self.props(node)
        table.name = self.val(props, "TableName")
        stream = props.get("StreamSpecification") if props else None
        if stream is None:
            table.stream_enabled = Val()
        elif stream.intrinsic() is not None:
            table.stream_enabled = Val(UNKNOWN, stream.span)
        else:
            view = self.val(stream, "StreamViewType")
            enabled = self.val(stream, "StreamEnabled")  # GlobalTable's form
            if not enabled.is_missing:
                table.stream_enabled = enabled
            elif view.is_missing:
                table.stream_enabled = Val(False, stream.span)
            else:
                table.stream_enabled = Val(True if view.is_known else UNKNOWN, stream.span)
        self.resolver.register_name("dynamodb", table.name, table)

    def simple_table(self, logical_id: str, node: Node) -> None:
        table = self.obj(logical_id)
        assert isinstance(table, Table)
        table.name = self.val(self.props(node), "TableName")
        table.stream_enabled = Val(False)  # SimpleTable has no stream setting
        self.resolver.register_name("dynamodb", table.name, table)

    def log_group(self, logical_id: str, node: Node) -> None:
        group = self.obj(logical_id)
        assert isinstance(group, LogGroup)
        props = self.props(node)
        group.name = self.val(props, "LogGroupName")
        group.retention = self.val(props, "RetentionInDays")

    # -- IAM ----------------------------------------------------------------------------------

    def role(self, logical_id: str, node: Node) -> None:
        role = self.obj(logical_id)
        assert isinstance(role, Role)
        props = self.props(node)
        if props is None:
            return
        self.resolver.register_name("iam", self.val(props, "RoleName"), role)
        policies = props.get("Policies")
        for index, policy in enumerate(self.items(policies, role)):
            name = self.val(policy, "PolicyName").text() or f"#{index + 1}"
            self.read_document(role, policy.get("PolicyDocument"), f"inline policy {name}")
        managed = props.get("ManagedPolicyArns")
        role.managed_policies.extend(self.vals(managed))
        for arn in managed.value if managed is not None and managed.is_list else []:
            self.attach_managed_policy(role, arn)

    def items(self, node: Node | None, role: Role | None = None) -> list[Node]:
        """A list property's elements; an unreadable list marks the role's policies incomplete."""
        if node is None:
            return []
        readable = []
        for item in node.value if node.is_list else [node]:
            if item.is_map and item.intrinsic() is None:
                readable.append(item)
            else:
                self.incomplete(role)
        return readable

    def incomplete(self, role: Role | None) -> None:
        """Some policy could not be read: rules that need every permission stay silent."""
        if role is not None:
            role.complete = False
        self.template.policies_complete = False

    def attach_managed_policy(self, role: Role, arn: Node) -> None:
        """A customer managed policy defined in this template: its statements count too."""
        target = self.resolver.target(arn)
        if target is not None and target.resource_type == "AWS::IAM::ManagedPolicy":
            props = self.props(self.nodes[target.logical_id])
            document = props.get("PolicyDocument") if props else None
            origin = f"managed policy {target.logical_id}"
            self.read_document(role, document, origin, sometimes=bool(target.condition))

    def read_document(
        self, role: Role, document: Node | None, origin: str, sometimes: bool = False
    ) -> None:
        if document is not None and isinstance(document.value, str):
            document = json_node(document)
        if document is None or not document.is_map or document.intrinsic() is not None:
            self.incomplete(role)
            return
        statements = document.get("Statement")
        if statements is None:
            return
        for statement in statements.value if statements.is_list else [statements]:
            if not statement.is_map or statement.intrinsic() is not None:
                self.incomplete(role)
                continue
            read = self.statement(statement, origin)
            read.sometimes = sometimes
            role.statements.append(read)

    def statement(self, node: Node, origin: str) -> Statement:
        resources = node.get("Resource")
        targets: list[Resource] = []
        for item in resources.value if resources is not None and resources.is_list else [resources]:
            if item is None:
                continue
            referenced = sorted(self.resolver.referenced(item))
            if referenced:
                targets.extend(self.obj(logical_id) for logical_id in referenced)
            elif (named := self.resolver.by_arn(item)) is not None:
                targets.append(named)
        return Statement(
            effect=self.val(node, "Effect"),
            actions=self.vals(node.get("Action")),
            not_actions=self.vals(node.get("NotAction")),
            resources=self.vals(resources),
            not_resources=self.vals(node.get("NotResource")),
            has_condition=node.get("Condition") is not None,
            span=node.span,
            policy=origin,
            targets=targets,
        )

    def policy(self, logical_id: str, node: Node) -> None:
        """`AWS::IAM::Policy`/`ManagedPolicy`/`RolePolicy`: statements go to every role named."""
        props = self.props(node)
        if props is None:
            return
        role_nodes = props.get("Roles")
        names = list(role_nodes.value) if role_nodes is not None and role_nodes.is_list else []
        if role_nodes is not None and not role_nodes.is_list:
            names = [role_nodes]
        if props.get("RoleName") is not None:
            names.append(props.get("RoleName"))
        for name in names:
            role = self.resolver.target(name)
            if isinstance(role, Role):
                document, origin = props.get("PolicyDocument"), f"policy {logical_id}"
                sometimes = bool(self.obj(logical_id).condition)
                self.read_document(role, document, origin, sometimes=sometimes)

    # -- functions ----------------------------------------------------------------------------

    def function(self, logical_id: str, node: Node) -> None:
        function = self.obj(logical_id)
        assert isinstance(function, Function)
        props = self.props(node) or Node({}, node.span, {})
        self.common_function(function, props)
        code = props.get("Code")
        if code is not None and isinstance(code.value, str):
            function.code_path = self.local_path(code)  # before `cloudformation package`
        elif code is not None and code.get("ZipFile") is not None:
            function.inline_code = self.resolver.val(code.get("ZipFile"))
        elif code is not None:
            function.code_path = self.asset_path(node) or Val(UNKNOWN, code.span)
        function.tracing = self.val(props, "TracingConfig", "Mode")
        function.ephemeral_storage = self.val(props, "EphemeralStorage", "Size")
        function.dead_letter = self.val(props, "DeadLetterConfig", "TargetArn")
        function.log_group_ref = self.val(props, "LoggingConfig", "LogGroup")
        self.function_role(function, props.get("Role"))
        if self.is_sam:
            from lambdalint.frontends.cloudformation import sam

            sam.connectors(self, function)

    def asset_path(self, node: Node) -> Val | None:
        """CDK synthesizes code to S3 but records the local asset directory (relative to
        cdk.out) in the resource's metadata; SAM CLI reads the same key."""
        asset = node.path("Metadata", "aws:asset:path")
        if asset is not None and isinstance(asset.value, str) and asset.value:
            return Val(asset.value, asset.span)
        return None

    def local_path(self, node: Node) -> Val:
        """A code location as a local path; S3 objects and anything unresolved are UNKNOWN."""
        value = self.resolver.val(node)
        if isinstance(value.value, str) and not value.value.startswith("s3://"):
            return value
        return Val(UNKNOWN, node.span)

    def common_function(self, function: Function, props: Node) -> None:
        """Properties spelled the same way in CloudFormation and SAM."""
        function.name = self.val(props, "FunctionName")
        function.runtime = self.val(props, "Runtime")
        function.handler = self.val(props, "Handler")
        function.timeout = self.val(props, "Timeout")
        function.memory_size = self.val(props, "MemorySize")
        function.reserved_concurrency = self.val(props, "ReservedConcurrentExecutions")
        function.recursive_loop = self.val(props, "RecursiveLoop")
        function.layers = self.val(props, "Layers")
        function.template_dir = posixpath.dirname(self.path)
        self.environment(function, props.get("Environment"))
        self.resolver.register_name("lambda", function.name, function)

    def environment(self, function: Function, node: Node | None) -> None:
        if node is None:
            return
        function.environment_span = node.span
        variables = node.get("Variables") if node.intrinsic() is None else None
        if variables is None:
            function.environment_complete = node.intrinsic() is None
            return
        function.environment_span = variables.span
        if not variables.is_map or variables.intrinsic() is not None:
            function.environment_complete = False
            return
        for key, value in variables.items():
            function.environment[key] = self.resolver.val(value)

    def function_role(self, function: Function, node: Node | None) -> None:
        function.role_ref = self.resolver.val(node)
        target = self.resolver.target(node)
        function.role = target if isinstance(target, Role) else None

    def event_invoke_config(self, logical_id: str, node: Node) -> None:
        props = self.props(node)
        if props is None:
            return
        function = self.function_target(props.get("FunctionName"))
        if function is not None:
            function.async_config = self.async_config(props, node.span)

    def async_config(self, props: Node, span: Span) -> AsyncConfig:
        return AsyncConfig(
            on_failure=self.destination(props, "OnFailure"),
            on_success=self.destination(props, "OnSuccess"),
            maximum_retry_attempts=self.val(props, "MaximumRetryAttempts"),
            maximum_event_age=self.val(props, "MaximumEventAgeInSeconds"),
            span=span,
        )

    def destination(self, props: Node, which: str) -> Val:
        destination = self.val(props, "DestinationConfig", which, "Destination")
        if destination.is_missing:
            # SAM creates the destination itself when only its Type is given.
            kind = self.val(props, "DestinationConfig", which, "Type")
            if not kind.is_missing:
                return Val(UNKNOWN, kind.span)
        return destination

    def function_url(self, logical_id: str, node: Node) -> None:
        url = self.obj(logical_id)
        assert isinstance(url, FunctionUrl)
        props = self.props(node)
        self.fill_url(url, props)
        function = self.function_target(props.get("TargetFunctionArn") if props else None)
        if function is not None:
            url.function = function
            function.url = url

    def fill_url(self, url: FunctionUrl, props: Node | None) -> None:
        url.auth_type = self.val(props, "AuthType")
        url.cors_origins = self.val(props, "Cors", "AllowOrigins")
        url.cors_methods = self.val(props, "Cors", "AllowMethods")
        url.cors_credentials = self.val(props, "Cors", "AllowCredentials")

    def permission(self, logical_id: str, node: Node) -> None:
        permission = self.obj(logical_id)
        assert isinstance(permission, Permission)
        props = self.props(node)
        permission.function_ref = self.val(props, "FunctionName")
        permission.function = self.function_target(props.get("FunctionName") if props else None)
        permission.principal = self.val(props, "Principal")
        permission.source_arn = self.val(props, "SourceArn")
        permission.source_account = self.val(props, "SourceAccount")
        permission.principal_org_id = self.val(props, "PrincipalOrgID")
        permission.action = self.val(props, "Action")

    def log_group_owner(self, group: LogGroup) -> Function | None:
        """The function whose default log group name this group's name is built from."""
        props = self.props(self.nodes.get(group.logical_id, Node({}, group.span)))
        name = props.get("LogGroupName") if props is not None else None
        if name is None or name.intrinsic() is None:
            return None
        text = self.sub_or_join_text(name)
        referenced = self.resolver.referenced(name)
        if text is None or len(referenced) != 1 or not text.startswith("/aws/lambda/"):
            return None
        (owner,) = referenced
        target = self.obj(owner)
        return target if isinstance(target, Function) else None

    def sub_or_join_text(self, node: Node) -> str | None:
        call = node.intrinsic()
        if call is None:
            return None
        if call[0] == "Fn::Sub":
            return self.resolver.sub_text(call[1], 0)
        if call[0] == "Fn::Join" and call[1].is_list and len(call[1].value) == 2:
            parts = call[1].value[1]
            if parts.is_list:
                return "".join(p.value if isinstance(p.value, str) else "\x00" for p in parts.value)
        return None


def passes(sam, events) -> list[tuple[tuple[str, ...], Callable[[Builder, str, Node], None]]]:
    """Order matters: names of targets first (for ARN matching), roles before functions,
    functions before everything that attaches to them."""
    return [
        (("AWS::SQS::Queue",), Builder.queue),
        (("AWS::S3::Bucket",), Builder.bucket_name),
        (("AWS::SNS::Topic",), Builder.topic_name),
        (("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"), Builder.table),
        (("AWS::Serverless::SimpleTable",), Builder.simple_table),
        (("AWS::Logs::LogGroup",), Builder.log_group),
        (("AWS::IAM::Role",), Builder.role),
        (("AWS::Lambda::Function",), Builder.function),
        (("AWS::Serverless::Function",), sam.function),
        (("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"), Builder.policy),
        (("AWS::Lambda::EventSourceMapping",), events.event_source_mapping),
        (("AWS::Lambda::Permission",), Builder.permission),
        (("AWS::Lambda::Url",), Builder.function_url),
        (("AWS::Lambda::EventInvokeConfig",), Builder.event_invoke_config),
        (("AWS::S3::Bucket",), events.bucket_notifications),
        (("AWS::SNS::Topic",), events.topic_subscriptions),
        (("AWS::SNS::Subscription",), events.subscription),
        (("AWS::Events::Rule",), events.events_rule),
        (("AWS::Scheduler::Schedule",), events.schedule),
        (("AWS::ApiGateway::Method",), events.rest_method),
        (("AWS::ApiGatewayV2::Integration",), events.http_integration),
        (("AWS::ApiGatewayV2::Api",), events.quick_create_api),
        (tuple(events.OPENAPI_BODIES), events.openapi_integrations),
        (("AWS::ElasticLoadBalancingV2::TargetGroup",), events.target_group),
        (("AWS::AppSync::DataSource",), events.appsync_source),
        (("AWS::IoT::TopicRule",), events.iot_rule),
        (("AWS::Logs::SubscriptionFilter",), events.logs_subscription),
    ]


def construct_path(node: Node) -> str:
    """The CDK construct a synthesized resource comes from: `aws:cdk:path` without the final
    `/Resource` that L2 constructs add for their CloudFormation resource (users know the L2)."""
    path = node.path("Metadata", "aws:cdk:path")
    if path is None or not isinstance(path.value, str):
        return ""
    return path.value.removesuffix("/Resource")


def condition(node: Node) -> str:
    """The name of the condition a resource is created under (`Condition: IsProd`)."""
    value = node.get("Condition")
    if value is None:
        return ""
    return value.value if isinstance(value.value, str) and value.value else "(unreadable)"


def suppressions(node: Node) -> tuple[str, ...]:
    """Rule ids/names from `Metadata: {lambdalint: {ignore: [...]}}` on a resource."""
    ignore = node.path("Metadata", "lambdalint", "ignore")
    if ignore is None:
        return ()
    items = ignore.value if ignore.is_list else [ignore]
    codes: list[str] = []
    for item in items:
        if isinstance(item, Node) and isinstance(item.value, str):
            codes.extend(code.strip() for code in item.value.split(",") if code.strip())
    return tuple(codes)


def json_node(node: Node) -> Node | None:
    """A JSON document written as a string (old-style RedrivePolicy, policy documents): its
    parts all get the string's span."""
    try:
        value = json.loads(node.value)
    except (TypeError, ValueError):
        return None
    return wrap(value, node.span)


__all__ = ["MISSING", "Builder", "is_template"]
