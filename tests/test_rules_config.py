"""LL201-LL210 and LL212 against hand-built models: the rules read only the model, so these
cases hold for every template format a frontend turns into it."""

from __future__ import annotations

import datetime

import pytest

from lambdalint.api import TemplateContext
from lambdalint.core.finding import Severity
from lambdalint.core.rule import all_rules
from lambdalint.core.span import Span
from lambdalint.model import (
    MISSING,
    UNKNOWN,
    EventSource,
    Function,
    FunctionUrl,
    LogGroup,
    Template,
    Val,
)

PATH = "template.yaml"
TODAY = datetime.date(2026, 11, 25)
NOT_SET = Val()


def at(line: int) -> Span:
    return Span(PATH, line, 1, line, 10)


def val(value, line: int = 5, possible: tuple = ()) -> Val:
    return Val(value, at(line), possible)


def function(logical_id: str = "Fn", **fields) -> Function:
    fields.setdefault("timeout", val(10, 4))
    fields.setdefault("memory_size", val(512, 6))
    return Function(logical_id=logical_id, span=at(2), anchor=f"Resources/{logical_id}", **fields)


def run(rule_id: str, *functions: Function, as_of=TODAY, options=None, **template_fields):
    template = Template(PATH, "cloudformation", functions=list(functions), **template_fields)
    rule = all_rules()[rule_id](options=options)
    return list(rule.check(TemplateContext(template, [template], as_of)))


def lines(findings) -> list[int]:
    return [f.where.line for f in findings]


# LL201 missing-timeout


def test_ll201_missing_timeout_points_at_the_function_and_names_the_default():
    findings = run("LL201", function(timeout=Val(), default_timeout=6))
    assert lines(findings) == [2]
    assert "6 s" in findings[0].message
    assert findings[0].anchor == "Resources/Fn"


@pytest.mark.parametrize("timeout", [val(30), val(UNKNOWN), val(MISSING, possible=(30, MISSING))])
def test_ll201_set_unknown_or_conditional_timeout_is_not_missing(timeout):
    assert run("LL201", function(timeout=timeout)) == []


# LL202 timeout-exceeds-integration


def api(kind: str = "api", line: int = 9, **fields) -> EventSource:
    return EventSource(logical_id="Api", span=at(line), kind=kind, invocation="sync", **fields)


def test_ll202_timeout_over_api_wait():
    findings = run("LL202", function(timeout=val(60, 4), events=[api()]))
    assert lines(findings) == [4]
    assert findings[0].related[0].where.line == 9


def test_ll202_default_timeout_counts_and_option_changes_the_limit():
    fn = function(timeout=Val(), default_timeout=6, events=[api()])
    assert run("LL202", fn) == []
    findings = run("LL202", fn, options={"max_seconds": 5})
    assert lines(findings) == [2]


def test_ll202_integration_timeout_raises_the_limit():
    fn = function(timeout=val(60), events=[api(integration_timeout=val(90000))])
    assert run("LL202", fn) == []


@pytest.mark.parametrize(
    "fn",
    [
        function(timeout=val(UNKNOWN), events=[api()]),
        function(timeout=val(60), events=[api(integration_timeout=val(UNKNOWN))]),
        function(timeout=val(MISSING, possible=(60, 10)), events=[api()]),
        function(timeout=val(60), events=[api("sqs")]),
        function(timeout=val(29), events=[api("httpapi")]),
    ],
)
def test_ll202_silent(fn):
    assert run("LL202", fn) == []


# LL203 missing-memory-size


def test_ll203():
    assert lines(run("LL203", function(memory_size=Val()))) == [2]
    assert run("LL203", function(memory_size=val(UNKNOWN))) == []


def test_ll203_serverless_default_is_not_lambdas():
    fn = function(memory_size=Val())
    fn.source = "serverless"
    assert run("LL203", fn) == []


# LL204 deprecated-runtime


@pytest.mark.parametrize(
    ("runtime", "as_of", "severity"),
    [
        ("go1.x", TODAY, Severity.ERROR),  # creates blocked since 2024
        ("nodejs18.x", TODAY, Severity.WARNING),  # deprecated; AWS moved the block to 2027
        ("python3.10", datetime.date(2027, 1, 31), Severity.WARNING),  # deprecated, not blocked
        ("python3.10", datetime.date(2027, 2, 1), Severity.ERROR),  # creates blocked
        ("python3.10", datetime.date(2026, 8, 15), Severity.INFO),  # within 90 days
        ("python3.8", TODAY, Severity.WARNING),
        ("provided", TODAY, Severity.ERROR),
        ("dotnet8", TODAY, Severity.WARNING),
    ],
)
def test_ll204_severity_follows_the_calendar(runtime, as_of, severity):
    findings = run("LL204", function(runtime=val(runtime, 3)), as_of=as_of)
    assert [(f.where.line, f.severity) for f in findings] == [(3, severity)]


def test_ll204_message_names_the_successor():
    (finding,) = run("LL204", function(runtime=val("python3.9", 3)))
    assert "python3.14" in finding.message


@pytest.mark.parametrize(
    "runtime",
    [
        val("python3.14"),
        val("python3.10"),  # as of 2026-07-01: more than 90 days before deprecation
        val("dotnet9"),
        val("python3.99"),
        val(""),
        val(3.9),
        val(UNKNOWN),
        Val(),
        val(MISSING, possible=("python3.9", "python3.14")),
    ],
)
def test_ll204_silent(runtime):
    assert run("LL204", function(runtime=runtime), as_of=datetime.date(2026, 7, 1)) == []


def test_ll204_every_alternative_deprecated_reports_the_mildest():
    runtime = val(MISSING, possible=("nodejs18.x", "python3.10"))
    (finding,) = run("LL204", function(runtime=runtime), as_of=datetime.date(2026, 11, 29))
    assert finding.severity is Severity.WARNING


# LL205 no-reserved-concurrency


def test_ll205_missing_is_info_zero_is_warning():
    assert [f.severity for f in run("LL205", function())] == [Severity.INFO]
    findings = run("LL205", function(reserved_concurrency=val(0, 7)))
    assert [(f.where.line, f.severity) for f in findings] == [(7, Severity.WARNING)]
    assert run("LL205", function(reserved_concurrency=val(5))) == []
    assert run("LL205", function(reserved_concurrency=val(UNKNOWN))) == []


# LL206 tracing-disabled


def test_ll206_passthrough_is_not_active():
    assert lines(run("LL206", function(tracing=val("PassThrough", 8)))) == [8]
    assert lines(run("LL206", function())) == [2]


@pytest.mark.parametrize(
    "tracing", [val("Active"), val(True), val(UNKNOWN), val(MISSING, possible=("Active", "X"))]
)
def test_ll206_silent(tracing):
    assert run("LL206", function(tracing=tracing)) == []


# LL207 missing-log-retention


def group(name, retention: Val = NOT_SET, line: int = 12) -> LogGroup:
    name_val = name if isinstance(name, Val) else val(name, line + 2)
    return LogGroup(logical_id="Logs", span=at(line), name=name_val, retention=retention)


def test_ll207_no_log_group_at_all():
    assert lines(run("LL207", function())) == [2]


def test_ll207_unresolved_function_name_with_no_log_group_left_to_be_its_own():
    assert lines(run("LL207", function(name=val(UNKNOWN)))) == [2]
    logs = group("/aws/lambda/other", val(7))
    other = function("Other", name=val("other"), log_group=logs)
    assert lines(run("LL207", function(name=val(UNKNOWN)), other, log_groups=[logs])) == [2]


def test_ll207_logging_config_group_with_retention_satisfies_it():
    logs = group(UNKNOWN, retention=val(14))
    fn = function(log_group_ref=val(UNKNOWN), log_group=logs)
    assert run("LL207", fn, log_groups=[logs]) == []


def test_ll207_linked_group_without_retention():
    logs = group(UNKNOWN)
    fn = function(log_group_ref=val(UNKNOWN), log_group=logs)
    findings = run("LL207", fn, log_groups=[logs])
    assert lines(findings) == [12]
    assert findings[0].anchor == "Resources/Fn"


def test_ll207_group_named_after_the_function():
    fn = function(name=val("orders"))
    assert run("LL207", fn, log_groups=[group("/aws/lambda/orders", val(30))]) == []
    assert lines(run("LL207", fn, log_groups=[group("/aws/lambda/orders")])) == [12]
    assert lines(run("LL207", fn, log_groups=[group("/aws/lambda/other", val(30))])) == [2]


def test_ll207_group_in_another_template_of_the_run():
    fn = function(name=val("orders"))
    other = Template(
        "logs.yaml", "cloudformation", log_groups=[group("/aws/lambda/orders", val(7))]
    )
    template = Template(PATH, "cloudformation", functions=[fn])
    rule = all_rules()["LL207"]()
    assert list(rule.check(TemplateContext(template, [template, other], TODAY))) == []


@pytest.mark.parametrize(
    ("other_path", "expected"),
    [
        ("shop/logging/logs.yaml", []),  # below the function's folder: may be its group
        ("shop/logs.yaml", []),
        ("billing/template.yaml", [2]),  # another project of the same run
    ],
)
def test_ll207_unnamed_group_counts_only_in_related_folders(other_path, expected):
    other = Template(other_path, "cloudformation", log_groups=[group(UNKNOWN)])
    template = Template("shop/template.yaml", "cloudformation", functions=[function()])
    rule = all_rules()["LL207"]()
    findings = list(rule.check(TemplateContext(template, [template, other], TODAY)))
    assert lines(findings) == expected


@pytest.mark.parametrize(
    ("fn", "groups"),
    [
        (function(name=val(UNKNOWN)), [group("/aws/lambda/x", val(7))]),  # maybe its name
        (function(), [group(UNKNOWN, retention=Val())]),  # maybe !Sub naming this function
        (function(log_group_ref=val("/shared/logs")), []),  # made elsewhere
        (function(log_group_ref=val(UNKNOWN)), []),
        (function(name=val("orders")), [group("/aws/lambda/orders", val(UNKNOWN))]),
    ],
)
def test_ll207_silent(fn, groups):
    assert run("LL207", fn, log_groups=groups) == []


# LL208 secret-in-environment


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DB_PASSWORD", "hunter2-prod"),
        ("dbPassword", "hunter2-prod"),
        ("STRIPE_API_KEY", "sk_live_abc"),
        ("GITHUB_TOKEN", "ghp_abc"),
        ("CLIENT_SECRET", 123456),
        ("SOMETHING", "AKIAABCDEFGHIJKLMNOP"),
    ],
)
def test_ll208_reports_without_repeating_the_value(key, value):
    findings = run("LL208", function(environment={key: val(value, 9)}))
    assert lines(findings) == [9]
    assert str(value) not in findings[0].message


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DB_PASSWORD", UNKNOWN),
        ("DB_PASSWORD", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
        ("DB_PASSWORD", ""),
        ("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"),
        ("DB_PASSWORD", "/prod/db/password"),
        ("DB_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"),
        ("API_KEY_PARAM", "prod-api-key"),
        ("TOKEN_TTL", "3600"),
        ("TABLE_NAME", "orders"),
        ("TOKENIZER", "bert"),
    ],
)
def test_ll208_silent(key, value):
    assert run("LL208", function(environment={key: val(value)})) == []


# LL209 public-function-url


def url(**fields) -> FunctionUrl:
    return FunctionUrl(logical_id="FnUrl", span=at(20), **fields)


def test_ll209_auth_none_on_a_function_or_a_url_resource():
    fn = function(url=url(auth_type=val("NONE", 21)))
    assert lines(run("LL209", fn)) == [21]
    standalone = url(auth_type=val("NONE", 22), anchor="Resources/FnUrl")
    findings = run("LL209", function(), urls=[standalone])
    assert lines(findings) == [22]
    assert findings[0].anchor == "Resources/FnUrl"


def test_ll209_counted_once_when_linked_and_listed():
    shared = url(auth_type=val("NONE", 21))
    assert len(run("LL209", function(url=shared), urls=[shared])) == 1


@pytest.mark.parametrize("auth", [val("AWS_IAM"), val(UNKNOWN), Val()])
def test_ll209_silent(auth):
    assert run("LL209", function(url=url(auth_type=auth))) == []


# LL210 invalid-limits


def test_ll210_out_of_range_values():
    fn = function(timeout=val(901, 4), memory_size=val(64, 6), ephemeral_storage=val(20000, 7))
    assert lines(run("LL210", fn)) == [4, 6, 7]


def test_ll210_reserved_key_and_size():
    fn = function(environment={"AWS_REGION": val("eu-west-1", 9)}, environment_span=at(8))
    assert lines(run("LL210", fn)) == [9]
    big = {f"K{i}": val("x" * 1000, 9 + i) for i in range(5)}
    assert lines(run("LL210", function(environment=big, environment_span=at(8)))) == [8]


def test_ll210_unknown_values_only_add():
    small = {"A": val("x" * 1000), "B": val(UNKNOWN)}
    assert run("LL210", function(environment=small)) == []
    big = {"A": val("x" * 5000), "B": val(UNKNOWN)}
    assert len(run("LL210", function(environment=big))) == 1


@pytest.mark.parametrize(
    "fn",
    [
        function(timeout=val(900), memory_size=val(10240), ephemeral_storage=val(512)),
        function(timeout=val(UNKNOWN), memory_size=val("1024")),
        function(timeout=val(MISSING, possible=(901, 30))),
        function(environment={"AWS_REGION_NAME": val("eu-west-1")}),
    ],
)
def test_ll210_silent(fn):
    assert run("LL210", fn) == []


# LL212 open-function-url-cors


def test_ll212_every_origin_with_credentials_or_every_method():
    creds = url(cors_origins=val(["*"], 23), cors_credentials=val(True))
    assert lines(run("LL212", function(url=creds))) == [23]
    methods = url(cors_origins=val(["*"], 23), cors_methods=val(["*"]))
    assert lines(run("LL212", function(url=methods))) == [23]


@pytest.mark.parametrize(
    "cors",
    [
        url(cors_origins=val(["*"]), cors_methods=val(["GET"])),
        url(cors_origins=val(["https://example.com"]), cors_credentials=val(True)),
        url(cors_origins=val(UNKNOWN), cors_credentials=val(True)),
        url(cors_origins=val(["*"]), cors_credentials=val(UNKNOWN)),
        url(),
    ],
)
def test_ll212_silent(cors):
    assert run("LL212", function(url=cors)) == []


# Regressions of issue 4, through the real engine and the CloudFormation/SAM frontend.

SAM_FUNCTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: {runtime}
      Handler: app.handler
      CodeUri: src/
{extra}"""


def sam(runtime: str = "python3.13", extra: str = "") -> dict[str, str]:
    return {"template.yaml": SAM_FUNCTION.format(runtime=runtime, extra=extra)}


def found(result, rule: str) -> list[int]:
    return [f.span.line for f in result.findings if f.rule == rule]


def test_passthrough_tracing_is_ll206(lint):
    result = lint(sam(extra="      Tracing: PassThrough\n"), select=["LL206"])
    assert found(result, "LL206") == [10]


def test_logging_config_log_group_satisfies_ll207(lint):
    extra = (
        "      LoggingConfig:\n"
        "        LogGroup: !Ref Logs\n"
        "  Logs:\n"
        "    Type: AWS::Logs::LogGroup\n"
        "    Properties:\n"
        "      RetentionInDays: 14\n"
    )
    assert found(lint(sam(extra=extra), select=["LL207"]), "LL207") == []


def test_sam_function_url_auth_none_is_ll209(lint):
    extra = "      FunctionUrlConfig:\n        AuthType: NONE\n"
    assert found(lint(sam(extra=extra), select=["LL209"]), "LL209") == [11]


def test_unknown_runtime_crashes_nothing(lint):
    result = lint(sam(runtime="dotnet9"), select=["ALL"])
    assert not [f for f in result.findings if f.rule in ("LL000", "LL001", "LL204")]


def test_resource_metadata_suppresses_config_findings(lint):
    files = sam(extra="")
    files["template.yaml"] = files["template.yaml"].replace(
        "    Type: AWS::Serverless::Function\n",
        "    Type: AWS::Serverless::Function\n    Metadata:\n      lambdalint:\n"
        "        ignore: [LL201, missing-memory-size]\n",
    )
    result = lint(files, select=["LL201", "LL203", "LL206"])
    assert {f.rule for f in result.findings} == {"LL206"}


def test_ll202_max_seconds_from_configuration(lint):
    extra = "      Timeout: 45\n      Events:\n        Get:\n          Type: Api\n"
    assert found(lint(sam(extra=extra), select=["LL202"]), "LL202") == [10]
    result = lint(sam(extra=extra), select=["LL202"], options={"LL202": {"max_seconds": 60}})
    assert found(result, "LL202") == []


def test_ll202_http_apis_wait_30_seconds_whatever_the_rest_option():
    assert run("LL202", function(timeout=val(30), events=[api("httpapi")])) == []
    assert len(run("LL202", function(timeout=val(31), events=[api("httpapi")]))) == 1
    fn = function(timeout=val(30), events=[api("httpapi")])
    assert run("LL202", fn, options={"max_seconds": 5}) == []


def test_ll202_caller_defaults_by_kind():
    assert run("LL202", function(timeout=val(45), events=[api("alb")])) == []
    assert len(run("LL202", function(timeout=val(45), events=[api("appsync")]))) == 1
    assert len(run("LL202", function(timeout=val(61), events=[api("alb")]))) == 1
    both = api(integration_timeout=val(MISSING, possible=(10000, 50000)))
    assert run("LL202", function(timeout=val(40), events=[both])) == []
