"""Code-rule behaviour a rule page's line marks cannot express (how many findings, fixes
withheld): shapes from issue 9, seen on public code nobody here wrote."""

from __future__ import annotations


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
