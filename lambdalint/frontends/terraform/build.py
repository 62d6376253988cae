"""A Terraform module's blocks -> the model: the same objects the CloudFormation frontend makes.

Two passes as there: an empty model object per resource first (so references resolve in any
order), then attributes and relations. A resource with `count` or `for_each` is judged on the one
shape its block gives every instance."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from typing import Any

from lambdalint.core.span import Span
from lambdalint.frontends.cloudformation.events import attach
from lambdalint.frontends.cloudformation.nodes import LoadError, Node, wrap
from lambdalint.frontends.terraform.expressions import (
    INTERPOLATION,
    DataSource,
    Evaluator,
    Heredoc,
    Mentions,
    Scope,
)
from lambdalint.frontends.terraform.hcl import Block, JsonValue
from lambdalint.frontends.terraform.names import TERRAFORM_NAMES
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

MODEL_TYPES: dict[str, type[Resource]] = {
    "aws_lambda_function": Function,
    "aws_iam_role": Role,
    "aws_sqs_queue": Queue,
    "aws_s3_bucket": Bucket,
    "aws_sns_topic": Topic,
    "aws_dynamodb_table": Table,
    "aws_cloudwatch_log_group": LogGroup,
    "aws_lambda_permission": Permission,
    "aws_lambda_function_url": FunctionUrl,
    "aws_lambda_event_source_mapping": EventSource,
}
POLL_KINDS = {
    "aws_sqs_queue": "sqs",
    "aws_kinesis_stream": "kinesis",
    "aws_dynamodb_table": "dynamodb",
    "aws_msk_cluster": "msk",
    "aws_mq_broker": "mq",
}
POLL_SERVICES = {
    "sqs": "sqs",
    "kinesis": "kinesis",
    "dynamodb": "dynamodb",
    "kafka": "msk",
    "mq": "mq",
}
LAMBDA_MODULE = "terraform-aws-modules/lambda/aws"
HOLE = "@@lambdalint-hole@@"  # stands for an interpolation while a heredoc's JSON is parsed


class TerraformBuilder:
    def __init__(self, path: str, files: list[Block], tfvars: list[Block]):
        self.path = path  # the module's first file: the Template's display path
        self.files = files
        self.tfvars = tfvars
        self.template = Template(path, "terraform")
        self.scope = Scope(path)
        self.evaluator = Evaluator(self.scope)
        self.blocks: dict[str, Block] = {}  # address -> resource block
        self.types: dict[str, str] = {}

    # -- entry ------------------------------------------------------------------------------

    def build(self) -> Template:
        self.read_names()
        for kinds, fill in PASSES:
            for address, kind in list(self.types.items()):
                if kind in kinds:
                    fill(self, address, self.blocks[address])
        for module in self.top("module"):
            self.lambda_module(module)
        link_log_groups(self.template, self.log_group_owner)
        return self.template

    def top(self, kind: str) -> list[Block]:
        return [block for file in self.files for block in file.children(kind)]

    def read_names(self) -> None:
        for block in self.top("variable"):
            if block.labels and block.get("default") is not None:
                self.scope.variables[block.labels[0]] = self.evaluator.attribute(block, "default")
        for values in self.tfvars:
            for name in values.attributes:
                self.scope.variables[name] = self.evaluator.attribute(values, name)
        for block in self.top("locals"):
            self.scope.locals.update(block.attributes)
        for block in self.top("data"):
            if len(block.labels) == 2:
                self.scope.data[".".join(block.labels)] = block
        for block in self.top("resource"):
            if len(block.labels) == 2:
                self.create(block)
                if block.labels[0] == "archive_file":
                    self.scope.archives[block.labels[1]] = block

    def create(self, block: Block) -> None:
        kind, name = block.labels
        address = f"{kind}.{name}"
        cls = MODEL_TYPES.get(kind, Resource)
        obj = cls(
            address,
            block.span,
            source="terraform",
            anchor=address,
            resource_type=kind,
            names=TERRAFORM_NAMES,
        )
        self.blocks[address] = block
        self.types[address] = kind
        self.scope.objects[address] = obj
        self.template.add(obj)

    # -- values -----------------------------------------------------------------------------

    def node(self, block: Block | None, *names: str) -> Node | None:
        """The value at `names`: attributes, then nested blocks (`tracing_config`, `mode`)."""
        for index, name in enumerate(names):
            if block is None:
                return None
            if index == len(names) - 1 or block.get(name) is not None:
                value = self.evaluator.attribute(block, name)
                return value if index == len(names) - 1 else _descend(value, names[index + 1 :])
            block = block.child(name)
        return None

    def val(self, block: Block | None, *names: str) -> Val:
        return to_val(self.node(block, *names))

    def obj(self, address: str) -> Resource:
        return self.scope.objects[address]

    def function_of(self, node: Node | None) -> Function | None:
        """The Function a function name/ARN attribute refers to (also through an alias)."""
        target = node.value if node is not None else None
        if isinstance(target, Resource) and target.resource_type == "aws_lambda_alias":
            target = self.node(self.blocks[target.logical_id], "function_name")
            target = target.value if target is not None else None
        if isinstance(target, str):
            target = self.function_named(target)
        return target if isinstance(target, Function) else None

    def function_named(self, name: str) -> Function | None:
        name = name.rsplit(":function:", 1)[-1]
        for function in self.template.functions:
            if function.name.text() == name:
                return function
        return None

    # -- storage and messaging ----------------------------------------------------------------

    def queue(self, address: str, block: Block) -> None:
        queue = self.obj(address)
        assert isinstance(queue, Queue)
        queue.name = self.val(block, "name")
        queue.visibility_timeout = self.val(block, "visibility_timeout_seconds")
        queue.fifo = self.val(block, "fifo_queue")
        self.redrive(queue, self.node(block, "redrive_policy"))

    def redrive(self, queue: Queue, policy: Node | None) -> None:
        document = self.document(policy)
        if policy is None:
            return
        if document is None:
            queue.dead_letter_target = queue.max_receive_count = Val(UNKNOWN, policy.span)
            return
        queue.dead_letter_target = to_val(document.get("deadLetterTargetArn"))
        queue.max_receive_count = to_val(document.get("maxReceiveCount"))

    def queue_redrive_policy(self, address: str, block: Block) -> None:
        queue = self.node(block, "queue_url")
        if queue is not None and isinstance(queue.value, Queue):
            self.redrive(queue.value, self.node(block, "redrive_policy"))

    def named(self, address: str, block: Block) -> None:
        obj = self.obj(address)
        attribute = {Bucket: "bucket", Topic: "name", Table: "name"}[type(obj)]
        obj.name = self.val(block, attribute)  # type: ignore[attr-defined]

    def table(self, address: str, block: Block) -> None:
        self.named(address, block)
        table = self.obj(address)
        assert isinstance(table, Table)
        table.stream_enabled = self.val(block, "stream_enabled")
        if table.stream_enabled.is_missing:
            table.stream_enabled = Val(False)

    def log_group(self, address: str, block: Block) -> None:
        group = self.obj(address)
        assert isinstance(group, LogGroup)
        group.name = self.val(block, "name")
        group.retention = self.val(block, "retention_in_days")
        if group.retention.value == 0:
            # Terraform's 0 means "never expire", the same as leaving it out.
            group.retention = Val()

    # -- IAM ----------------------------------------------------------------------------------

    def role(self, address: str, block: Block) -> None:
        role = self.obj(address)
        assert isinstance(role, Role)
        for inline in block.children("inline_policy"):
            name = self.val(inline, "name").text() or "inline"
            self.read_policy(role, self.node(inline, "policy"), f"inline policy {name}")
        managed = self.node(block, "managed_policy_arns")
        if managed is not None:
            self.managed(role, managed)

    def managed(self, role: Role, arns: Node) -> None:
        items = arns.value if isinstance(arns.value, list) else [arns]
        for item in items:
            role.managed_policies.append(to_val(item))
            if isinstance(item.value, Resource) and item.value.resource_type == "aws_iam_policy":
                policy = self.blocks[item.value.logical_id]
                origin = f"managed policy {item.value.logical_id}"
                self.read_policy(role, self.node(policy, "policy"), origin)
        if not isinstance(arns.value, list):
            self.incomplete(role)

    def role_policy(self, address: str, block: Block) -> None:
        role = self.node(block, "role")
        if role is not None and isinstance(role.value, Role):
            self.read_policy(role.value, self.node(block, "policy"), f"policy {address}")

    def policy_attachment(self, address: str, block: Block) -> None:
        role = self.node(block, "role")
        arn = self.node(block, "policy_arn")
        if role is not None and isinstance(role.value, Role) and arn is not None:
            self.managed(role.value, Node([arn], arn.span))

    def incomplete(self, role: Role | None) -> None:
        if role is not None:
            role.complete = False
        self.template.policies_complete = False

    def read_policy(self, role: Role, policy: Node | None, origin: str) -> None:
        if policy is not None and isinstance(policy.value, DataSource):
            self.read_policy_document_data(role, policy.value, origin)
            return
        document = self.document(policy)
        if document is None:
            self.incomplete(role)
            return
        statements = document.get("Statement")
        if statements is None:
            return
        for statement in statements.value if statements.is_list else [statements]:
            if not statement.is_map:
                self.incomplete(role)
                continue
            role.statements.append(self.json_statement(statement, origin))

    def document(self, node: Node | None) -> Node | None:
        """A JSON document: `jsonencode({...})`, a JSON string or a heredoc; None if unknown."""
        if node is None:
            return None
        if node.is_map:
            return node
        if isinstance(node.value, Heredoc):
            return heredoc_json(node.value)
        if isinstance(node.value, str):
            try:
                return wrap(json.loads(node.value), node.span)
            except ValueError:
                return None
        return None

    def json_statement(self, node: Node, origin: str) -> Statement:
        resources = node.get("Resource")
        return Statement(
            effect=to_val(node.get("Effect")),
            actions=vals(node.get("Action")),
            not_actions=vals(node.get("NotAction")),
            resources=vals(resources),
            not_resources=vals(node.get("NotResource")),
            has_condition=node.get("Condition") is not None,
            span=node.span,
            policy=origin,
            targets=targets(resources),
        )

    def read_policy_document_data(self, role: Role, data: DataSource, origin: str) -> None:
        if data.type != "aws_iam_policy_document" or data.attribute not in (
            "json",
            "minified_json",
        ):
            self.incomplete(role)
            return
        block = data.block
        for extra in (
            "source_policy_documents",
            "override_policy_documents",
            "source_json",
            "override_json",
        ):
            if block.get(extra) is not None:
                self.incomplete(role)  # merged documents we do not read
        origin = f"{origin} (data.aws_iam_policy_document.{data.name})"
        for statement in block.children("statement"):
            if statement.child("dynamic") is not None:
                self.incomplete(role)
            resources = self.node(statement, "resources")
            role.statements.append(
                Statement(
                    effect=self.effect(statement),
                    actions=vals(self.node(statement, "actions")),
                    not_actions=vals(self.node(statement, "not_actions")),
                    resources=vals(resources),
                    not_resources=vals(self.node(statement, "not_resources")),
                    has_condition=bool(statement.children("condition")),
                    span=statement.span,
                    policy=origin,
                    targets=targets(resources),
                )
            )
        if block.children("dynamic"):
            self.incomplete(role)

    def effect(self, statement: Block) -> Val:
        effect = self.val(statement, "effect")
        return Val("Allow", statement.span) if effect.is_missing else effect

    # -- functions ----------------------------------------------------------------------------

    def function(self, address: str, block: Block) -> None:
        function = self.obj(address)
        assert isinstance(function, Function)
        function.name = self.val(block, "function_name")
        function.runtime = self.val(block, "runtime")
        function.handler = self.val(block, "handler")
        function.timeout = self.val(block, "timeout")
        function.memory_size = self.val(block, "memory_size")
        function.ephemeral_storage = self.val(block, "ephemeral_storage", "size")
        function.reserved_concurrency = self.val(block, "reserved_concurrent_executions")
        if function.reserved_concurrency.value == -1:
            function.reserved_concurrency = Val()  # -1 is Terraform's "no reservation"
        function.tracing = self.val(block, "tracing_config", "mode")
        function.dead_letter = self.val(block, "dead_letter_config", "target_arn")
        function.log_group_ref = self.val(block, "logging_config", "log_group")
        function.layers = self.val(block, "layers")
        function.template_dir = posixpath.dirname(self.path)
        function.code_path = self.code_path(self.node(block, "filename"))
        if block.get("image_uri") is not None or block.get("s3_bucket") is not None:
            function.code_path = Val(UNKNOWN, block.span)
        self.environment(function, block.child("environment"))
        role = self.node(block, "role")
        function.role_ref = to_val(role)
        function.role = role.value if role is not None and isinstance(role.value, Role) else None

    def code_path(self, filename: Node | None) -> Val:
        """Where the code is: an `archive_file`'s source, else the file named; UNKNOWN when
        it is built somewhere we cannot see."""
        if filename is None:
            return Val()
        data = filename.value
        if isinstance(data, DataSource) and data.type == "archive_file":
            source = self.node(data.block, "source_dir")
            if source is None:
                single = self.node(data.block, "source_file")
                if single is not None and isinstance(single.value, str):
                    source = Node(posixpath.dirname(single.value) or ".", single.span)
            return relative(to_val(source))
        return relative(to_val(filename))

    def environment(self, function: Function, block: Block | None) -> None:
        if block is None:
            return
        function.environment_span = block.span
        variables = self.node(block, "variables")
        if variables is None:
            return
        function.environment_span = variables.span
        if not variables.is_map:
            function.environment_complete = False
            return
        for key, value in variables.items():
            function.environment[key] = to_val(value)

    def event_invoke_config(self, address: str, block: Block) -> None:
        function = self.function_of(self.node(block, "function_name"))
        if function is None:
            return
        destination = block.child("destination_config")
        function.async_config = AsyncConfig(
            on_failure=self.val(destination, "on_failure", "destination"),
            on_success=self.val(destination, "on_success", "destination"),
            maximum_retry_attempts=self.val(block, "maximum_retry_attempts"),
            maximum_event_age=self.val(block, "maximum_event_age_in_seconds"),
            span=block.span,
        )

    def recursion_config(self, address: str, block: Block) -> None:
        function = self.function_of(self.node(block, "function_name"))
        if function is not None:
            function.recursive_loop = self.val(block, "recursive_loop")

    def function_url(self, address: str, block: Block) -> None:
        url = self.obj(address)
        assert isinstance(url, FunctionUrl)
        url.auth_type = self.val(block, "authorization_type")
        cors = block.child("cors")
        url.cors_origins = self.val(cors, "allow_origins")
        url.cors_methods = self.val(cors, "allow_methods")
        url.cors_credentials = self.val(cors, "allow_credentials")
        function = self.function_of(self.node(block, "function_name"))
        if function is not None:
            url.function = function
            function.url = url

    def permission(self, address: str, block: Block) -> None:
        permission = self.obj(address)
        assert isinstance(permission, Permission)
        name = self.node(block, "function_name")
        permission.function_ref = to_val(name)
        permission.function = self.function_of(name)
        permission.principal = self.val(block, "principal")
        permission.source_arn = self.val(block, "source_arn")
        permission.source_account = self.val(block, "source_account")
        permission.principal_org_id = self.val(block, "principal_org_id")
        permission.action = self.val(block, "action")

    # -- event sources ------------------------------------------------------------------------

    def event_source_mapping(self, address: str, block: Block) -> None:
        event = self.obj(address)
        assert isinstance(event, EventSource)
        event.invocation = "poll"
        source = self.node(block, "event_source_arn")
        event.target_ref = to_val(source)
        target = source.value if source is not None else None
        event.target = target if isinstance(target, Resource) else None
        event.kind = poll_kind(event.target, event.target_ref)
        if block.child("self_managed_event_source") is not None:
            event.kind = "kafka"
        event.batch_size = self.val(block, "batch_size")
        event.batching_window = self.val(block, "maximum_batching_window_in_seconds")
        event.function_response_types = self.val(block, "function_response_types")
        event.on_failure = self.val(block, "destination_config", "on_failure", "destination_arn")
        event.maximum_retry_attempts = self.val(block, "maximum_retry_attempts")
        event.maximum_record_age = self.val(block, "maximum_record_age_in_seconds")
        event.bisect_on_error = self.val(block, "bisect_batch_on_function_error")
        criteria = block.child("filter_criteria")
        event.filter_criteria = Val(UNKNOWN, criteria.span) if criteria else Val()
        function = self.function_of(self.node(block, "function_name"))
        if function is None:
            self.template.unattached_events.append(event)
        attach(function, event)

    def caller(self, address: str, span: Span, kind: str, invocation: str) -> EventSource:
        return EventSource(
            address,
            span,
            source="terraform",
            anchor=address,
            kind=kind,
            invocation=invocation,
            resource_type=self.types.get(address, ""),
            names=TERRAFORM_NAMES,
        )

    def bucket_notification(self, address: str, block: Block) -> None:
        bucket = self.node(block, "bucket")
        for config in block.children("lambda_function"):
            event = self.caller(address, config.span, "s3", "async")
            if bucket is not None and isinstance(bucket.value, Bucket):
                event.target = bucket.value
            event.target_ref = to_val(bucket)
            event.filter_prefix = self.val(config, "filter_prefix")
            event.filter_suffix = self.val(config, "filter_suffix")
            attach(self.function_of(self.node(config, "lambda_function_arn")), event)

    def sns_subscription(self, address: str, block: Block) -> None:
        if self.val(block, "protocol").text() != "lambda":
            return
        event = self.caller(address, block.span, "sns", "async")
        topic = self.node(block, "topic_arn")
        event.target_ref = to_val(topic)
        if topic is not None and isinstance(topic.value, Topic):
            event.target = topic.value
        attach(self.function_of(self.node(block, "endpoint")), event)

    def policy_attachment_to_roles(self, address: str, block: Block) -> None:
        """`aws_iam_policy_attachment`: one policy attached to a list of roles."""
        roles = self.node(block, "roles")
        arn = self.node(block, "policy_arn")
        for role in roles.value if roles is not None and isinstance(roles.value, list) else []:
            if isinstance(role.value, Role) and arn is not None:
                self.managed(role.value, Node([arn], arn.span))

    def scheduler_schedule(self, address: str, block: Block) -> None:
        """`aws_scheduler_schedule`: EventBridge Scheduler invokes its target asynchronously."""
        target = block.child("target")
        function = self.function_of(self.node(target, "arn"))
        if target is None or function is None:
            return
        event = self.caller(address, block.span, "schedule", "async")
        event.on_failure = self.val(target, "dead_letter_config", "arn")
        event.maximum_retry_attempts = self.val(target, "retry_policy", "maximum_retry_attempts")
        attach(function, event)

    def target_group_attachment(self, address: str, block: Block) -> None:
        """An ALB target group attachment naming a function: the load balancer waits for it."""
        function = self.function_of(self.node(block, "target_id"))
        if function is not None:
            attach(function, self.caller(address, block.span, "alb", "sync"))

    def eventbridge_target(self, address: str, block: Block) -> None:
        function = self.function_of(self.node(block, "arn"))
        if function is None:
            return
        rule = self.node(block, "rule")
        kind = "eventbridge"
        if rule is not None and isinstance(rule.value, Resource):
            rule_block = self.blocks.get(rule.value.logical_id)
            if rule_block is not None and rule_block.get("schedule_expression") is not None:
                kind = "schedule"
        event = self.caller(address, block.span, kind, "async")
        event.on_failure = self.val(block, "dead_letter_config", "arn")
        event.maximum_retry_attempts = self.val(block, "retry_policy", "maximum_retry_attempts")
        attach(function, event)

    def rest_integration(self, address: str, block: Block) -> None:
        if self.val(block, "type").text() not in ("AWS", "AWS_PROXY"):
            return
        function = self.function_of(self.node(block, "uri"))
        if function is None:
            return
        event = self.caller(address, block.span, "api", "sync")
        event.integration_timeout = self.val(block, "timeout_milliseconds")
        header = self.node(block, "request_parameters")
        if header is not None and header.is_map:
            invocation = header.get("integration.request.header.X-Amz-Invocation-Type")
            text = to_val(invocation).text() if invocation is not None else "RequestResponse"
            if text is None:
                event.invocation = ""
            elif text.strip("'\" ").lower() == "event":
                event.invocation = "async"
        elif header is not None:
            event.invocation = ""
        attach(function, event)

    def http_integration(self, address: str, block: Block) -> None:
        if self.val(block, "integration_type").text() != "AWS_PROXY":
            return
        function = self.function_of(self.node(block, "integration_uri"))
        if function is None:
            return
        api = self.node(block, "api_id")
        protocol = Val()
        if api is not None and isinstance(api.value, Resource):
            protocol = self.val(self.blocks.get(api.value.logical_id), "protocol_type")
        if protocol.text() not in ("HTTP", "WEBSOCKET"):
            return  # an API defined elsewhere: we cannot tell how long its caller waits
        kind = "httpapi" if protocol.text() == "HTTP" else "websocket"
        event = self.caller(address, block.span, kind, "sync")
        event.integration_timeout = self.val(block, "timeout_milliseconds")
        attach(function, event)

    # -- the community module -----------------------------------------------------------------

    def lambda_module(self, block: Block) -> None:
        """`module "x" { source = "terraform-aws-modules/lambda/aws" ... }`: its inputs are the
        function's attributes; it makes the role and (with retention when asked) the log group."""
        source = self.val(block, "source").text() or ""
        if not source.split("?")[0].rstrip("/").endswith(LAMBDA_MODULE.split("//")[0]):
            return
        # The module makes its function only when `create` and `create_function` hold and
        # `create_layer` does not: a layer-only instance has no function to judge.
        if (
            self.val(block, "create").value is False
            or self.val(block, "create_function").value is False
            or self.val(block, "create_layer").value is True
        ):
            return
        address = f"module.{block.labels[0]}" if block.labels else "module"
        function = Function(
            address,
            block.span,
            source="terraform",
            anchor=address,
            resource_type="module",
            names=MODULE_NAMES,
        )
        self.template.functions.append(function)
        function.name = self.val(block, "function_name")
        function.runtime = self.val(block, "runtime")
        function.handler = self.val(block, "handler")
        function.timeout = self.val(block, "timeout")
        function.memory_size = self.val(block, "memory_size")
        function.ephemeral_storage = self.val(block, "ephemeral_storage_size")
        function.reserved_concurrency = self.val(block, "reserved_concurrent_executions")
        if function.reserved_concurrency.value == -1:
            function.reserved_concurrency = Val()
        tracing = self.val(block, "tracing_mode")
        function.tracing = tracing
        function.layers = self.val(block, "layers")
        function.template_dir = posixpath.dirname(self.path)
        source_path = self.node(block, "source_path")
        if source_path is not None and isinstance(source_path.value, str):
            function.code_path = relative(to_val(source_path))
        elif source_path is not None or block.get("local_existing_package") is not None:
            function.code_path = Val(UNKNOWN, block.span)
        variables = self.node(block, "environment_variables")
        if variables is not None:
            function.environment_span = variables.span
            if variables.is_map:
                function.environment.update({k: to_val(v) for k, v in variables.items()})
            else:
                function.environment_complete = False
        self.module_role(function, block)
        self.module_log_group(function, block)

    def module_role(self, function: Function, block: Block) -> None:
        if self.val(block, "create_role").value is False:
            role = self.node(block, "lambda_role")
            function.role_ref = to_val(role)
            named = role.value if role is not None else None
            function.role = named if isinstance(named, Role) else None
            return
        role = Role(
            f"{function.logical_id} role",
            block.span,
            source="terraform",
            anchor=function.anchor,
            implicit=True,
            names=MODULE_NAMES,
        )
        self.template.roles.append(role)
        function.role = role
        if self.val(block, "attach_policy_statements").value is True:
            statements = self.node(block, "policy_statements")
            if statements is not None and statements.is_map:
                for name, statement in statements.items():
                    role.statements.append(self.module_statement(statement, name))
            else:
                self.incomplete(role)
        if self.val(block, "attach_policy_json").value is True:
            self.read_policy(role, self.node(block, "policy_json"), "policy_json")
        for flag in ("attach_policy", "attach_policies", "attach_policy_jsons"):
            if self.val(block, flag).value is not False and block.get(flag) is not None:
                self.incomplete(role)  # policies named by ARN or many documents: not read

    def module_statement(self, node: Node, name: str) -> Statement:
        resources = node.get("resources")
        effect = to_val(node.get("effect"))
        return Statement(
            effect=Val("Allow", node.span) if effect.is_missing else effect,
            actions=vals(node.get("actions")),
            not_actions=vals(node.get("not_actions")),
            resources=vals(resources),
            not_resources=vals(node.get("not_resources")),
            has_condition=node.get("condition") is not None,
            span=node.span,
            policy=f"policy_statements.{name}",
            targets=targets(resources),
        )

    def module_log_group(self, function: Function, block: Block) -> None:
        if self.val(block, "use_existing_cloudwatch_log_group").value is True:
            function.log_group_ref = Val(UNKNOWN, block.span)
            return
        group = LogGroup(
            f"{function.logical_id} log group",
            block.span,
            source="terraform",
            anchor=function.anchor,
            names=MODULE_NAMES,
        )
        group.name = Val(UNKNOWN, block.span)
        group.retention = self.val(block, "cloudwatch_logs_retention_in_days")
        if group.retention.value == 0:
            group.retention = Val()
        self.template.log_groups.append(group)
        function.log_group = group

    # -- log groups ---------------------------------------------------------------------------

    def log_group_owner(self, group: LogGroup) -> Function | None:
        block = self.blocks.get(group.logical_id)
        attribute = block.get("name") if block is not None else None
        name = self.node(block, "name")
        if attribute is None or name is None or not isinstance(name.value, Mentions):
            return None
        literal = _leading_text(attribute.expr)
        functions = [o for o in name.value.objects if isinstance(o, Function)]
        if literal.startswith("/aws/lambda/") and len(functions) == 1:
            return functions[0]
        return None


MODULE_NAMES = {
    **TERRAFORM_NAMES,
    "RetentionInDays": "cloudwatch_logs_retention_in_days",
    "Tracing": "tracing_mode",
    "Environment": "environment_variables",
}


def poll_kind(target: Resource | None, ref: Val) -> str:
    if target is not None and target.resource_type in POLL_KINDS:
        return POLL_KINDS[target.resource_type]
    text = ref.text() or ""
    parts = text.split(":")
    return POLL_SERVICES.get(parts[2], "") if len(parts) > 2 else ""


def to_val(node: Node | None) -> Val:
    """A Node as the model's Val: nested Nodes become plain values, unknown parts UNKNOWN."""
    if node is None:
        return Val()
    value = _settle(node)
    return Val(value, node.span)


def _settle(node: Node) -> Any:
    value = node.value
    if isinstance(value, dict):
        return {key: _settle(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_settle(child) for child in value]
    if isinstance(value, Heredoc):
        return value.value
    if isinstance(value, (Mentions, DataSource)):
        return UNKNOWN
    return value


def vals(node: Node | None) -> list[Val]:
    """A list attribute as one Val per element (a lone value counts as a list of one)."""
    if node is None or node.value is MISSING:
        return []
    if isinstance(node.value, list):
        return [to_val(item) for item in node.value]
    return [to_val(node)]


def targets(node: Node | None) -> list[Resource]:
    found: list[Resource] = []
    items = node.value if node is not None and isinstance(node.value, list) else [node]
    for item in items:
        if item is None:
            continue
        if isinstance(item.value, Resource):
            found.append(item.value)
        elif isinstance(item.value, Mentions):
            found.extend(item.value.objects)
    return found


def relative(path: Val) -> Val:
    """`${path.module}/src` is `./src`: paths relative to the module directory."""
    text = path.text()
    if text is None:
        return path if path.is_missing else Val(UNKNOWN, path.span)
    return Val(posixpath.normpath(text), path.span)


def heredoc_json(heredoc: Heredoc) -> Node | None:
    """A JSON policy in a heredoc with interpolations: each `${...}` a placeholder string while
    parsing; afterwards the placeholders become the objects they name, or UNKNOWN."""
    from lambdalint.frontends.cloudformation.json_loader import load_json

    holes: list[str] = []

    def hole(match) -> str:
        holes.append(match.group(0))
        return f"{HOLE}{len(holes) - 1}{HOLE}"

    text = INTERPOLATION.sub(hole, heredoc.text)
    try:
        root, _ = load_json(text, heredoc.path)
    except LoadError:
        return None
    return _fill_holes(root, holes, heredoc)


def _fill_holes(node: Node, holes: list[str], heredoc: Heredoc) -> Node:
    span = node.span
    span = Span(
        span.path,
        span.line + heredoc.first_line - 1,
        span.column,
        span.end_line + heredoc.first_line - 1,
        span.end_column,
    )
    value = node.value
    if isinstance(value, dict):
        keys = {k: _shift(s, heredoc) for k, s in (node.keys or {}).items()}
        return Node({k: _fill_holes(v, holes, heredoc) for k, v in value.items()}, span, keys)
    if isinstance(value, list):
        return Node([_fill_holes(v, holes, heredoc) for v in value], span)
    if isinstance(value, str) and HOLE in value:
        original = value
        for index, text in enumerate(holes):
            original = original.replace(f"{HOLE}{index}{HOLE}", text)
        objects = heredoc.evaluator.mentioned(original)
        whole = len(holes) and any(original == text for text in holes)
        if whole and len(objects) == 1:
            return Node(objects[0], span)
        return Node(Mentions(objects) if objects else UNKNOWN, span)
    return Node(value, span)


def _shift(span: Span, heredoc: Heredoc) -> Span:
    return Span(
        span.path,
        span.line + heredoc.first_line - 1,
        span.column,
        span.end_line + heredoc.first_line - 1,
        span.end_column,
    )


def _descend(node: Node | None, names: tuple[str, ...]) -> Node | None:
    for name in names:
        if node is None:
            return None
        if isinstance(node.value, list) and len(node.value) == 1:
            node = node.value[0]
        if not node.is_map:
            return Node(UNKNOWN, node.span) if node.value is not MISSING else None
        node = node.get(name)
    return node


def _leading_text(tree: Any) -> str:
    """The literal text a string expression starts with (`"/aws/lambda/${...}"`)."""
    if isinstance(tree, JsonValue):
        text = tree.node.value
        return text.split("${", 1)[0] if isinstance(text, str) else ""
    while getattr(tree, "data", None) == "expr_term" and len(tree.children) == 1:
        tree = tree.children[0]
    if getattr(tree, "data", None) != "string":
        return ""
    text = ""
    for part in tree.children:
        if getattr(part, "data", None) != "string_part":
            continue
        inner = part.children[0]
        if hasattr(inner, "data"):
            break
        text += str(inner)
    return text


PASSES: list[tuple[tuple[str, ...], Callable[[TerraformBuilder, str, Block], None]]] = [
    (("aws_sqs_queue",), TerraformBuilder.queue),
    (("aws_s3_bucket", "aws_sns_topic"), TerraformBuilder.named),
    (("aws_dynamodb_table",), TerraformBuilder.table),
    (("aws_cloudwatch_log_group",), TerraformBuilder.log_group),
    (("aws_iam_role",), TerraformBuilder.role),
    (("aws_lambda_function",), TerraformBuilder.function),
    (("aws_iam_role_policy",), TerraformBuilder.role_policy),
    (("aws_iam_role_policy_attachment",), TerraformBuilder.policy_attachment),
    (("aws_sqs_queue_redrive_policy",), TerraformBuilder.queue_redrive_policy),
    (("aws_lambda_event_source_mapping",), TerraformBuilder.event_source_mapping),
    (("aws_lambda_permission",), TerraformBuilder.permission),
    (("aws_lambda_function_url",), TerraformBuilder.function_url),
    (("aws_lambda_function_event_invoke_config",), TerraformBuilder.event_invoke_config),
    (("aws_lambda_function_recursion_config",), TerraformBuilder.recursion_config),
    (("aws_s3_bucket_notification",), TerraformBuilder.bucket_notification),
    (("aws_sns_topic_subscription",), TerraformBuilder.sns_subscription),
    (("aws_cloudwatch_event_target",), TerraformBuilder.eventbridge_target),
    (("aws_iam_policy_attachment",), TerraformBuilder.policy_attachment_to_roles),
    (("aws_scheduler_schedule",), TerraformBuilder.scheduler_schedule),
    (
        ("aws_lb_target_group_attachment", "aws_alb_target_group_attachment"),
        TerraformBuilder.target_group_attachment,
    ),
    (("aws_api_gateway_integration",), TerraformBuilder.rest_integration),
    (("aws_apigatewayv2_integration",), TerraformBuilder.http_integration),
]
