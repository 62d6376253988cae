"""LL301-LL306 against hand-built models: what every frontend (CloudFormation, SAM, Terraform,
Serverless) hands the rules, so each case holds for all of them."""

from __future__ import annotations

from lambdalint.api import TemplateContext
from lambdalint.core.rule import all_rules
from lambdalint.core.span import Span
from lambdalint.frontends.cloudformation import load_template
from lambdalint.model import UNKNOWN, Function, Permission, Role, Statement, Template, Val

PATH = "template.yaml"


def at(line: int) -> Span:
    return Span(PATH, line, 1, line, 2)


def v(value, line: int = 0, possible: tuple = ()) -> Val:
    return Val(value, at(line) if line else None, possible)


def statement(actions, resources=("*",), effect="Allow", line=50, **extra) -> Statement:
    return Statement(
        effect=v(effect),
        actions=[a if isinstance(a, Val) else v(a, line + 1) for a in actions],
        resources=[r if isinstance(r, Val) else v(r, line + 2) for r in resources],
        span=at(line),
        **extra,
    )


def role(*statements, line=40, **extra) -> Role:
    return Role("Role", at(line), statements=list(statements), anchor="Resources/Role", **extra)


def function(name="Fn", line=10, role_obj=None, role_ref=None) -> Function:
    return Function(
        name, at(line), role=role_obj, role_ref=role_ref or Val(), anchor=f"Resources/{name}"
    )


def check(rule_id: str, template: Template) -> list:
    rule = all_rules()[rule_id]()
    return list(rule.check(TemplateContext(template, [template])))


def lines(findings) -> list[int]:
    return sorted(f.where.line for f in findings)


def with_role(*statements, **extra) -> Template:
    r = role(*statements, **extra)
    return Template(PATH, "cloudformation", functions=[function(role_obj=r)], roles=[r])


# LL301 ------------------------------------------------------------------------------------


def test_ll301_second_statement_is_read():
    template = with_role(
        statement(["s3:GetObject"], line=50),
        statement(["*"], line=60),
        statement(["sqs:*"], line=70),
    )
    assert lines(check("LL301", template)) == [61, 71]


def test_ll301_not_action_with_allow():
    s = Statement(effect=v("Allow"), not_actions=[v("iam:*", 52)], resources=[v("*")], span=at(50))
    assert lines(check("LL301", with_role(s))) == [52]


def test_ll301_silent_on_deny_unknown_and_mixed_alternatives():
    template = with_role(
        statement(["*"], effect="Deny"),
        statement([v(UNKNOWN, 61)], line=60),
        statement([v(UNKNOWN, 71, ("*", "s3:GetObject"))], line=70),
        statement(["s3:Get*"], line=80),
        statement(["*"], effect=UNKNOWN, line=90),
    )
    assert check("LL301", template) == []


def test_ll301_fires_when_every_alternative_is_a_wildcard():
    template = with_role(statement([v(UNKNOWN, 51, ("*", "s3:*"))]))
    assert lines(check("LL301", template)) == [51]


def test_ll301_reports_a_shared_statement_once_and_ignores_roles_without_functions():
    shared = statement(["*"])
    a, b = role(shared), role(shared)
    orphan = role(statement(["*"], line=90))
    template = Template(
        PATH,
        "cloudformation",
        functions=[function("A", role_obj=a), function("B", role_obj=b)],
        roles=[a, b, orphan],
    )
    assert lines(check("LL301", template)) == [51]


def test_ll301_implicit_role_anchors_on_the_function():
    template = with_role(statement(["*"]), implicit=True)
    [finding] = check("LL301", template)
    assert finding.anchor == "Resources/Fn"


# LL302 ------------------------------------------------------------------------------------


def test_ll302_write_on_star():
    template = with_role(statement(["s3:GetObject", "s3:PutObject"]))
    [finding] = check("LL302", template)
    assert finding.where.line == 52 and "s3:PutObject" in finding.message


def test_ll302_expands_wildcards_against_the_reference():
    [finding] = check("LL302", with_role(statement(["dynamodb:Put*"])))
    assert "dynamodb:PutItem" in finding.message


def test_ll302_logs_xray_and_vpc_writes_are_exempt():
    template = with_role(
        statement(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]),
        statement(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], line=60),
        statement(["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"], line=70),
    )
    assert check("LL302", template) == []


def test_ll302_silent_cases():
    template = with_role(
        statement(["s3:GetObject", "s3:ListBucket"]),  # reads
        statement(["s3:PutObject"], resources=["arn:aws:s3:::b/*"], line=60),
        statement(["s3:PutObject"], resources=[v(UNKNOWN)], line=70),
        statement(["s3:PutObject"], line=80, has_condition=True),
        statement(["sqs:*"], line=90),  # LL301's
        statement([v(UNKNOWN)], line=100),
        statement(["madeup:WriteThing"], line=110),  # not in the reference: no guessing
    )
    assert check("LL302", template) == []


# LL303 ------------------------------------------------------------------------------------


def test_ll303_broad_policies():
    template = with_role(
        managed_policies=[
            v("arn:aws:iam::aws:policy/AdministratorAccess", 41),
            v("arn:aws-us-gov:iam::aws:policy/AmazonS3FullAccess", 42),
            v("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", 43),
            v("arn:aws:iam::123456789012:policy/TeamFullAccess", 44),
            v("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", 45),
            v("PowerUserAccess", 46),
            v(UNKNOWN, 47),
            v(UNKNOWN, 48, ("arn:aws:iam::aws:policy/IAMFullAccess", UNKNOWN)),
        ]
    )
    assert lines(check("LL303", template)) == [41, 42, 46]


# LL304 ------------------------------------------------------------------------------------


def test_ll304_shared_role_reported_on_later_functions():
    shared = role()
    functions = [
        function(name, line, role_obj=shared, role_ref=v(shared, line + 1))
        for name, line in (("A", 10), ("B", 20), ("C", 30))
    ]
    findings = check("LL304", Template(PATH, "sam", functions=functions, roles=[shared]))
    assert lines(findings) == [21, 31]
    assert findings[0].related[0].where.line == 11


def test_ll304_implicit_roles_unknown_refs_and_literal_arns():
    arn = "arn:aws:iam::123456789012:role/shared"
    functions = [
        function("A", 10, role_obj=role(implicit=True)),
        function("B", 20, role_obj=role(implicit=True)),
        function("C", 30, role_ref=v(UNKNOWN, 31)),
        function("D", 40, role_ref=v(UNKNOWN, 41)),
        function("E", 50, role_ref=v(arn, 51)),
        function("F", 60, role_ref=v(arn, 61)),
    ]
    assert lines(check("LL304", Template(PATH, "sam", functions=functions))) == [61]


# LL305 ------------------------------------------------------------------------------------


def permission(line, principal, **conditions) -> Permission:
    return Permission(
        f"P{line}",
        at(line),
        principal=v(principal, line + 1),
        action=v("lambda:InvokeFunction"),
        **{key: v(value) for key, value in conditions.items()},
    )


def test_ll305_open_and_confused_deputy():
    template = Template(
        PATH,
        "cloudformation",
        permissions=[
            permission(10, "*"),
            permission(20, "*", source_account="123456789012"),
            permission(30, "*", principal_org_id="o-abc"),
            permission(40, "s3.amazonaws.com"),
            permission(50, "s3.amazonaws.com", source_account="123456789012"),
            permission(60, "events.amazonaws.com", source_arn=UNKNOWN),
            permission(70, "123456789012"),
            permission(80, UNKNOWN),
        ],
    )
    assert lines(check("LL305", template)) == [11, 41]


def test_ll305_function_url_permission_is_left_to_ll209():
    p = permission(10, "*")
    p.action = v("lambda:InvokeFunctionUrl")
    assert check("LL305", Template(PATH, "cloudformation", permissions=[p])) == []


# LL306 ------------------------------------------------------------------------------------


def test_ll306_passrole_on_star():
    template = with_role(
        statement(["iam:PassRole"], line=50),
        statement(["iam:Pass*", "s3:GetObject"], line=60),
        statement(["*"], line=70),
        statement(["iam:PassRole"], resources=["arn:aws:iam::1:role/x"], line=80),
        statement(["iam:PassRole"], line=90, has_condition=True),
        statement(["iam:GetRole"], line=100),
        statement([v(UNKNOWN)], line=110),
    )
    assert lines(check("LL306", template)) == [52, 62, 72]


def test_ll306_not_action():
    grants = Statement(effect=v("Allow"), not_actions=[v("s3:*")], resources=[v("*", 52)])
    excludes = Statement(effect=v("Allow"), not_actions=[v("iam:*")], resources=[v("*", 62)])
    unknown = Statement(effect=v("Allow"), not_actions=[v(UNKNOWN)], resources=[v("*", 72)])
    assert lines(check("LL306", with_role(grants, excludes, unknown))) == [52]


def test_messages_name_a_few_functions_of_a_shared_role():
    shared = role(statement(["*"]))
    functions = [function(name, role_obj=shared) for name in "ABCD"]
    [finding] = check("LL301", Template(PATH, "cloudformation", functions=functions))
    assert "A, B and 2 more" in finding.message


SAM_WILDCARD = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore: [LL301]
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Policies:
        - Statement:
            - Effect: Allow
              Action: "*"
              Resource: "*"
"""


def test_metadata_on_the_function_suppresses_findings_on_its_implicit_role(lint):
    result = lint({"template.yaml": SAM_WILDCARD}, select=["LL301", "LL306"])
    assert sorted(f.rule for f in result.findings) == ["LL306"]


def test_ll305_is_silent_on_the_permissions_sam_adds_for_events():
    text = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Uploads:\n    Type: AWS::S3::Bucket\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: app.handler\n      Runtime: python3.12\n      Events:\n"
        "        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}\n"
        "        Tick: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}\n"
    )
    template, _ = load_template(text, "template.yaml")
    assert len(template.permissions) == 2
    assert check("LL305", template) == []


def test_ll301_and_ll306_read_denies_through_the_evaluator():
    # A Deny on every resource that covers the whole wildcard takes the grant back.
    s3_back = with_role(statement(["s3:*"]), statement(["s3:*"], effect="Deny", line=60))
    assert check("LL301", s3_back) == []
    partly = with_role(statement(["s3:*"]), statement(["s3:Delete*"], effect="Deny", line=60))
    assert lines(check("LL301", partly)) == [51]
    scoped = with_role(
        statement(["*"]), statement(["*"], effect="Deny", line=60, has_condition=True)
    )
    assert lines(check("LL301", scoped)) == [51]
    passes = statement(["iam:PassRole"])
    denied = statement(["iam:*"], effect="Deny", line=60)
    assert check("LL306", with_role(passes, denied)) == []
    one_role = statement(["iam:PassRole"], resources=["arn:aws:iam::1:role/x"], effect="Deny")
    assert lines(check("LL306", with_role(passes, one_role))) == [52]
