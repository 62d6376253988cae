"""The code-side facts the LL5xx rules join with templates: environment reads, how a handler
reads its records, and whether it answers with `batchItemFailures`."""

from __future__ import annotations

import json

from lambdalint.engine.cache import decode, encode
from lambdalint.frontends.python.parse import extract_facts
from lambdalint.frontends.python.structure_facts.env_reads import EnvRead

ENV_SOURCE = """\
import os
from os import environ
TABLE = os.environ["TABLE"]
def handler(event, context):
    a = os.environ.get("A")
    b = os.getenv("B", "Orders")
    c = os.environ.get("C") or "fallback"
    d = os.getenv("D").split(",")
    e = int(os.environ.get("E"))
    try:
        f = os.environ["F"]
    except KeyError:
        f = None
    os.environ["G"] = "x"
    if "H" in os.environ:
        h = os.environ["H"]
    return environ["I"]
if __name__ == "__main__":
    print(os.environ["LOCAL_ONLY"])
"""


def _facts(source: str):
    return extract_facts(source, "app.py", "app")


def test_env_reads_with_and_without_default_guarded_or_not():
    facts = _facts(ENV_SOURCE).structure["env_reads"]
    assert facts.reads == [
        EnvRead("Subscript", 0, "", "TABLE", True),
        EnvRead("Call", 0, "handler", "A", False),
        EnvRead("Call", 1, "handler", "B", False, "Orders", True),
        EnvRead("Call", 2, "handler", "C", False, "fallback", True),
        EnvRead("Call", 4, "handler", "D", True),
        EnvRead("Call", 6, "handler", "E", True),
        EnvRead("Subscript", 1, "handler", "F", False),  # inside `try: ... except KeyError`
        EnvRead("Subscript", 3, "handler", "H", True),
        EnvRead("Subscript", 4, "handler", "I", True),
    ]
    assert facts.tested == {"H"}  # `"H" in os.environ` guards the reads of H


RECORDS_SOURCE = """\
def first(event, context):
    body = event["Records"][0]["body"]
    return {"statusCode": 200}

def every(event, context):
    failures = []
    for record in event["Records"]:
        pass
    return {"batchItemFailures": failures}

def powertools(event, context):
    return process_partial_response(event=event, record_handler=h, processor=p)

def counted(event, context):
    return len(event.get("Records", []))
"""


def test_records_read_and_batch_responses():
    facts = _facts(RECORDS_SOURCE).structure["event_records"]
    assert facts.first_record == [("first", 1)]
    assert facts.all_records == {"every", "powertools", "counted"}
    assert facts.returns_failures == {"every", "powertools"}


def test_the_new_facts_survive_the_cache():
    facts = _facts(ENV_SOURCE + RECORDS_SOURCE)
    for name in ("env_reads", "event_records"):
        entry = facts.structure[name]
        assert decode(json.loads(json.dumps(encode(entry)))) == entry


KEYS_SOURCE = """\
import boto3
s3 = boto3.client("s3")
PREFIX = "out/"
def handler(event, context):
    name = event["key"]
    s3.put_object(Bucket="b", Key=f"thumbnails/{name}", Body=b"")
    s3.upload_file("/tmp/x", "b", "fixed/name.png")
    s3.put_object(Bucket="b", Key=PREFIX + name)
    s3.put_object(Bucket="b", Key=name)
"""


def test_object_keys_known_as_far_as_the_code_spells_them():
    from lambdalint.frontends.python.structure_facts.object_keys import ObjectKey

    facts = _facts(KEYS_SOURCE)
    keys = facts.structure["object_keys"].keys
    by_line = {call.kwarg("Body") is not None: call.index for call in facts.calls}
    put = by_line[True]
    assert keys[str(put)] == ObjectKey("thumbnails/", False)
    assert ObjectKey("fixed/name.png", True) in keys.values()
    assert ObjectKey("out/", False) in keys.values()
    assert len(keys) == 3  # `Key=name` (the event's) is not known at all


USAGE_SOURCE = """\
import os
import boto3
table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
s3 = boto3.client("s3")
def handler(event, context):
    item = table.get_item(Key={"id": event["id"]})
    s3.get_object(Bucket=os.environ["BUCKET"], Key="a", VersionId="v1")
    return item
def other(event, context):
    s3.delete_object(Bucket="x", Key="y")
"""


class _Module:
    def __init__(self, facts):
        self.facts = facts


class _Code:
    """A handler's code as the linked project gives it: here, `handler` reaches itself only."""

    def __init__(self, facts, reached):
        self.closure = (_Module(facts),)
        self.reached = reached

    def reach(self, module, func):
        return func if func in self.reached else None

    def calls(self):
        for module in self.closure:
            for call in module.facts.calls:
                if not call.func or self.reach(module.facts, call.func):
                    yield module, call


def test_a_handlers_sdk_usage_and_its_actions():
    from lambdalint.frontends.python.sdk_usage import handler_usage

    usage = handler_usage(_Code(_facts(USAGE_SOURCE), {"handler"}))
    assert usage.fully_resolved
    assert usage.primary() == {"dynamodb:GetItem", "s3:GetObject"}  # not other()'s delete
    assert usage.used() == {"dynamodb:GetItem", "s3:GetObject", "s3:GetObjectVersion"}
    resources = {use.call.operation: use.resource for use in usage.uses}
    assert resources["get_item"].name == "TABLE"
    assert resources["get_object"].name == "BUCKET"


def test_usage_with_an_unknown_service_is_not_fully_resolved():
    from lambdalint.frontends.python.sdk_usage import handler_usage

    source = (
        "import boto3\ndef handler(event, context):\n    boto3.client(event['svc']).list_things()\n"
    )
    usage = handler_usage(_Code(_facts(source), {"handler"}))
    assert not usage.fully_resolved
    assert "unknown service" in usage.unresolved[0]


def test_names_a_module_binds_without_def():
    source = (
        "from mangum import Mangum\n"
        "app = object()\n"
        "handler = Mangum(app)\n"
        "a, (b, c) = 1, (2, 3)\n"
        "def f():\n"
        "    global g\n"
        "    g = 1\n"
        "    local = 2\n"
    )
    names = _facts(source).structure["module_names"]
    assert names.bound == {"app", "handler", "a", "b", "c", "g"}
    assert not names.star_import and not names.module_getattr
    more = _facts("from x import *\ndef __getattr__(name):\n    return name\n")
    assert more.structure["module_names"].star_import
    assert more.structure["module_names"].module_getattr


def test_sdk_calls_the_analyzer_cannot_follow_leave_the_usage_unresolved():
    from lambdalint.frontends.python.sdk_usage import handler_usage

    handed_in = (
        "import boto3\n"
        "def post(client, connection, data):\n"
        "    client.post_to_connection(ConnectionId=connection, Data=data)\n"
        "def handler(event, context):\n"
        "    post(boto3.client('apigatewaymanagementapi'), event['id'], b'')\n"
        "    return event.get('body')\n"  # `.get` on the event is no SDK call
    )
    usage = handler_usage(_Code(_facts(handed_in), {"handler", "post"}))
    assert usage.unresolved == [
        "app.py: `client.post_to_connection()` may be an SDK call on an object not followed"
    ]
    library = (
        "from aws_lambda_powertools.utilities import parameters\n"
        "def handler(event, context):\n"
        "    return parameters.get_parameter('/x')\n"
    )
    usage = handler_usage(_Code(_facts(library), {"handler"}))
    assert "calls AWS itself" in usage.unresolved[0]


def test_presigned_urls_need_the_operation_they_sign():
    from lambdalint.frontends.python.sdk_usage import handler_usage

    source = (
        "import boto3\n"
        "s3 = boto3.client('s3')\n"
        "def handler(event, context):\n"
        "    get = s3.generate_presigned_url('get_object', Params={'Bucket': 'b', 'Key': 'k'})\n"
        "    put = s3.generate_presigned_post('b', 'k')\n"
        "    return get, put\n"
    )
    usage = handler_usage(_Code(_facts(source), {"handler"}))
    assert usage.fully_resolved
    assert usage.primary() == {"s3:GetObject", "s3:PutObject"}


def test_a_batch_writers_puts_and_deletes_are_its_batch_write():
    from lambdalint.frontends.python.sdk_usage import handler_usage

    source = (
        "import os\n"
        "import boto3\n"
        "table = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n"
        "def handler(event, context):\n"
        "    with table.batch_writer() as batch:\n"
        "        for item in event['items']:\n"
        "            batch.delete_item(Key=item)\n"
        "            batch.put_item(Item=item)\n"
    )
    usage = handler_usage(_Code(_facts(source), {"handler"}))
    assert usage.fully_resolved, usage.unresolved
    assert usage.primary() == {"dynamodb:BatchWriteItem"}


GUARD_SOURCE = """\
def handler(event, context):
    for record in event["Records"]:
        key = record["dynamodb"]["Keys"]["pk"]["S"]
        if not key.startswith("ORDER#"):
            continue
        save(key)


def audited(event, context):
    for record in event["Records"]:
        key = record["dynamodb"]["Keys"]["pk"]["S"]
        seen = log(key)
        if not key.startswith("ORDER#"):
            continue
        save(key)
"""


def test_a_stream_guard_counts_only_first_in_the_loop_after_call_free_assignments():
    # `seen = log(key)` runs for every record before the guard: that loop is not guarded.
    guards = _facts(GUARD_SOURCE).structure["object_keys"].record_guards
    assert [(guard.function, guard.prefix) for guard in guards] == [("handler", "ORDER#")]
