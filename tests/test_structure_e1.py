"""Structural visitors and rules LL114-LL119: what the rule pages cannot show on their own."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from lambdalint.config import Settings, read_config
from lambdalint.core.span import NodeRef
from lambdalint.docs import examples, pages_dir
from lambdalint.engine.run import run
from lambdalint.frontends.python.parse import extract_facts, locate

SOURCE = """\
import os
from botocore.vendored import requests

CACHE = {}


def handler(event, context):
    CACHE["k"] = event["user"]
    CACHE["n"] += 1
    del os.environ["AWS_REGION"]
    for record in event["Records"]:
        try:
            work(record)
        except Exception:
            pass
    return f"{os.environ['AWS_LAMBDA_RUNTIME_API']}/2018-06-01/runtime/"


def work(record):
    ...
"""


def test_structure_facts_are_picklable():
    facts = extract_facts(SOURCE, "app.py", "app")
    restored = pickle.loads(pickle.dumps(facts))
    for name in ("batch_errors", "globals_state", "env_writes", "runtime_api", "handler_shape"):
        assert name in restored.structure


@pytest.mark.parametrize(
    ("kind", "index", "line"),
    [
        ("ExceptHandler", 0, 14),
        ("Assign", 0, 4),
        ("Assign", 1, 8),
        ("AugAssign", 0, 9),
        ("Del", 0, 10),
        ("ImportFrom", 0, 2),
        ("Subscript", 4, 11),
        ("FormattedString", 0, 16),
    ],
)
def test_locator_finds_the_node_kinds_the_visitors_count(kind, index, line):
    ref = NodeRef("app.py", kind, index)
    assert locate(SOURCE, [ref])[ref].line == line


def test_visitor_indexes_match_the_locator():
    facts = extract_facts(SOURCE, "app.py", "app")
    refs = {
        "batch": NodeRef(
            "app.py", "ExceptHandler", facts.structure["batch_errors"].handlers[0].index
        ),
        "state": NodeRef("app.py", "Assign", facts.structure["globals_state"].writes[0].index),
        "env": NodeRef("app.py", "Del", facts.structure["env_writes"].writes[0].index),
        "import": NodeRef("app.py", "ImportFrom", facts.structure["runtime_api"].imports[1].index),
    }
    spans = locate(SOURCE, refs.values())
    assert {name: spans[ref].line for name, ref in refs.items()} == {
        "batch": 14,
        "state": 8,
        "env": 10,
        "import": 2,
    }
    uses = {(use.kind, use.what) for use in facts.structure["runtime_api"].uses}
    assert uses == {("Subscript", "variable"), ("FormattedString", "url")}


def _lines(result, rule):
    return sorted((f.path, f.span.line) for f in result.findings if f.rule == rule)


def test_ll118_reads_handlers_from_settings(lint):
    files = {
        "app.py": "def main(event):\n    return event\n\n\ndef other(event):\n    return event\n"
    }
    result = lint(files, select=["LL118"], handlers=["app.py:main"])
    assert _lines(result, "LL118") == [("app.py", 1)]


def test_ll118_silent_without_declared_handlers(lint):
    result = lint({"app.py": "def main(event):\n    return event\n"}, select=["LL118"])
    assert _lines(result, "LL118") == []


LL118_EXAMPLES = [e for e in examples(pages_dir() / "LL118.md") if e.kind in ("bad", "good")]


@pytest.mark.parametrize("example", LL118_EXAMPLES, ids=lambda e: e.name)
def test_ll118_page_examples_with_their_configuration(example, tmp_path, monkeypatch):
    """The page declares handlers in pyproject.toml; run it the way the CLI would."""
    monkeypatch.chdir(tmp_path)
    for name, text in example.files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert len(example.files) == 2, "each example is one configuration and one module"
    settings = read_config(tmp_path / "pyproject.toml")
    settings.select = ["LL118"]
    result = run([Path(".")], settings)
    assert not [f for f in result.findings if f.rule in ("LL000", "LL001")], result.findings
    found = set(_lines(result, "LL118"))
    expected = {(path, line) for path, line, rule in example.expected if rule == "LL118"}
    if example.kind == "bad":
        assert found and found == expected
    else:
        assert found == set()


def test_ll117_declared_async_handler_with_any_signature(lint):
    files = {"app.py": "async def main(payload, ctx):\n    return payload\n"}
    assert _lines(lint(files, select=["LL117"]), "LL117") == []
    result = lint(files, select=["LL117"], handlers=["app.py:main"])
    assert _lines(result, "LL117") == [("app.py", 1)]


def test_ll114_records_passed_by_keyword_to_a_helper(lint):
    files = {
        "app.py": (
            "def handler(event, context):\n"
            "    drain(batch=event['Records'])\n"
            "\n"
            "\n"
            "def drain(batch):\n"
            "    for item in batch:\n"
            "        try:\n"
            "            print(item)\n"
            "        except Exception:\n"
            "            pass\n"
            "\n"
            "\n"
            "def unrelated(rows):\n"
            "    for row in rows:\n"
            "        try:\n"
            "            print(row)\n"
            "        except Exception:\n"
            "            pass\n"
        )
    }
    assert _lines(lint(files, select=["LL114"]), "LL114") == [("app.py", 9)]


def test_ll115_loop_variable_over_event_data(lint):
    files = {
        "app.py": (
            "SEEN = set()\n"
            "\n"
            "\n"
            "def handler(event, context):\n"
            "    for record in event['Records']:\n"
            "        SEEN.add(record['messageId'])\n"
            "    for name in ('a', 'b'):\n"
            "        SEEN.add(name)\n"
        )
    }
    assert _lines(lint(files, select=["LL115"]), "LL115") == [("app.py", 6)]


def test_ll119_module_scope_of_a_test_directory_is_exempt(lint):
    text = 'import os\n\nos.environ["AWS_REGION"] = "eu-west-1"\n'
    result = lint({"tests/helpers.py": text, "src/settings.py": text}, select=["LL119"])
    assert _lines(result, "LL119") == [("src/settings.py", 3)]


def test_rules_are_silent_on_settings_without_code(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], Settings(root=tmp_path, select=["LL114", "LL115", "LL116"]))
    assert result.findings == []


def test_ll117_a_declared_handler_outranks_the_signature_convention(lint):
    files = {
        "app.py": (
            "def handler(event, context):\n"
            "    return 1\n"
            "\n"
            "\n"
            "async def other(event, context):\n"
            "    return 2\n"
        )
    }
    assert _lines(lint(files, select=["LL117"]), "LL117") == [("app.py", 5)]
    result = lint(files, select=["LL117"], handlers=["app.py:handler"])
    assert _lines(result, "LL117") == []


def test_ll117_powertools_decorated_handler_with_other_parameter_names(lint):
    files = {
        "app.py": (
            "from aws_lambda_powertools import Tracer\n"
            "\n"
            "tracer = Tracer()\n"
            "\n"
            "\n"
            "@tracer.capture_lambda_handler\n"
            "async def handle(payload, lambda_ctx):\n"
            "    return payload\n"
        )
    }
    assert _lines(lint(files, select=["LL117"]), "LL117") == [("app.py", 7)]


def test_ll114_notification_records_in_a_per_record_helper(lint):
    # The helper reads an SNS record: notifications come one async invoke at a time, no batch.
    files = {
        "app.py": (
            "def handler(event, context):\n"
            "    for record in event['Records']:\n"
            "        notify(record)\n"
            "\n"
            "\n"
            "def notify(record):\n"
            "    try:\n"
            "        print(record['Sns']['Message'])\n"
            "    except Exception:\n"
            "        pass\n"
        )
    }
    assert lint(files, select=["LL114"]).findings == []


def test_ll114_a_guard_inside_a_narrow_except_is_not_judged(lint):
    # The inner broad `except` only guards the recovery of a narrow one; other errors propagate.
    files = {
        "app.py": (
            "def handler(event, context):\n"
            "    for record in event['Records']:\n"
            "        try:\n"
            "            print(record['body'])\n"
            "        except ValueError:\n"
            "            try:\n"
            "                print('dead letter', record['body'])\n"
            "            except Exception:\n"
            "                pass\n"
        )
    }
    assert lint(files, select=["LL114"]).findings == []


def test_ll114_sqs_body_named_like_a_notification_key_is_still_reported(lint):
    # Only the record's own `s3`/`Sns`/`ses` key marks a notification, not a key of its body.
    files = {
        "app.py": (
            "import json\n"
            "\n"
            "\n"
            "def handler(event, context):\n"
            "    for record in event['Records']:\n"
            "        try:\n"
            "            body = json.loads(record['body'])\n"
            "            print(body['s3'])\n"
            "        except Exception:\n"
            "            pass\n"
        )
    }
    assert _lines(lint(files, select=["LL114"]), "LL114") == [("app.py", 9)]


def test_ll114_s3_events_inside_sqs_messages_are_still_a_batch(lint):
    # S3 -> SQS -> Lambda: the S3 records sit in each message body; the batch is SQS's.
    files = {
        "app.py": (
            "import json\n"
            "\n"
            "\n"
            "def handler(event, context):\n"
            "    for message in event.get('Records', []):\n"
            "        try:\n"
            "            for inner in json.loads(message['body'])['Records']:\n"
            "                print(inner['s3']['object']['key'])\n"
            "        except Exception:\n"
            "            pass\n"
        )
    }
    assert _lines(lint(files, select=["LL114"]), "LL114") == [("app.py", 9)]
