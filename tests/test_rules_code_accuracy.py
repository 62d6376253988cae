"""Code-rule behaviour a rule page's line marks cannot express (how many findings, fixes
withheld): shapes from issue 9, seen on public code nobody here wrote."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import Settings
from lambdalint.engine.fix_request import FixRequest
from lambdalint.engine.run import run


def test_ll108_reports_a_call_given_several_credentials_once(lint):
    source = (
        "import boto3\n"
        "\n"
        "def handler(event, context):\n"
        "    s3 = boto3.client('s3', aws_access_key_id='AKIQWERTYUIOPASDF12X',\n"
        "                      aws_secret_access_key='q8Zt3nV0pLr2Xw9sYb4Kc7Hd1Fg6Jm5Na0Ue8Ti2',\n"
        "                      aws_session_token='FwoGZXIvYXdzEJr2Xw9sYb4Kc7Hd1Fg6Jm5Na0Ue8Ti2')\n"
        "    return s3.list_buckets()\n"
    )
    findings = [f for f in lint({"app.py": source}, select=["LL108"]).findings]
    assert [f.span.line for f in findings] == [4]
    assert "access key id, an AWS secret access key and an AWS session token" in (
        findings[0].message
    )


def test_ll102_an_engine_made_per_invocation_is_reported_once_not_again_at_its_sessionmaker(lint):
    source = (
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.orm import sessionmaker\n"
        "\n"
        "def handler(event, context):\n"
        "    engine = create_engine('postgresql://db/orders')\n"
        "    Session = sessionmaker(bind=engine)\n"
        "    return Session()\n"
    )
    findings = lint({"app.py": source}, select=["LL102"]).findings
    assert [f.span.line for f in findings] == [5]


TENANT_SESSION = """import boto3
import botocore.session

sts = boto3.client("sts")


def lambda_handler(event, context):
    creds = sts.assume_role(RoleArn=event["role"], RoleSessionName="t")["Credentials"]
    core = botocore.session.get_session()
    core.set_credentials(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    session = boto3.Session(botocore_session=core)
    return session.client("s3").list_buckets()
"""


def test_ll101_unsafe_fixes_never_hoist_a_session_configured_with_request_credentials(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(TENANT_SESSION, encoding="utf-8")
    settings = Settings(root=tmp_path, select=["LL101", "LL102"])
    result = run([Path(".")], settings, fixes=FixRequest("apply", True))
    assert result.findings == []
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == TENANT_SESSION


CUSTOM_RESOURCE = """import time

import boto3
import cfnresponse


def handler(event, context):
    acm = boto3.client("acm")
    if event["RequestType"] == "Create":
        acm.request_certificate(DomainName=event["ResourceProperties"]["Domain"])
        time.sleep(30)
    cfnresponse.send(event, context, cfnresponse.SUCCESS, {})
"""
RESPONSE_URL = """import time
import urllib.request

import boto3


def handler(event, context):
    ec2 = boto3.client("ec2")
    time.sleep(10)
    request = urllib.request.Request(event["ResponseURL"], data=b"{}", method="PUT")
    urllib.request.urlopen(request, timeout=5)
"""
PLAIN = CUSTOM_RESOURCE.replace('event["RequestType"] == "Create"', "event").replace(
    "    cfnresponse.send(event, context, cfnresponse.SUCCESS, {})\n", ""
)


def _severities(lint, source):
    findings = lint({"app.py": source}, select=["LL101", "LL111"]).findings
    return sorted((f.rule, str(f.severity)) for f in findings)


def test_custom_resources_get_performance_advice_as_info_only(lint):
    expected = [("LL101", "info"), ("LL111", "info")]
    assert _severities(lint, CUSTOM_RESOURCE) == expected
    assert _severities(lint, RESPONSE_URL) == expected
    assert _severities(lint, PLAIN) == [("LL101", "warning"), ("LL111", "warning")]


def test_an_sdk_client_bound_below_the_handler_is_typed(lint):
    source = (
        "import boto3\n"
        "\n"
        "def handler(event, context):\n"
        "    return s3.put_object(Bucket='orders-prod', Key=event['key'], Body=b'')\n"
        "\n"
        "s3 = boto3.client('s3')\n"
    )
    findings = lint({"app.py": source}, select=["LL106"]).findings
    assert [(f.rule, f.span.line) for f in findings] == [("LL106", 4)]


def test_a_helper_shared_with_an_everyday_handler_keeps_its_warning(lint):
    files = {
        "clients.py": "import boto3\n\ndef acm():\n    return boto3.client('acm')\n",
        # Sorted first, so a custom resource is the first handler to reach the helper.
        "a_resource.py": (
            "import cfnresponse\nfrom clients import acm\n\n"
            "def handler(event, context):\n    acm()\n"
            "    cfnresponse.send(event, context, cfnresponse.SUCCESS, {})\n"
        ),
        "api.py": "from clients import acm\n\ndef handler(event, context):\n    return acm()\n",
    }
    findings = lint(files, select=["LL101"]).findings
    assert [(f.path, str(f.severity)) for f in findings] == [("clients.py", "warning")]
