"""The YAML and JSON loaders: spans, short-form tags, duplicate keys, hostile input."""

from __future__ import annotations

import pytest

from lambdalint.core.span import Span
from lambdalint.frontends.cloudformation import load_template
from lambdalint.frontends.cloudformation.json_loader import load_json
from lambdalint.frontends.cloudformation.nodes import LoadError, plain
from lambdalint.frontends.cloudformation.yaml_loader import load_yaml


def test_yaml_spans_are_one_based_end_exclusive_code_points():
    root, problems = load_yaml("a: é\nb:\n  - xyz\n", "t.yaml")
    assert problems == []
    assert root.get("a").span == Span("t.yaml", 1, 4, 1, 5)
    assert root.key_span("b") == Span("t.yaml", 2, 1, 2, 2)
    assert root.get("b").value[0].span == Span("t.yaml", 3, 5, 3, 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!Ref Queue", {"Ref": "Queue"}),
        ("!GetAtt Queue.Arn", {"Fn::GetAtt": ["Queue", "Arn"]}),
        ("!GetAtt [Queue, Arn]", {"Fn::GetAtt": ["Queue", "Arn"]}),
        ("!GetAtt Db.Endpoint.Address", {"Fn::GetAtt": ["Db", "Endpoint.Address"]}),
        ("!Sub '${A}-x'", {"Fn::Sub": "${A}-x"}),
        ("!Join [',', [a, b]]", {"Fn::Join": [",", ["a", "b"]]}),
        ("!If [C, 1, 2]", {"Fn::If": ["C", 1, 2]}),
        ("!Select [0, !GetAZs '']", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}),
        ("!FindInMap [M, a, b]", {"Fn::FindInMap": ["M", "a", "b"]}),
        ("!ImportValue X", {"Fn::ImportValue": "X"}),
        ("!Base64 abc", {"Fn::Base64": "abc"}),
        ("!Split [',', 'a,b']", {"Fn::Split": [",", "a,b"]}),
        ("!Equals [a, b]", {"Fn::Equals": ["a", "b"]}),
        (
            "!And [!Condition A, !Not [!Condition B]]",
            {"Fn::And": [{"Condition": "A"}, {"Fn::Not": [{"Condition": "B"}]}]},
        ),
        ("!Or [!Equals [a, b], true]", {"Fn::Or": [{"Fn::Equals": ["a", "b"]}, True]}),
        ("!Cidr [10.0.0.0/16, 4, 8]", {"Fn::Cidr": ["10.0.0.0/16", 4, 8]}),
        ("!Transform {Name: X}", {"Fn::Transform": {"Name": "X"}}),
        ("!Ref 5", {"Ref": "5"}),
    ],
)
def test_short_form_tags_become_long_form(text, expected):
    root, _ = load_yaml(f"v: {text}\n", "t.yaml")
    assert plain(root.get("v")) == expected


def test_scalar_types_never_crash():
    text = (
        "AWSTemplateFormatVersion: 2010-09-09\nstamp: 2001-12-14t21:59:43.10-05:00\n"
        "flags: [yes, no, on, off, true, ~, 0x1F, 1_000, 1.5e+3, .inf, 0o17]\n"
        "bin: !!binary aGVsbG8=\n"
    )
    root, _ = load_yaml(text, "t.yaml")
    assert root.get("AWSTemplateFormatVersion").value == "2010-09-09"
    assert root.get("stamp").value == "2001-12-14t21:59:43.10-05:00"
    flags = plain(root.get("flags"))
    assert flags[4:9] == [True, None, 31, 1000, 1500.0]


def test_merge_keys_apply_without_overriding():
    root, _ = load_yaml("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n", "t.yaml")
    assert plain(root.get("thing")) == {"x": 1, "y": 3}


def test_duplicate_keys_are_reported_at_the_second_key():
    text = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SNS::Topic\n"
    template, findings = load_template(text, "t.yaml")
    assert [(f.rule, f.span.line, f.span.column) for f in findings] == [("LL001", 4, 3)]
    assert "duplicate key 'Q'" in findings[0].message
    assert template is not None and template.topics  # still analysed, the last one wins


BILLION_LAUGHS = """AWSTemplateFormatVersion: "2010-09-09"
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_a_parse_error_not_a_hang():
    template, findings = load_template(BILLION_LAUGHS, "t.yaml")
    assert template is None
    assert [f.rule for f in findings] == ["LL001"]
    assert "too many nodes" in findings[0].message


def test_recursive_alias_is_a_parse_error():
    template, findings = load_template("AWSTemplateFormatVersion: x\na: &a [*a]\n", "t.yaml")
    assert template is None and [f.rule for f in findings] == ["LL001"]


def test_broken_yaml_that_looks_like_a_template_is_reported_with_its_line():
    text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: [AWS::SQS::Queue\n"
    template, findings = load_template(text, "t.yaml")
    assert template is None
    assert findings[0].rule == "LL001" and findings[0].span.line == 5


def test_broken_yaml_that_is_no_template_is_silent():
    assert load_template("key: [unclosed\nref: AWS::Region\n", "t.yaml") == (None, [])


@pytest.mark.parametrize(
    "text",
    [
        "name: ci\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
        "openapi: 3.0.1\npaths:\n  /x:\n    get:\n      x-amazon-apigateway-integration:\n"
        "        uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path\n",
        "services:\n  web:\n    image: nginx\n",
        "resources:\n  Resources:\n    Q:\n      Type: AWS::SQS::Queue\n",  # serverless.yml
        "- just\n- a list\n",
        "",
    ],
)
def test_non_templates_are_ignored(text):
    assert load_template(text, "x.yaml") == (None, [])


def test_json_spans_and_values():
    root, problems = load_json('{"a": [1, 2.5, "é", true, null],\n "b": {"c": -3e2}}', "t.json")
    assert problems == []
    assert plain(root) == {"a": [1, 2.5, "é", True, None], "b": {"c": -300.0}}
    assert root.get("b").get("c").span == Span("t.json", 2, 13, 2, 17)
    assert root.key_span("b") == Span("t.json", 2, 2, 2, 5)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "a": 1,\n}', 3, 1),
        ('{"a" 1}', 1, 6),
        ("[1, 2", 1, 6),
        ('{"a":\n  tru}', 2, 3),
        ("{} x", 1, 4),
    ],
)
def test_invalid_json_positions(text, line, column):
    with pytest.raises(LoadError) as caught:
        load_json(text, "t.json")
    assert (caught.value.line, caught.value.column) == (line, column)


def test_invalid_json_template_is_ll001_at_the_line():
    text = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {,}\n}\n'
    template, findings = load_template(text, "t.json", as_json=True)
    assert template is None
    assert [(f.rule, f.span.line) for f in findings] == [("LL001", 3)]


def test_json_duplicate_keys():
    text = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"},\n "Q": {"Type": "AWS::SQS::Queue"}}}'
    template, findings = load_template(text, "t.json", as_json=True)
    assert template is not None
    assert [(f.rule, f.span.line, f.span.column) for f in findings] == [("LL001", 2, 2)]


def test_deep_json_nesting_is_an_error_not_a_crash():
    with pytest.raises(LoadError):
        load_json("[" * 5000 + "]" * 5000, "t.json")
