"""Placing findings and building their fixes without re-parsing: what a run locates (spans of
node references, fixes) is the same as building it the slow way (libcst positions and the
whole-module parent table), and is remembered by content in the cache and in a warm session."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from lambdalint.config import CONFIG_FILES, Settings, read_config
from lambdalint.core.rule import all_rules
from lambdalint.docs import examples, pages_dir
from lambdalint.engine import fix_locate as fix_engine
from lambdalint.engine.cache import CACHE_DIR, CACHE_FILE
from lambdalint.engine.fix import FixRequest, FixSession, _well_formed
from lambdalint.engine.located import Located
from lambdalint.engine.run import run
from lambdalint.engine.session import Session
from lambdalint.frontends.python.fix_tree import FixTree
from lambdalint.frontends.python.parse import (
    NodeLocator,
    PythonSyntaxError,
    parse_module,
    wanted_nodes,
)

FIXTURES = Path(__file__).parent / "fixtures"
SHOW = FixRequest("show", unsafe=True)
FIXING_RULES = sorted(rule_id for rule_id, rule in all_rules().items() if hasattr(rule, "fix"))


class _KeepingLocator(NodeLocator):
    def __init__(self, wanted, keep):
        super().__init__(*wanted)
        self.keep = keep
        self.nodes = {}

    def on_visit(self, node):
        result = super().on_visit(node)
        key = (type(node).__name__, self.counts.get(type(node).__name__, -1))
        if key in self.keep:
            self.nodes[key] = node
        return result


def slow_locate(self, path, text, refs, fixable, facts=None):
    """Locating as it was first written: libcst positions for every span, and fix builders
    asking libcst's ParentNodeProvider (over the whole module) for every parent."""
    located = Located({}, {}, [])
    try:
        wrapper = MetadataWrapper(parse_module(text), unsafe_skip_copy=True)
    except PythonSyntaxError:
        return located
    keep = {(f.where.kind, f.where.index) for _, f in fixable}
    locator = _KeepingLocator(wanted_nodes(refs), keep)
    wrapper.visit(locator)
    located.spans = {ref: span for ref in refs if (span := locator.span(ref)) is not None}
    tree = FixTree(path, text, wrapper)
    for index, finding in fixable:
        node = locator.nodes.get((finding.where.kind, finding.where.index))
        if node is not None:
            fix = self.rules[finding.rule].fix(finding, tree, node)
            if fix is not None and _well_formed(fix, path, len(text)):
                located.fixes[index] = fix
    return located


# Layouts where offsets found without libcst's positions could go wrong.
AWKWARD = {
    "header-and-semicolons": "#!/usr/bin/env python\n# header\n\nimport os; import boto3  # c\n"
    "TABLE = os.environ.get('T')\n\ndef handler(event, context):\n"
    "    c = (boto3.client('s3', region_name=TABLE))\n    return c.list_buckets()\n",
    "crlf-no-final-newline": "import boto3\r\nimport requests\r\n\r\ndef handler(event, context):\r\n"
    "    requests.get('u',\r\n        stream=True)\r\n    return boto3.client('s3').list_buckets()",
    "imports-in-try": "try:\n    import boto3\nexcept ImportError:\n    boto3 = None\n"
    "    # trailing comment in the block\n\nimport requests\n\ndef handler(event, context):\n"
    "    requests.post('u', json={}); s = boto3.client('sqs')\n    return s.send_message()\n",
    "after-a-definition": "import boto3\n\n\ndef helper():\n    return 1\n    # in the body\n\n\n"
    "def handler(event, context):\n    return boto3.client('s3', region_name=helper).list_buckets()\n",
    "unicode": "import boto3\nimport requests\nNAME = 'é✓'\n\ndef handler(event, context):\n"
    "    requests.get(f'{NAME}é', headers={'x': 'ü'})\n"
    "    return boto3.client('s3').list_buckets()\n",
}


def _projects():
    """Every example of the fixing rules' pages, awkward layouts, and the test fixtures."""
    for rule_id in FIXING_RULES:
        for example in examples(pages_dir() / f"{rule_id}.md"):
            yield pytest.param(example.files, [rule_id], id=example.name)
    for name, text in AWKWARD.items():
        yield pytest.param({"app.py": text}, FIXING_RULES, id=name)
    for fixture in sorted(FIXTURES.iterdir()):
        yield pytest.param(fixture, None, id=f"fixture-{fixture.name}")


def _project(tmp_path: Path, source) -> Settings:
    root = tmp_path / "project"
    if isinstance(source, Path):
        shutil.copytree(source, root)
    else:
        for name, text in source.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    config = next((root / name for name in CONFIG_FILES if (root / name).is_file()), None)
    settings = read_config(config) if config is not None else Settings(root=root)
    return settings


def _seen(result):
    return [(f.rule, f.path, f.span, f.message, f.fix) for f in result.findings]


@pytest.mark.parametrize(("source", "select"), list(_projects()))
def test_located_as_the_slow_way_then_from_the_cache(source, select, tmp_path, monkeypatch):
    settings = _project(tmp_path, source)
    monkeypatch.chdir(settings.root)
    if select is not None:
        settings.select = select
    settings.cache = False
    with monkeypatch.context() as slow:
        slow.setattr(FixSession, "_locate", slow_locate)
        expected = _seen(run([Path(".")], settings, fixes=SHOW))
    assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected
    settings.cache = True
    assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected  # fills the cache

    def must_not_parse(*args, **kwargs):
        raise AssertionError("an unchanged file with findings was parsed again")

    monkeypatch.setattr(FixSession, "_locate", must_not_parse)
    monkeypatch.setattr("lambdalint.engine.whole_run.run_key", lambda *a, **k: None)
    assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected


HANDLER = """\
import boto3
import requests


def handler(event, context):
    requests.get("https://example.com")
    client = boto3.client("s3")
    return client.list_buckets()
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # a project: its cache lives in it
    (tmp_path / "app.py").write_text(HANDLER)
    monkeypatch.setattr("lambdalint.engine.whole_run.run_key", lambda *a, **k: None)
    return tmp_path


def _fixes(result):
    return {f.rule: f.fix.message if f.fix else None for f in result.findings}


def test_a_hoisting_fix_needs_no_whole_module_positions_or_parents(project, monkeypatch):
    from libcst.metadata import ParentNodeProvider, PositionProvider

    real = MetadataWrapper.resolve

    def resolve(self, provider):
        assert provider not in (ParentNodeProvider, PositionProvider), provider.__name__
        return real(self, provider)

    monkeypatch.setattr(MetadataWrapper, "resolve", resolve)
    result = run([Path(".")], Settings(root=project, select=["LL101"], cache=False), fixes=SHOW)
    assert [f.fix.message for f in result.findings] == ["Create `s3_client` once at module scope"]


def test_an_option_the_fix_reads_is_part_of_the_key(project):
    settings = Settings(root=project, select=["LL109"])
    first = _fixes(run([Path(".")], settings, fixes=SHOW))
    settings.options = {"LL109": {"timeout": 3}}
    second = _fixes(run([Path(".")], settings, fixes=SHOW))
    assert first["LL109"] == "Add `timeout=10`" and second["LL109"] == "Add `timeout=3`"


def test_a_bad_entry_is_a_miss(project):
    settings = Settings(root=project, select=["LL101"])
    expected = _seen(run([Path(".")], settings, fixes=SHOW))
    db = sqlite3.connect(project / CACHE_DIR / CACHE_FILE)
    with db:
        db.execute(
            "UPDATE entries SET value = ? WHERE value LIKE ?",
            ('{"~d":"lambdalint.engine.located:LocatedEntry","f":{"spans":1}}', "%LocatedEntry%"),
        )
    db.close()
    assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected


def test_a_failing_fix_builder_is_not_remembered(project, monkeypatch):
    from lambdalint.rules.code.ll101_client_in_handler import ClientInHandler

    def broken(self, finding, tree, node):
        raise RuntimeError("boom")

    monkeypatch.setattr(ClientInHandler, "fix", broken)
    settings = Settings(root=project, select=["LL101"])
    for _ in range(2):
        result = run([Path(".")], settings, fixes=SHOW)
        assert sorted(f.rule for f in result.findings) == ["LL000", "LL101"]


def test_a_session_remembers_only_the_current_entries(project, monkeypatch):
    session = Session(Settings(root=project, select=["LL101", "LL109"], cache=False))
    target = project / "app.py"
    calls = []
    real = FixSession._locate

    def counted(self, *args):
        calls.append(args[0])
        return real(self, *args)

    monkeypatch.setattr(FixSession, "_locate", counted)
    first = _seen(session.check([target], {target: HANDLER}, SHOW))
    assert _seen(session.check([target], {target: HANDLER}, SHOW)) == first
    assert len(calls) == 1
    edited = HANDLER.replace("list_buckets", "list_objects")
    settings = Settings(root=project, select=["LL101", "LL109"], cache=False)
    fresh = run([target], settings, fixes=SHOW, overlay={target: edited})
    assert _seen(session.check([target], {target: edited}, SHOW)) == _seen(fresh)
    assert len(session.memory.located) == 1


def test_an_edited_buffer_is_parsed_once_for_facts_and_fixes(project, monkeypatch):
    from lambdalint.frontends.python import parse

    session = Session(Settings(root=project, select=["LL101", "LL109"], cache=False))
    target = project / "app.py"
    session.check([target], {target: HANDLER}, SHOW)
    parsed = []
    real = parse._parse_module

    def counted(text):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(parse, "_parse_module", counted)
    edited = HANDLER.replace("list_buckets", "list_buckets_once")  # a text no test parsed
    result = session.check([target], {target: edited}, SHOW)
    assert sorted(f.rule for f in result.findings if f.fix) == ["LL101", "LL109"]
    assert parsed == [edited]


def test_a_run_whose_placed_findings_are_all_remembered_never_imports_the_parser(tmp_path):
    """Files touched (so the whole-run result no longer applies) but unchanged: their results
    and what placing their findings produced are read back, libcst is not even imported."""
    import os
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    app = tmp_path / "app.py"
    app.write_text(HANDLER)
    probe = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('libcst loaded:', 'libcst' in sys.modules))\n"
        "from lambdalint.cli import main; main(['check', '--exit-zero', '--isolated', '.'])"
    )
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        runs.append(done.stdout)
        stat = app.stat()
        os.utime(app, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "[*]" in runs[0] or "hidden fix" in runs[0]
    assert "libcst loaded: True" in runs[0]
    assert runs[1] == runs[0].replace("libcst loaded: True", "libcst loaded: False")


def test_the_located_module_does_not_load_libcst():
    import subprocess
    import sys

    code = "import sys, lambdalint.engine.located; print('libcst' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


IMPORT_LAYOUTS = [
    "import boto3\nfrom os import environ as env\n",
    "import a.b.c\nimport a.b as ab\nfrom . import x\nfrom ..p.q import y as z\nfrom m import *\n",
    "try:\n    import ujson as json\nexcept ImportError:\n    import json\nelse:\n    pass\n"
    "finally:\n    import gc\n",
    "if X:\n    import a\nelif Y:\n    import b\nelse:\n    import c\nif Z: import d; import e\n",
    "for i in x:\n    import f\nelse:\n    import g\nwhile w:\n    import h\nwith c as k:\n"
    "    import i\n",
    "match v:\n    case 1:\n        import j\n    case _:\n        import k as kk\n",
    "try:\n    pass\nexcept* E:\n    import l\n",
    "def f():\n    import inner\nclass C:\n    import attribute\n"
    "async def g():\n    import other\nimport late\nimport late as again\n",
]


MANY = (
    "import boto3\n"
    + "".join(f"\n\ndef helper_{n}(item):\n    return str(item.get('k{n}'))\n" for n in range(60))
    + "\n\ndef handler(event, context):\n    return boto3.client('s3').list_buckets()\n"
)


def _reference_index(module):
    """The binding index as first written: libcst's `children`, in its order."""
    from lambdalint.rules.code import hoist

    collector = hoist._Bindings()

    def walk(node):
        kind = type(node).__name__
        if (visit := getattr(collector, f"visit_{kind}", None)) is not None:
            visit(node)
        for child in node.children:
            walk(child)
        if (leave := getattr(collector, f"leave_{kind}", None)) is not None:
            leave(node)

    for position, statement in enumerate(module.body):
        collector.index = position
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            collector.how = "def"
        elif isinstance(statement, cst.SimpleStatementLine):
            collector.how = "assign"
        else:
            collector.how = "conditional"
        walk(statement)
    return collector


PACKAGE = Path(__file__).parent.parent / "lambdalint"
INDEX_CORPUS = [
    *IMPORT_LAYOUTS,
    *AWKWARD.values(),
    MANY,
    *(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.py")) if p.stem != "broken"),
    *(
        (PACKAGE / name).read_text(encoding="utf-8")
        for name in ("rules/code/hoist.py", "engine/cache.py", "lsp.py", "model/policy.py")
    ),
]


@pytest.mark.parametrize("source", INDEX_CORPUS, ids=range(len(INDEX_CORPUS)))
def test_the_binding_index_equals_the_one_libcst_children_walk_made(source):
    from lambdalint.rules.code import hoist

    module = cst.parse_module(source)
    tree = FixTree("app.py", source, MetadataWrapper(module, unsafe_skip_copy=True))
    expected = _reference_index(module)
    index = hoist._index(tree)
    assert hoist._imports(tree) == expected.imports == index.imports
    assert {k: sorted(v) for k, v in index.bindings.items()} == {
        k: sorted(v) for k, v in expected.found.items()
    }
    assert index.names == expected.names


def _walked(monkeypatch) -> list[int]:
    visited = [0]
    real = fix_engine._NodeLocator.on_visit

    def counted(self, node):
        visited[0] += 1
        return real(self, node)

    monkeypatch.setattr(fix_engine._NodeLocator, "on_visit", counted)
    return visited


def test_only_the_statements_holding_fixable_findings_are_walked(project, monkeypatch):
    (project / "app.py").write_text(MANY)
    settings = Settings(root=project, select=["LL101"], cache=False)
    slow = _walked(monkeypatch)
    with monkeypatch.context() as whole:
        whole.setattr(fix_engine, "kinds_per_statement", lambda text: None)
        expected = _seen(run([Path(".")], settings, fixes=SHOW))
    walked_all, slow[0] = slow[0], 0
    assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected
    assert expected[0][4] is not None and slow[0] * 20 < walked_all


def test_a_statement_counted_otherwise_by_libcst_means_walking_everything(project, monkeypatch):
    (project / "app.py").write_text(MANY)
    settings = Settings(root=project, select=["LL101"], cache=False)
    expected = _seen(run([Path(".")], settings, fixes=SHOW))
    real = fix_engine.kinds_per_statement

    def shifted(text):  # the handler's call counted in the statement before it
        counts = real(text)
        counts[-2] = {"Call": counts[-2]["Call"] + 1, "FunctionDef": counts[-2]["FunctionDef"]}
        counts[-1] = {"Call": counts[-1]["Call"] - 1, "FunctionDef": counts[-1]["FunctionDef"]}
        return counts

    monkeypatch.setattr(fix_engine, "kinds_per_statement", shifted)
    assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected


def test_a_remembered_entry_cannot_place_or_fix_another_file(project):
    import json

    settings = Settings(root=project, select=["LL101"])
    expected = _seen(run([Path(".")], settings, fixes=SHOW))
    db = sqlite3.connect(project / CACHE_DIR / CACHE_FILE)
    (key, value), *_ = db.execute(
        "SELECT key, value FROM entries WHERE value LIKE ?", ("%LocatedEntry%",)
    ).fetchall()
    for target in ("other.py", "app.py"):
        crafted = value.replace('"path":"app.py"', f'"path":"{target}"')
        if target == "app.py":  # this file, but edits past its end
            crafted = json.loads(value)
            edit = crafted["f"]["fixes"]["~t"][0]["~t"][1]["f"]["edits"]["~t"][0]["f"]
            edit["start"] = edit["end"] = 10**6
            crafted = json.dumps(crafted, separators=(",", ":"))
        with db:
            db.execute("UPDATE entries SET value = ? WHERE key = ?", (crafted, key))
        assert _seen(run([Path(".")], settings, fixes=SHOW)) == expected
    db.close()


@pytest.mark.parametrize("source", INDEX_CORPUS, ids=range(len(INDEX_CORPUS)))
def test_children_read_from_fields_are_libcsts_children(source):
    from lambdalint.frontends.python.fix_tree import children

    pending = [cst.parse_module(source)]
    while pending:
        node = pending.pop()
        expected = node.children
        assert sorted(map(id, children(node))) == sorted(map(id, expected)), type(node).__name__
        pending.extend(expected)
