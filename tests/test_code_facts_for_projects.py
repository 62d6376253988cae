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
