"""The SDK call model and value provenance of the fact pass."""

from __future__ import annotations

import textwrap

from lambdalint.frontends.python.facts import (
    CREDENTIALS,
    ENV,
    EVENT,
    LITERAL,
    OBJECT,
    PARAM,
    STATIC,
    UNKNOWN,
)
from lambdalint.frontends.python.parse import extract_facts


def facts_of(source: str):
    return extract_facts(textwrap.dedent(source), "app.py", "app")


def call(facts, method: str):
    return next(c for c in facts.calls if c.method == method or c.callee == method)


def test_client_operation_with_env_and_literal_arguments():
    facts = facts_of(
        """
        import os
        import boto3 as b3

        BUCKET = os.environ["BUCKET"]
        s3 = b3.client("s3")

        def handler(event, context):
            s3.put_object(Bucket=BUCKET, Key=event["key"], Body="x")
        """
    )
    put = call(facts, "put_object")
    assert (put.sdk, put.service, put.operation) == ("operation", "s3", "put_object")
    assert put.kwarg("Bucket").kind == ENV and put.kwarg("Bucket").name == "BUCKET"
    assert put.kwarg("Key").kind == EVENT
    assert put.kwarg("Body").kind == LITERAL and put.kwarg("Body").literal == "x"
    create = call(facts, "boto3.client")
    assert (create.sdk, create.service) == ("client", "s3")


def test_import_forms_sessions_and_aioboto3():
    facts = facts_of(
        """
        from boto3 import client
        from boto3.session import Session
        import aioboto3
        import botocore.session

        sqs = client("sqs")
        sns = Session(region_name="eu-west-1").client("sns")
        ddb = botocore.session.get_session().create_client("dynamodb")

        async def handler(event, context):
            sqs.send_message(QueueUrl="u", MessageBody="b")
            sns.publish(TopicArn="t", Message="m")
            ddb.get_item(TableName="t", Key={})
            async with aioboto3.Session().client("lambda") as lam:
                await lam.invoke(FunctionName="f")
            async with aioboto3.Session().resource("dynamodb") as ddb:
                table = await ddb.Table("t")
                await table.query(KeyConditionExpression="k")
        """
    )
    assert call(facts, "send_message").service == "sqs"
    assert call(facts, "publish").service == "sns"
    assert call(facts, "get_item").service == "dynamodb"
    assert call(facts, "invoke").service == "lambda"
    assert call(facts, "query").resource_kind == "Table"
    assert call(facts, "Session").sdk == "session"


def test_sub_resources_paginators_and_waiters():
    facts = facts_of(
        """
        import boto3

        table = boto3.resource("dynamodb").Table("orders")
        client = boto3.resource("s3").meta.client

        def handler(event, context):
            table.put_item(Item={})
            pages = client.get_paginator("list_objects_v2").paginate(Bucket="b")
            client.get_waiter("object_exists").wait(Bucket="b", Key="k")
        """
    )
    sub = call(facts, "Table")
    assert (sub.sdk, sub.service, sub.resource_kind) == ("subresource", "dynamodb", "Table")
    assert sub.args[0].literal == "orders"
    put = call(facts, "put_item")
    assert (put.service, put.operation, put.resource_kind) == ("dynamodb", "put_item", "Table")
    assert put.resource_id.literal == "orders"
    paginate = call(facts, "paginate")
    assert (paginate.sdk, paginate.service, paginate.operation) == (
        "paginate",
        "s3",
        "list_objects_v2",
    )
    wait = call(facts, "wait")
    assert (wait.sdk, wait.operation) == ("wait", "object_exists")


def test_sub_resources_keep_the_resource_they_stand_for():
    facts = facts_of(
        """
        import os
        import boto3

        s3 = boto3.resource("s3")
        bucket = s3.Bucket(os.environ["BUCKET"])

        def handler(event, context):
            bucket.Object(event["key"]).put(Body=b"")
            s3.Object("literal-bucket", "k").delete()
            s3.meta.client.upload_file("/tmp/f", os.environ["OTHER"], "k")
        """
    )
    put = call(facts, "put")
    assert (put.resource_kind, put.resource_id.kind, put.resource_id.name) == (
        "Object",
        "env",
        "BUCKET",
    )
    assert call(facts, "delete").resource_id.literal == "literal-bucket"
    upload = call(facts, "upload_file")
    assert (upload.service, upload.resource_kind, upload.resource_id) == ("s3", "", None)


def test_factory_in_same_module_and_self_attributes():
    facts = facts_of(
        """
        import functools
        import boto3

        @functools.cache
        def get_s3():
            return boto3.client("s3")

        class Repo:
            def __init__(self):
                self.table = boto3.resource("dynamodb").Table("t")

            def save(self, item):
                self.table.put_item(Item=item)

        def handler(event, context):
            get_s3().put_object(Bucket="b", Key="k")
            Repo().save(event)
        """
    )
    assert call(facts, "put_object").service == "s3"
    assert facts.returns["get_s3"].sdk == "client"
    assert call(facts, "put_item").service == "dynamodb"


def test_factory_in_another_module_is_resolved_in_the_project_phase(lint):
    files = {
        "clients.py": "import boto3\n\n\ndef get_s3():\n    return boto3.client('s3')\n",
        "app.py": (
            "from clients import get_s3\n\nS3 = get_s3()\n\n\n"
            "def handler(event, context):\n"
            "    get_s3().put_object(Bucket='b', Key='k')\n"
            "    S3.delete_object(Bucket='b', Key='k')\n"
        ),
    }
    from pathlib import Path

    from lambdalint.api import ModuleFile
    from lambdalint.config import Settings
    from lambdalint.engine.discover import discover
    from lambdalint.engine.work import analyse_file
    from lambdalint.frontends.python.project import Project

    lint(files, select=["LL101"])
    sources, _ = discover([Path(".")], Settings(root=Path.cwd()))
    results = [analyse_file(source, 1 << 20, True) for source in sources]
    modules = [ModuleFile(r.facts, r.source.path, r.source.scan_root) for r in results if r.facts]
    project = Project(modules)
    app = next(m.facts for m in project.modules.values() if m.facts.module == "app")
    put = call(app, "put_object")
    assert (put.service, put.operation) == ("s3", "put_object")
    assert call(app, "delete_object").service == "s3"
    # Linking derives new facts: the facts given (maybe the cache's) are left as extracted.
    given = next(m.facts for m in modules if m.facts.module == "app")
    assert call(given, "put_object").service != "s3"


def test_provenance_of_constants_fstrings_and_locals():
    facts = facts_of(
        """
        import os

        PREFIX = "prod"
        STAGE = os.getenv("STAGE")
        NAME = f"{PREFIX}-orders"
        MIXED = f"{STAGE}-orders"
        JOINED = PREFIX + "-x"

        def handler(event, context, extra=None):
            local = "inline"
            body = event.get("body")
            send(NAME, MIXED, JOINED, local, body, extra, unknown_name, context.function_name)
        """
    )
    values = call(facts, "send").args
    assert (values[0].kind, values[0].literal) == (STATIC, "prod-orders")
    assert values[1].kind == STATIC and values[1].text is None
    assert values[2].text == "prod-x"
    assert values[3].kind == LITERAL and values[3].text == "inline"
    assert values[4].kind == EVENT
    assert values[5].kind == PARAM
    assert values[6].kind == UNKNOWN
    assert values[7].kind == PARAM and values[7].name == "context.function_name"


def test_a_name_bound_twice_is_unknown_not_the_last_literal():
    facts = facts_of(
        """
        import os

        def handler(event, context):
            bucket = "dev-bucket"
            if os.environ.get("PROD"):
                bucket = "prod-bucket"
            use(bucket)
        """
    )
    assert call(facts, "use").args[0].kind == UNKNOWN


def test_env_reads_and_clients_passed_as_arguments():
    facts = facts_of(
        """
        import os

        def save(s3, item):
            s3.put_object(Bucket=os.environ.get("B"), Key="k")
        """
    )
    put = call(facts, "put_object")
    assert put.sdk == "" and put.service == ""  # the client is a parameter: unknown
    assert put.kwarg("Bucket").kind == ENV and put.kwarg("Bucket").name == "B"


def test_while_true_and_package_paths():
    facts = facts_of(
        """
        import json
        import os

        HERE = os.path.dirname(__file__)

        def handler(event, context):
            while True:
                poll()
            with open(os.path.join(HERE, "config.json")) as f:
                json.load(f)
        """
    )
    assert call(facts, "poll").in_while_true
    load = call(facts, "json.load")
    opened = facts.calls[load.args[0].origin]
    assert opened.callee == "open" and opened.args[0].name == "__file__"


def test_secret_literals_are_recorded_without_their_text():
    key = "AKIA" + "Q3EGRANDOMPART12"  # kept apart so that scanners do not flag this file
    facts = facts_of(
        f"""
        KEY = "{key}"
        EXAMPLE = "AKIAIOSFODNN7EXAMPLE"
        URL = "postgres://admin:hunter2@db:5432/app"
        LOCAL = "postgres://user:${{PASSWORD}}@db/app"
        DEV = "postgres://postgres:postgres@localhost:5432/app"
        REDIS = "redis://:s3cr3t-value@cache.internal:6379/0"

        def connect():
            'Connect with a URL such as postgres://app:hunter2@db/app.'
        """
    )
    kinds = [kind for kind, _, _ in facts.secrets]
    assert kinds == ["access-key", "url-password", "url-password"]


def test_containers_carry_the_request_data_they_hold():
    facts = facts_of(
        """
        import threading
        from opensearchpy import OpenSearch

        def connect(host):
            return OpenSearch(hosts=[{"host": host, "port": 443}], timeout=(3, 10))

        def handler(event, context):
            job = {"id": event["id"], "kind": "scan"}
            threading.Thread(target=print, args=(event,)).start()
            return connect(job)
        """
    )
    search = call(facts, "opensearchpy.OpenSearch")
    assert search.kwarg("hosts").kind == PARAM
    assert search.kwarg("timeout").kind == UNKNOWN  # constants only: nothing to report on
    assert call(facts, "@connect").args[0].kind == EVENT
    # A constructor given a container of request data is still that constructor's object.
    start = call(facts, "start")
    assert start.receiver.kind == OBJECT and start.receiver.name == "threading.Thread"


def test_a_helper_returning_minted_credentials_mints_them_too():
    facts = facts_of(
        """
        import boto3
        import pymysql

        rds = boto3.client("rds")

        def token(user):
            return rds.generate_db_auth_token(DBHostname="db", Port=3306, DBUsername=user)

        def handler(event, context):
            return pymysql.connect(host="db", user="app", password=token("app"))
        """
    )
    assert call(facts, "pymysql.connect").kwarg("password").kind == CREDENTIALS
