"""Rules LL120-LL126 and their structural visitors: what the rule pages cannot show on their own
(the data file, the facts' shape, path evaluation, messages, default selection)."""

from __future__ import annotations

import datetime
import importlib.util
import json
import pickle
import re
from pathlib import Path

import pytest

from lambdalint.core.span import NodeRef
from lambdalint.engine.cache import decode, encode
from lambdalint.frontends.python.parse import extract_facts, locate
from lambdalint.frontends.python.structure_facts.io_files import PathText, file_facts

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "lambdalint" / "data" / "paginators.json"
MY_VISITORS = ("io_results", "io_files", "io_threads", "io_returns")

SOURCE = """\
import json
import threading
from datetime import datetime

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    resp = s3.list_objects_v2(Bucket="b")
    s3.download_file("b", "k", "/tmp/x")
    threading.Thread(target=print).start()
    if event.get("x"):
        return {"at": datetime.now()}
    return {"body": json.dumps({"t": {1}})}
"""


# -- the paginator data ----------------------------------------------------------------------


def test_paginator_data_is_dated_sorted_and_compact():
    text = DATA.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["source"].startswith("botocore")
    datetime.date.fromisoformat(data["generated"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", data["botocore_version"])
    assert "\n " not in text, "no indentation: the file stays small"
    assert len(text) < 250_000
    services = data["services"]
    assert list(services) == sorted(services)
    assert data["limit_keys"] == sorted(data["limit_keys"])
    for operations in services.values():
        assert list(operations) == sorted(operations)
        for operation, tokens in operations.items():
            assert re.fullmatch(r"[a-z0-9_]+", operation), operation
            assert tokens == sorted(set(tokens))


def test_paginator_data_knows_the_common_operations():
    services = json.loads(DATA.read_text(encoding="utf-8"))["services"]
    assert {"ContinuationToken", "NextContinuationToken"} <= set(services["s3"]["list_objects_v2"])
    assert {"ExclusiveStartKey", "LastEvaluatedKey"} <= set(services["dynamodb"]["scan"])
    assert "NextToken" in services["lambda"]["list_functions"] or "Marker" in set(
        services["lambda"]["list_functions"]
    )
    # The fallback of `NextMarker || Contents[-1].Key` is a result field, not a token.
    assert "Contents" not in services["s3"]["list_objects"]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_paginators", REPO / "scripts" / "generate_paginators.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("spec", "names"),
    [
        ("NextToken", ["NextToken"]),
        (["KeyMarker", "UploadIdMarker"], ["KeyMarker", "UploadIdMarker"]),
        ("NextMarker || Contents[-1].Key", ["NextMarker"]),
        ("Marker.Next", ["Marker"]),
        (None, []),
    ],
)
def test_generator_reads_token_specs(spec, names):
    assert _generator().token_names(spec) == names


# -- the facts -------------------------------------------------------------------------------


def test_structure_facts_survive_pickle_and_the_cache():
    facts = extract_facts(SOURCE, "app.py", "app")
    for name in MY_VISITORS:
        assert name in facts.structure
    restored = pickle.loads(pickle.dumps(facts))
    cached = decode(json.loads(json.dumps(encode(facts))))
    for name in MY_VISITORS:
        assert restored.structure[name] == facts.structure[name]
        assert cached.structure[name] == facts.structure[name]


def test_return_nodes_are_located():
    facts = extract_facts(SOURCE, "app.py", "app")
    problems = facts.structure["io_returns"].problems
    kinds = {(p.kind, p.what) for p in problems}
    assert ("Return", "a datetime") in kinds
    assert ("Call", "a set") in kinds
    refs = [NodeRef("app.py", p.kind, p.index) for p in problems]
    lines = {ref.kind: span.line for ref, span in locate(SOURCE, refs).items()}
    assert lines == {"Return": 15, "Call": 16}


def _written(source: str) -> list[PathText]:
    return [w.path for w in file_facts(extract_facts(source, "app.py", "app")).writes]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('open("/tmp/a.txt", "w")', PathText("/tmp/a.txt", True)),
        ('open("a.txt", mode="a")', PathText("a.txt", True)),
        ('open(f"/tmp/{event}.txt", "w")', PathText("/tmp/", False)),
        ('open(os.path.join(BASE, "x", "y.txt"), "w")', PathText("/var/task/x/y.txt", True)),
        ('open(os.path.join(BASE, event), "w")', PathText("/var/task/", False)),
        ('(Path("/opt") / "c.txt").write_text("x")', PathText("/opt/c.txt", True)),
        ('open(os.path.join(tempfile.gettempdir(), "k"), "wb")', PathText("/tmp/k", True)),
        ('open(os.path.join("/data", "/tmp/abs"), "w")', PathText("/tmp/abs", True)),
        ('open(str(Path("/srv") / event), "w")', PathText("/srv/", False)),
        ('open(os.path.join(os.path.dirname(__file__), "c"), "w")', PathText("/var/task/", False)),
        ('(Path(__file__).parent / "c").write_text("x")', PathText("/var/task/", False)),
        ('open(os.path.dirname("/tmp/a/b.txt") + "/c", "w")', PathText("/tmp/a/", False)),
        ('open(os.path.dirname("data/b.txt") + "/c", "w")', PathText("data/", False)),
    ],
)
def test_write_paths_are_followed(code, expected):
    source = (
        "import os\nimport tempfile\nfrom pathlib import Path\n\nBASE = '/var/task'\n\n\n"
        f"def handler(event, context):\n    {code}\n"
    )
    assert _written(source) == [expected]


@pytest.mark.parametrize(
    "code",
    [
        'open(path, "w")',  # a parameter
        'open(os.environ["OUT"], "w")',
        'open("/tmp/a.txt")',  # a read
        'open("/tmp/a.txt", mode)',  # a mode that cannot be known
        'open(f"{event}/x", "w")',
    ],
)
def test_unknown_paths_and_reads_are_not_writes(code):
    source = f"import os\n\n\ndef handler(event, context, path=None, mode='r'):\n    {code}\n"
    assert _written(source) == []


def test_a_local_open_shadows_the_builtin():
    source = "def open(p, m):\n    pass\n\n\ndef handler(event, context):\n    open('x', 'w')\n"
    assert _written(source) == []


# -- the rules through the engine ------------------------------------------------------------

HANDLER = """\
def handler(event, context):
    with open("/tmp/fixed.txt", "w") as out:
        out.write("x")
"""


def test_tmp_fixed_path_is_off_by_default(lint):
    assert not [f for f in lint({"app.py": HANDLER}).findings if f.rule == "LL121"]
    result = lint({"app.py": HANDLER}, extend_select=["LL121"])
    assert [(f.rule, f.span.line) for f in result.findings if f.rule == "LL121"] == [("LL121", 2)]


def test_pagination_message_names_handler_route_and_tokens(lint):
    files = {
        "app.py": "from lib import names\n\n\ndef handler(event, context):\n    names()\n",
        "lib.py": (
            "import boto3\n\nsqs = boto3.client('sqs')\n\n\n"
            "def names():\n    return sqs.list_queues()['QueueUrls']\n"
        ),
    }
    (finding,) = lint(files, select=["LL120"]).findings
    assert finding.path == "lib.py" and finding.span.line == 7
    assert "called from app.handler via names()" in finding.message
    assert "`NextToken`" in finding.message and 'get_paginator("list_queues")' in finding.message


def test_batch_write_message_names_the_failure_field(lint):
    source = (
        "import boto3\n\nsns = boto3.client('sns')\n\n\n"
        "def handler(event, context):\n    out = sns.publish_batch(TopicArn='t', "
        "PublishBatchRequestEntries=[])\n"
    )
    (finding,) = lint({"app.py": source}, select=["LL123"]).findings
    assert "`Failed`" in finding.message and "`out` is never checked" in finding.message


def test_decorated_handlers_are_left_to_their_framework(lint):
    source = (
        "from datetime import datetime\nfrom chalice_like import app\n\n\n@app.route('/')\n"
        "def handler(event, context):\n    return {'at': datetime.now()}\n"
    )
    assert lint({"app.py": source}, select=["LL122"]).findings == []


def test_powertools_logger_decorator_is_looked_through(lint):
    source = (
        "from datetime import datetime\n\nfrom aws_lambda_powertools import Logger\n\n"
        "logger = Logger()\n\n\n@logger.inject_lambda_context\n"
        "def handler(event, context):\n    return {'at': datetime.now()}\n"
    )
    (finding,) = lint({"app.py": source}, select=["LL122"]).findings
    assert finding.span.line == 10


def test_thread_returned_to_the_handler_is_left_to_it(lint):
    source = (
        "import threading\n\n\ndef start():\n    t = threading.Thread(target=print)\n"
        "    t.start()\n    return t\n\n\ndef handler(event, context):\n    start().join()\n"
    )
    assert lint({"app.py": source}, select=["LL126"]).findings == []


def test_a_parameter_shadows_a_module_constant_path():
    source = (
        "OUT = 'out.json'\n\n\ndef handler(event, context):\n    save(event, 'x')\n\n\n"
        "def save(event, OUT):\n    open(OUT, 'w')\n"
    )
    assert _written(source) == []


def test_token_loop_written_as_two_calls_is_not_reported(lint):
    source = (
        "import boto3\n\nlam = boto3.client('lambda')\n\n\ndef handler(event, context):\n"
        "    marker = event.get('marker')\n"
        "    page = lam.list_functions(Marker=marker) if marker else lam.list_functions()\n"
        "    return page['Functions']\n"
    )
    assert lint({"app.py": source}, select=["LL120"]).findings == []


def test_module_scope_batch_write_read_for_failures_is_not_reported(lint):
    source = (
        "import boto3\n\nsqs = boto3.client('sqs')\n"
        "result = sqs.send_message_batch(QueueUrl='q', Entries=[])\n"
        "assert not result.get('Failed')\n"
    )
    assert lint({"script.py": source}, select=["LL123"]).findings == []


def test_a_failing_value_is_found_after_one_the_runtime_encodes(lint):
    source = (
        "from datetime import date\n\nimport boto3\n\n"
        "table = boto3.resource('dynamodb').Table('t')\n\n\n"
        "def handler(event, context):\n"
        "    item = table.get_item(Key={'id': 1})['Item']\n"
        "    return {'item': item, 'day': date.today()}\n"
    )
    (finding,) = lint({"app.py": source}, select=["LL122"]).findings
    assert "a datetime" in finding.message and finding.span.line == 10


@pytest.mark.parametrize(
    "rebinding",
    [
        "for path in event['paths']:\n        pass",
        "path, other = event['a'], 1",
        "path += event['x']",
    ],
)
def test_a_rebound_name_forgets_its_path(rebinding):
    source = (
        "def handler(event, context):\n    path = 'out.json'\n"
        f"    {rebinding}\n    open(path, 'w')\n"
    )
    assert _written(source) == []


@pytest.mark.parametrize(
    ("use", "reported"),
    [
        ("    if not resp['Rules']:\n        return None\n    return True\n", False),
        ("    rules = resp.get('Rules', [])\n    return rules[0] if rules else None\n", False),
        ("    if len(resp['Rules']) == 0:\n        return None\n    return True\n", False),
        ("    rules = resp['Rules']\n    if rules:\n        return rules\n", True),
        ("    if resp['Rules']:\n        print(resp)\n", True),
        ("    resp = {}\n    return resp['Rules'][0]\n", True),
        (
            "    def rest():\n        return resp\n    return rest() if resp['Rules'] else None\n",
            True,
        ),
    ],
)
def test_results_only_probed_are_not_unpaged_reads(lint, use, reported):
    source = (
        "import boto3\n\nrbin = boto3.client('rbin')\n\n\ndef handler(event, context):\n"
        "    resp = rbin.list_rules(ResourceType='EC2_IMAGE')\n" + use
    )
    findings = lint({"app.py": source}, select=["LL120"]).findings
    assert bool(findings) is reported


def test_a_probed_filtered_scan_is_still_reported(lint):
    source = (
        "import boto3\n\ntable = boto3.resource('dynamodb').Table('t')\n\n\n"
        "def handler(event, context):\n"
        "    found = table.scan(FilterExpression='a = :a')\n"
        "    return bool(found['Items']) if found['Items'] else False\n"
    )
    assert len(lint({"app.py": source}, select=["LL120"]).findings) == 1


def test_a_batch_write_response_only_logged_is_reported(lint):
    source = (
        "import logging\n\nimport boto3\n\nsqs = boto3.client('sqs')\n\n\n"
        "def handler(event, context):\n"
        "    sent = sqs.send_message_batch(QueueUrl=event['q'], Entries=[])\n"
        "    logging.getLogger().info('sent %s', sent)\n"
        "    check(sent)\n"
    )
    # handed on to `check`: that one may read `Failed`
    assert lint({"app.py": source}, select=["LL123"]).findings == []
    only_logged = source.replace("    check(sent)\n", "")
    assert len(lint({"app.py": only_logged}, select=["LL123"]).findings) == 1
