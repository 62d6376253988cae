"""The facts cache: a round trip, and no way for a crafted entry to reach foreign code."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest

from lambdalint.core.finding import Finding, Severity
from lambdalint.core.span import Span
from lambdalint.engine.cache import Cache, cache_key, decode, dumps, encode, loads
from lambdalint.frontends.python.parse import extract_facts


def test_facts_round_trip_equal():
    text = "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3', region_name=event['r'])\n"
    facts = extract_facts(text, "app.py", "app")
    finding = Finding("LL001", Severity.ERROR, "x", Span("a.py", 1, 1, 1, 2))
    value = {"facts": facts, "findings": [finding]}
    assert decode(json.loads(json.dumps(encode(value)))) == value
    assert loads(dumps(value)) == value


def test_facts_of_a_batch_handler_round_trip():
    """Batch-error facts index record arguments by call number: such facts are cached too."""
    text = (
        "def process(records):\n    pass\n\n"
        "def handler(event, context):\n"
        "    process(event['Records'])\n"
    )
    facts = extract_facts(text, "app.py", "app")
    assert any(getattr(s, "record_args", None) for s in facts.structure.values())
    assert decode(json.loads(json.dumps(encode(facts)))) == facts


def test_cache_put_get_and_gitignore(tmp_path):
    cache = Cache(tmp_path)
    key = cache_key("app.py", b"x = 1\n")
    assert cache.get(key) is None
    cache.put(key, ("a", 1, {"b": [2]}))
    assert cache.get(key) == ("a", 1, {"b": [2]})
    assert Cache(tmp_path).get(key) == ("a", 1, {"b": [2]})
    assert (tmp_path / ".lambdalint_cache" / ".gitignore").read_text().endswith("*\n")


@pytest.mark.parametrize(
    "entry",
    [
        {"~d": "os:system", "f": {}},
        {"~d": "subprocess:Popen", "f": {"args": "true"}},
        {"~e": "builtins:object", "v": 1},
        {"~d": "lambdalint.engine.cache:tool_fingerprint", "f": {}},
    ],
)
def test_crafted_entries_are_refused(entry):
    with pytest.raises(TypeError):
        decode(entry)


def test_a_corrupt_entry_is_a_miss(tmp_path):
    import sqlite3

    cache = Cache(tmp_path)
    key = cache_key("x")
    cache.put(key, 1)
    with sqlite3.connect(cache.path) as db:
        crafted = '{"~d": "os:system", "f": {"command": "echo pwned"}}'
        db.execute("UPDATE entries SET value = ? WHERE key = ?", (crafted, key))
    assert Cache(tmp_path).get(key) is None


def test_a_broken_cache_file_is_a_miss_and_never_an_error(tmp_path):
    (tmp_path / ".lambdalint_cache").mkdir()
    (tmp_path / ".lambdalint_cache" / "cache.sqlite3").write_bytes(b"not a database" * 100)
    cache = Cache(tmp_path)
    assert cache.get(cache_key("x")) is None
    cache.put(cache_key("x"), 1)  # no exception


def test_a_run_keeps_one_cache_file_per_project(lint, tmp_path):
    files = {f"m{i}.py": f"def handler(event, context):\n    return {i}\n" for i in range(3)}
    # A configuration makes the directory a project: the cache lives there, not in the user's.
    lint({"lambdalint.toml": "", **files}, cache=True)
    lint(
        {"lambdalint.toml": "", "m0.py": "def handler(event, context):\n    return 10\n"},
        cache=True,
    )
    stored = sorted(p.name for p in (tmp_path / ".lambdalint_cache").iterdir())
    assert stored == [".gitignore", "cache.sqlite3"]
    with closing(sqlite3.connect(tmp_path / ".lambdalint_cache" / "cache.sqlite3")) as db:
        # Four versions of Python files, each skimmed by the pre-pass and parsed (they are
        # handlers), and the last whole run's result.
        assert db.execute("SELECT count(*) FROM entries").fetchone() == (9,)


def test_a_mapping_with_tag_like_keys_round_trips():
    value = {"~d": "os:system", "~m": [1], "plain": (1, 2)}
    assert loads(dumps(value)) == value == decode(json.loads(dumps(value)))


def test_the_document_store_reads_from_any_thread(tmp_path):
    """Each run has a thread of its own: a connection opened by one run's thread must not be
    handed to the next run's, which sqlite3 refuses (every document then read as a miss)."""
    import threading

    from lambdalint.engine.cache import document_cache

    parts = ("yaml", "template.yaml", "Resources: {}")
    store = document_cache(str(tmp_path))
    store.put(parts, '{"v": 1}')
    Cache(tmp_path).put_texts(store.fresh)
    read: dict[str, object] = {}
    opened, done = threading.Event(), threading.Event()

    def first() -> None:
        read["first"] = document_cache(str(tmp_path)).get(parts)
        opened.set()
        done.wait(10)  # alive while the second reads, so the two threads differ

    def second() -> None:
        read["second"] = document_cache(str(tmp_path)).get(parts)

    one = threading.Thread(target=first)
    one.start()
    opened.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join()
    done.set()
    one.join()
    assert read == {"first": '{"v": 1}', "second": '{"v": 1}'}
