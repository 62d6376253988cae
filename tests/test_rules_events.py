"""LL401-LL409 against hand-built models (the shape every frontend produces)."""

from __future__ import annotations

from lambdalint.api import LinkedFunction, ProjectContext, TemplateContext
from lambdalint.core.finding import Severity
from lambdalint.core.rule import ProjectRule, all_rules
from lambdalint.core.span import Span
from lambdalint.model import (
    UNKNOWN,
    AsyncConfig,
    Bucket,
    EventSource,
    Function,
    Queue,
    Role,
    Statement,
    Table,
    Template,
    Topic,
    Val,
)

PATH = "template.yaml"


def at(line: int) -> Span:
    return Span(PATH, line, 1, line, 2)


def v(value, line: int = 0, possible: tuple = ()) -> Val:
    return Val(value, at(line) if line else None, possible)


def event(kind, line=20, target=None, invocation="poll", **fields) -> EventSource:
    values = {key: value if isinstance(value, Val) else v(value) for key, value in fields.items()}
    return EventSource(
        f"E{line}",
        at(line),
        kind=kind,
        invocation=invocation,
        target=target,
        anchor=f"Resources/E{line}",
        **values,
    )


def function(*events, line=10, **fields) -> Function:
    """Fields as Vals unless they are model objects or the platform default."""
    values = {
        key: value
        if isinstance(value, (Val, Role, AsyncConfig)) or key == "default_timeout"
        else v(value)
        for key, value in fields.items()
    }
    return Function("Fn", at(line), events=list(events), anchor="Resources/Fn", **values)


def queue(line=30, **fields) -> Queue:
    values = {key: value if isinstance(value, Val) else v(value) for key, value in fields.items()}
    return Queue(f"Q{line}", at(line), anchor=f"Resources/Q{line}", **values)


def check(rule_id: str, *functions: Function) -> list:
    template = Template(PATH, "cloudformation", functions=list(functions))
    rule = all_rules()[rule_id]()
    if isinstance(rule, ProjectRule):  # LL408 reads the code too; here there is none
        linked = [LinkedFunction(f, template, "", None) for f in functions]
        return list(rule.check(ProjectContext(linked, None, [template])))
    return list(rule.check(TemplateContext(template, [template])))


def lines(findings) -> list[int]:
    return sorted(f.where.line for f in findings)


# LL401 ------------------------------------------------------------------------------------


def test_ll401_error_below_function_timeout_with_defaults():
    # default visibility 30 s < 60 s
    [finding] = check("LL401", function(event("sqs", target=queue()), timeout=v(60, 11)))
    assert finding.severity is Severity.ERROR and finding.where.line == 20
    assert {r.where.line for r in finding.related} == {30, 11}


def test_ll401_warning_below_six_times_plus_window():
    fn = function(
        event("sqs", target=queue(visibility_timeout=v(65, 31)), batching_window=10), timeout=10
    )
    [finding] = check("LL401", fn)
    assert finding.severity is Severity.WARNING


def test_ll401_sam_events_default_function_timeout_is_fine():
    # a SAM `Events: SQS` gives the same model: 30 s >= 6 x 3 s
    assert check("LL401", function(event("sqs", target=queue()))) == []
    assert check("LL401", function(event("sqs", target=queue()), default_timeout=6)) != []


def test_ll401_unknowns_are_silent():
    assert check("LL401", function(event("sqs", target=queue()), timeout=v(UNKNOWN))) == []
    q = queue(visibility_timeout=v(UNKNOWN, 31, (10, 900)))
    assert check("LL401", function(event("sqs", target=q), timeout=60)) == []
    assert check("LL401", function(event("sqs", target=None), timeout=60)) == []


def test_ll401_alternatives_must_all_be_bad():
    q = queue(visibility_timeout=v(UNKNOWN, 31, (10, 20)))
    [finding] = check("LL401", function(event("sqs", target=q), timeout=60))
    assert finding.severity is Severity.ERROR


# LL402 / LL403 ----------------------------------------------------------------------------


def test_ll402_streams_without_destination_never_sqs():
    fn = function(
        event("kinesis", 20),
        event("dynamodb", 30, on_failure="arn:aws:sqs:us-east-1:1:dlq"),
        event("msk", 40, on_failure=UNKNOWN),
        event("sqs", 50),
        event("kafka", 60),
    )
    assert lines(check("LL402", fn)) == [20, 60]


def test_ll403_unbounded_retries():
    fn = function(
        event("kinesis", 20),
        event("kinesis", 30, maximum_retry_attempts=-1, maximum_record_age=-1),
        event("dynamodb", 40, maximum_retry_attempts=3),
        event("dynamodb", 50, maximum_record_age=3600),
        event("kinesis", 60, bisect_on_error=True),
        event("kinesis", 70, bisect_on_error="true"),
        event("kinesis", 80, maximum_retry_attempts=UNKNOWN),
        event("kinesis", 90, bisect_on_error=UNKNOWN),
        event("sqs", 100),
    )
    assert lines(check("LL403", fn)) == [20, 30]


# LL404 ------------------------------------------------------------------------------------


def test_ll404_redrive():
    q1 = queue(30)
    q2 = queue(40, dead_letter_target="arn", max_receive_count=v(3, 41))
    q3 = queue(50, dead_letter_target="arn", max_receive_count=5)
    q4 = queue(60, dead_letter_target=UNKNOWN)
    fn = function(*(event("sqs", 20 + i, target=q) for i, q in enumerate((q1, q2, q3, q4, q1))))
    findings = check("LL404", fn)
    assert lines(findings) == [30, 41]
    assert findings[0].anchor == "Resources/Q30"


# LL405 ------------------------------------------------------------------------------------


def test_ll405_async_without_failure_target():
    assert lines(check("LL405", function(event("s3", invocation="async")))) == [10]
    assert lines(check("LL405", function(event("schedule", invocation="async")))) == [10]
    assert check("LL405", function(event("sqs"))) == []
    assert check("LL405", function(event("api", invocation="sync"))) == []


def test_ll405_either_dlq_or_destination_satisfies_it():
    s3 = event("s3", invocation="async")
    assert check("LL405", function(s3, dead_letter="arn:aws:sqs:us-east-1:1:dlq")) == []
    assert check("LL405", function(s3, dead_letter=UNKNOWN)) == []
    config = AsyncConfig(on_failure=v("arn:aws:sns:us-east-1:1:t"))
    assert check("LL405", function(s3, async_config=config)) == []
    assert check("LL405", function(s3, async_config=AsyncConfig())) != []


# LL406 ------------------------------------------------------------------------------------


def test_ll406_partial_batch_response():
    fn = function(
        event("sqs", 20),
        event("kinesis", 30, function_response_types=v(["ReportBatchItemFailures"], 31)),
        event("dynamodb", 40, function_response_types=v([], 41)),
        event("sqs", 50, function_response_types=UNKNOWN),
        event("sqs", 60, function_response_types=[UNKNOWN]),
        event("msk", 70),
    )
    assert lines(check("LL406", fn)) == [20, 41]


# LL407 ------------------------------------------------------------------------------------


def test_ll407_sqs_batching():
    fifo = queue(90, fifo=True)
    fn = function(
        event("sqs", 20, batch_size=v(100, 21)),
        event("sqs", 30, batch_size=100, batching_window=1),
        event("sqs", 40, batch_size=10),
        event("sqs", 50, target=fifo, batch_size=v(20, 51), batching_window=5),
        event("sqs", 60, target=fifo, batch_size=10, batching_window=v(5, 61)),
        event("sqs", 70, batch_size=v(UNKNOWN, 71)),
        event("sqs", 80, batch_size=100, batching_window=UNKNOWN),
    )
    assert lines(check("LL407", fn)) == [21, 51, 61]


def test_ll407_source_limits():
    fn = function(
        event("kinesis", 20, batch_size=v(20000, 21)),
        event("kinesis", 30, batch_size=500),
        event("dynamodb", 40, batching_window=v(301, 41)),
        event("msk", 50, batch_size=v(0, 51)),
    )
    assert lines(check("LL407", fn)) == [21, 41, 51]


# LL408 ------------------------------------------------------------------------------------


def allow(actions, resources, line=80) -> Statement:
    return Statement(
        effect=v("Allow"),
        actions=[v(a) for a in actions],
        resources=[r if isinstance(r, Val) else v(r, line) for r in resources],
        span=at(line - 1),
    )


def role(*statements) -> Role:
    return Role("Role", at(70), statements=list(statements), anchor="Resources/Role")


def test_ll408_queue_topic_table_loops():
    q, t = queue(30), Topic("T", at(40), name=v("orders"))
    table = Table("Tbl", at(50), name=v("items"))
    r = role(
        allow(["sqs:SendMessage"], [v(q, 80)], 80),
        allow(["sns:*"], ["arn:aws:sns:us-east-1:123456789012:orders"], 90),
        allow(["dynamodb:PutItem"], ["arn:aws:dynamodb:*:*:table/items"], 100),
    )
    fn = function(
        event("sqs", 20, target=q),
        event("sns", 21, target=t, invocation="async"),
        event("dynamodb", 22, target=table),
        role=r,
    )
    findings = check("LL408", fn)
    assert lines(findings) == [80, 90, 100]
    assert findings[0].related[0].where.line == 20


def test_ll408_not_other_resources_stars_reads_or_denied():
    q, other = queue(30), queue(40)
    fn = function(event("sqs", 20, target=q), role=role(allow(["sqs:SendMessage"], [v(other, 80)])))
    assert check("LL408", fn) == []
    fn = function(event("sqs", 20, target=q), role=role(allow(["sqs:SendMessage"], ["*"])))
    assert check("LL408", fn) == []
    fn = function(event("sqs", 20, target=q), role=role(allow(["sqs:ReceiveMessage"], [v(q, 80)])))
    assert check("LL408", fn) == []
    deny = Statement(effect=v("Deny"), actions=[v("sqs:Send*")], resources=[v("*")])
    fn = function(
        event("sqs", 20, target=q), role=role(allow(["sqs:SendMessage"], [v(q, 80)]), deny)
    )
    assert check("LL408", fn) == []
    fn = function(event("sqs", 20, target=q), role=role(allow(["sqs:SendMessage"], [v(UNKNOWN)])))
    assert check("LL408", fn) == []


def bucket_case(resource: str, **filters) -> list:
    b = Bucket("B", at(30), name=v("uploads-bucket"))
    writes = role(allow(["s3:PutObject"], [resource]))
    return check(
        "LL408", function(event("s3", 20, target=b, invocation="async", **filters), role=writes)
    )


def test_ll408_s3_key_filters():
    arn = "arn:aws:s3:::uploads-bucket"
    assert lines(bucket_case(f"{arn}/*")) == [80]
    assert lines(bucket_case(f"{arn}/in/*", filter_prefix="in/")) == [80]
    assert lines(bucket_case(f"{arn}/in/*.jpg", filter_suffix=".jpg")) == [80]
    assert bucket_case(f"{arn}/out/*", filter_prefix="in/") == []
    assert bucket_case(f"{arn}/*", filter_prefix="in/") == []  # the filter keeps input apart
    assert bucket_case(f"{arn}/*", filter_prefix=UNKNOWN) == []
    assert bucket_case(arn) == []  # the bucket itself: no object writes
    assert bucket_case("arn:aws:s3:::other-bucket/*") == []
    assert bucket_case("arn:aws:s3:::*/*") == []


# LL409 ------------------------------------------------------------------------------------


def test_ll409_recursive_loop_allow():
    assert lines(check("LL409", function(recursive_loop=v("Allow", 12)))) == [12]
    assert check("LL409", function(recursive_loop="Terminate")) == []
    assert check("LL409", function(recursive_loop=v(UNKNOWN, 12, ("Allow", "Terminate")))) == []
    assert check("LL409", function()) == []


def test_ll408_references_the_frontend_could_not_spell_out():
    # `!Sub "${Bucket.Arn}/*"`: the value is UNKNOWN, the statement's targets name the bucket
    b = Bucket("B", at(30))
    statement = allow(["s3:PutObject"], [v(UNKNOWN, 80)])
    statement.targets = [b]
    fn = function(event("s3", 20, target=b, invocation="async"), role=role(statement))
    assert lines(check("LL408", fn)) == [79]
    filtered = function(
        event("s3", 20, target=b, invocation="async", filter_prefix="in/"), role=role(statement)
    )
    assert check("LL408", filtered) == []
    # a readable value elsewhere is judged on its own
    q = queue(30)
    other = allow(["sqs:SendMessage"], ["arn:aws:sqs:us-east-1:1:other"])
    other.targets = [q]
    assert check("LL408", function(event("sqs", 20, target=q), role=role(other))) == []


def test_ll408_queue_by_name():
    q = queue(30, name="jobs")
    writes = role(allow(["sqs:SendMessage*"], ["arn:aws:sqs:*:123456789012:jobs"]))
    assert lines(check("LL408", function(event("sqs", 20, target=q), role=writes))) == [80]


SAM_QUEUE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore: [sqs-visibility-timeout]
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Timeout: 60
      Events:
        JobQueue:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def test_metadata_on_the_function_suppresses_findings_on_its_sam_events(lint):
    result = lint({"template.yaml": SAM_QUEUE}, select=["LL401", "LL406"])
    assert sorted(f.rule for f in result.findings) == ["LL406"]
