"""The objects of the model. Every frontend fills the same fields; `source` says which format.

Relations are object references (an EventSource's `queue` is the Queue), resolved by the
frontend from `!Ref`, `!GetAtt`, ARNs built with `!Sub`, Terraform references, or serverless
`Fn::GetAtt`. A relation that cannot be resolved is None, and its raw value stays in the `*_ref`
Val so a rule can tell "not set" (MISSING) from "set to something unknown" (UNKNOWN).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.core.span import Span
from lambdalint.model.values import MISSING_VAL, Val


@dataclass(eq=False)
class Resource:
    logical_id: str  # CloudFormation logical id, Terraform address, serverless function key
    span: Span  # the logical id / resource header: where findings about missing things point
    source: str = "cloudformation"  # "cloudformation", "sam", "terraform", "serverless"
    suppressed: tuple[str, ...] = ()  # rule ids/names from Metadata: {lambdalint: {ignore: [...]}}
    anchor: str = ""  # logical path, e.g. "Resources/OrderFn"
    resource_type: str = ""  # as written: "AWS::SQS::Queue", "aws_sqs_queue"; any resource type
    # can be the target of a relation (a Kinesis stream is a plain Resource)
    # How the user's format spells a property a message names, keyed by its CloudFormation
    # name (`Timeout` -> `timeout` in Terraform); filled by the frontend, empty for CloudFormation.
    names: dict[str, str] = field(default_factory=dict, repr=False)
    construct_path: str = ""  # CDK: the construct that synthesized it (`aws:cdk:path`)
    # The template condition it is created under (`Condition: IsProd`); empty when always.
    # A finding about such a resource itself holds whenever it is deployed; but it may not
    # exist, so it never proves something about another resource (a grant or a Deny it adds
    # to a role is only possible: LL503 cannot count on it).
    condition: str = ""

    def __hash__(self) -> int:
        return id(self)

    def prop(self, name: str) -> str:
        """`name` (a CloudFormation property name) as this resource's format writes it."""
        return self.names.get(name, name)


@dataclass(eq=False)
class Statement:
    effect: Val = MISSING_VAL  # "Allow" / "Deny"
    actions: list[Val] = field(default_factory=list)  # each Val is one action string
    not_actions: list[Val] = field(default_factory=list)
    resources: list[Val] = field(default_factory=list)  # each Val is one ARN / "*"
    not_resources: list[Val] = field(default_factory=list)
    has_condition: bool = False
    sometimes: bool = False  # its policy exists only under a template condition
    span: Span | None = None  # the statement itself
    policy: str = ""  # where it came from: "inline policy X", "SAM policy template SQSPollerPolicy"
    targets: list[Resource] = field(default_factory=list)  # model objects `resources` name
    # through references (`!GetAtt Queue.Arn`, `!Sub arn:...:${Bucket}/*`), even when the
    # resource Val itself is UNKNOWN


@dataclass(eq=False)
class Role(Resource):
    statements: list[Statement] = field(default_factory=list)
    managed_policies: list[Val] = field(default_factory=list)  # ARNs or SAM names
    implicit: bool = False  # generated per function (SAM's <Fn>Role, serverless per-function)
    complete: bool = True  # False when some policy could not be read (an unknown template...)


@dataclass(eq=False)
class Queue(Resource):
    name: Val = MISSING_VAL  # QueueName
    visibility_timeout: Val = MISSING_VAL  # seconds; default 30
    fifo: Val = MISSING_VAL
    dead_letter_target: Val = MISSING_VAL  # the redrive policy's deadLetterTargetArn
    max_receive_count: Val = MISSING_VAL


@dataclass(eq=False)
class Bucket(Resource):
    name: Val = MISSING_VAL


@dataclass(eq=False)
class Topic(Resource):
    name: Val = MISSING_VAL


@dataclass(eq=False)
class Table(Resource):
    name: Val = MISSING_VAL
    stream_enabled: Val = MISSING_VAL


@dataclass(eq=False)
class LogGroup(Resource):
    name: Val = MISSING_VAL  # a known name, or UNKNOWN
    retention: Val = MISSING_VAL  # days


@dataclass(eq=False)
class FunctionUrl(Resource):
    auth_type: Val = MISSING_VAL  # "NONE" / "AWS_IAM"
    cors_origins: Val = MISSING_VAL  # list of origins
    cors_methods: Val = MISSING_VAL
    cors_credentials: Val = MISSING_VAL
    function: Resource | None = None  # the Function it fronts, when resolved


@dataclass(eq=False)
class AsyncConfig:
    on_failure: Val = MISSING_VAL  # destination ARN / reference
    on_success: Val = MISSING_VAL
    maximum_retry_attempts: Val = MISSING_VAL
    maximum_event_age: Val = MISSING_VAL
    span: Span | None = None


@dataclass(eq=False)
class EventSource(Resource):
    """Something that invokes the function: a polled mapping, an async or a sync caller."""

    kind: str = ""  # "sqs", "kinesis", "dynamodb", "msk", "kafka", "mq", "s3", "sns",
    # "eventbridge", "schedule", "iot", "ses", "logs", "api", "httpapi", "alb", "appsync"
    invocation: str = ""  # "poll" (event source mapping), "async" or "sync"
    target: Resource | None = None  # the Queue / Bucket / Topic / Table it reads from
    target_ref: Val = MISSING_VAL  # the raw ARN/reference of the source
    batch_size: Val = MISSING_VAL
    batching_window: Val = MISSING_VAL  # MaximumBatchingWindowInSeconds
    function_response_types: Val = MISSING_VAL  # list, e.g. ["ReportBatchItemFailures"]
    on_failure: Val = MISSING_VAL  # DestinationConfig.OnFailure destination
    maximum_retry_attempts: Val = MISSING_VAL
    maximum_record_age: Val = MISSING_VAL
    bisect_on_error: Val = MISSING_VAL
    filter_prefix: Val = MISSING_VAL  # S3 notification key filters
    filter_suffix: Val = MISSING_VAL
    filter_criteria: Val = MISSING_VAL  # FilterCriteria of a mapping (event filtering)
    integration_timeout: Val = MISSING_VAL  # ms, for API integrations that set one
    function: Resource | None = None  # the Function it invokes (the one whose `events` hold it)


@dataclass(eq=False)
class Permission(Resource):
    function: Resource | None = None
    function_ref: Val = MISSING_VAL
    principal: Val = MISSING_VAL
    source_arn: Val = MISSING_VAL
    source_account: Val = MISSING_VAL
    principal_org_id: Val = MISSING_VAL
    action: Val = MISSING_VAL
    implicit: bool = False  # generated by SAM for an event (scoped to its source by SAM)


@dataclass(eq=False)
class Function(Resource):
    name: Val = MISSING_VAL  # FunctionName
    runtime: Val = MISSING_VAL
    handler: Val = MISSING_VAL  # "app.lambda_handler"
    code_path: Val = MISSING_VAL  # CodeUri / Code / filename / source_dir, relative to the template
    inline_code: Val = MISSING_VAL  # InlineCode / Code.ZipFile
    timeout: Val = MISSING_VAL  # seconds
    default_timeout: int = 3  # the platform default: 3 s, 6 s for the Serverless Framework
    memory_size: Val = MISSING_VAL
    ephemeral_storage: Val = MISSING_VAL
    reserved_concurrency: Val = MISSING_VAL
    tracing: Val = MISSING_VAL  # "Active" / "PassThrough"
    environment: dict[str, Val] = field(default_factory=dict)
    environment_complete: bool = True  # False when variables come from an unresolvable map
    environment_span: Span | None = None
    log_group_ref: Val = MISSING_VAL  # LoggingConfig.LogGroup
    log_group: LogGroup | None = None  # resolved by the frontend when it can
    role: Role | None = None
    role_ref: Val = MISSING_VAL  # the raw Role property
    url: FunctionUrl | None = None
    events: list[EventSource] = field(default_factory=list)
    dead_letter: Val = MISSING_VAL  # DeadLetterConfig target
    async_config: AsyncConfig | None = (
        None  # EventInvokeConfig / aws_lambda_function_event_invoke_config
    )
    recursive_loop: Val = MISSING_VAL  # "Allow" / "Terminate"
    layers: Val = MISSING_VAL  # Layers: code (extensions, shared modules) outside the function's
    template_dir: str = ""  # the template's directory (display path) for resolving code_path


@dataclass(eq=False)
class Template:
    """One IaC file's model. Rules may also be given several templates (a project)."""

    path: str  # display path
    source: str  # "cloudformation", "sam", "terraform", "serverless"
    functions: list[Function] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    queues: list[Queue] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    log_groups: list[LogGroup] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    urls: list[FunctionUrl] = field(default_factory=list)
    policies_complete: bool = True
    # Event source mappings whose function could not be resolved (a FunctionName from a
    # parameter or an import): rules that need only the mapping itself can still read them.
    unattached_events: list[EventSource] = field(default_factory=list)

    def add(self, obj: Resource) -> None:
        """Put a model object in the list of its kind (a plain Resource goes in none)."""
        lists: dict[type, list] = {
            Function: self.functions,
            Role: self.roles,
            Queue: self.queues,
            Bucket: self.buckets,
            Topic: self.topics,
            Table: self.tables,
            LogGroup: self.log_groups,
            Permission: self.permissions,
            FunctionUrl: self.urls,
        }
        target = lists.get(type(obj))
        if target is not None:
            target.append(obj)
