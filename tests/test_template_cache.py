"""Parsed templates and Terraform files, and inline template code, come from the cache on a warm
run: the findings are those of a cold run, and neither PyYAML, the JSON loader, lark nor libcst
runs again. A cache entry is input: a malformed or tampered one is a miss."""

from __future__ import annotations

import datetime
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import lambdalint.engine.whole_run as whole_run
from lambdalint.config import Settings
from lambdalint.core.span import Span
from lambdalint.docs import examples, pages_dir
from lambdalint.engine.run import run
from lambdalint.frontends import documents
from lambdalint.frontends.cloudformation import json_loader, yaml_loader
from lambdalint.frontends.cloudformation.node_entries import decode_document, encode_document
from lambdalint.frontends.cloudformation.nodes import LoadError, Node, plain
from lambdalint.frontends.terraform import hcl
from lambdalint.frontends.terraform.block_entries import decode_file, encode_file

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".tf", ".template")
PAGES_DATE = datetime.date(2026, 12, 1)


def _page_examples_tree(root: Path) -> None:
    """Every rule-page example that holds a template (CloudFormation YAML and JSON, SAM,
    serverless.yml, Terraform, inline code), each in a directory of its own."""
    for page in sorted(pages_dir().glob("LL*.md")):
        for example in examples(page):
            if not any(name.endswith(TEMPLATE_SUFFIXES) for name in example.files):
                continue
            for name, text in example.files.items():
                target = root / example.name / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")


def _lint(root: Path, cache: bool):
    settings = Settings(root=root, select=["ALL"], as_of=PAGES_DATE, cache=cache, jobs=1)
    return run([root], settings)


def _seen(result) -> list:
    return [(f.rule, f.message, f.span, f.related, f.anchor) for f in result.findings]


@pytest.fixture
def no_whole_run(monkeypatch):
    """The whole-run fast path off: every warm run below goes through the per-file cache."""
    monkeypatch.setattr(whole_run, "run_key", lambda *args, **kwargs: None)


@pytest.fixture
def parsers_refused(monkeypatch):
    """Calls of the YAML, JSON, HCL and Python parsers, each of which would raise."""
    called: list[str] = []

    def refuse(name):
        def parser(*args, **kwargs):
            called.append(name)
            raise AssertionError(f"{name} called on a warm run")

        return parser

    import hcl2
    import yaml

    import lambdalint.frontends.python.parse as python_parse

    def arm():
        monkeypatch.setattr(yaml, "compose", refuse("yaml.compose"))
        monkeypatch.setattr(json_loader, "_Parser", refuse("json parser"))
        monkeypatch.setattr(hcl2, "parses_to_tree", refuse("hcl2.parses_to_tree"))
        monkeypatch.setattr(python_parse, "extract_facts", refuse("libcst facts"))
        return called

    return arm


def _cold_then_warm(root: Path, arm) -> None:
    cold = _lint(root, cache=False)
    filled = _lint(root, cache=True)
    assert _seen(filled) == _seen(cold)
    called = arm()
    warm = _lint(root, cache=True)
    assert called == []
    assert _seen(warm) == _seen(cold)
    assert warm.files_checked == cold.files_checked


def test_fixtures_warm_equal_cold_without_parsing(tmp_path, no_whole_run, parsers_refused):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root)
    (root / ".git").mkdir()  # the project: its cache lives here
    _cold_then_warm(root, parsers_refused)
    assert (root / ".lambdalint_cache" / "cache.sqlite3").is_file()


def test_rule_page_templates_warm_equal_cold_without_parsing(
    tmp_path, no_whole_run, parsers_refused
):
    root = tmp_path / "pages"
    _page_examples_tree(root)
    (root / ".git").mkdir()
    suffixes = {p.suffix for p in root.rglob("*") if p.is_file()}
    assert {".yaml", ".yml", ".json", ".tf", ".py"} <= suffixes
    assert any(p.name == "serverless.yml" for p in root.rglob("*"))
    _cold_then_warm(root, parsers_refused)


def test_inline_code_is_analysed_once(tmp_path, no_whole_run, parsers_refused):
    page = next(e for e in examples(pages_dir() / "LL211.md") if e.kind == "bad")
    for name, text in page.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    cold = _lint(tmp_path, cache=False)
    assert any(f.rule == "LL101" for f in cold.findings)
    _lint(tmp_path, cache=True)
    parsers_refused()
    assert _seen(_lint(tmp_path, cache=True)) == _seen(cold)


def test_one_changed_tf_file_reparses_only_that_file(tmp_path, no_whole_run, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "terraform", root)
    (root / ".git").mkdir()
    _lint(root, cache=True)
    parsed: list[str] = []
    real = hcl._parse

    def counting(text, path):
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(hcl, "_parse", counting)
    variables = root / "module" / "variables.tf"
    variables.write_text(variables.read_text() + '\nvariable "added" {\n  default = 1\n}\n')
    warm = _lint(root, cache=True)
    assert [Path(path).name for path in parsed] == ["variables.tf"]
    monkeypatch.setattr(hcl, "_parse", real)
    assert _seen(warm) == _seen(_lint(root, cache=False))


def test_tampered_document_entries_are_misses(tmp_path, no_whole_run):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root)
    (root / ".git").mkdir()
    cold = _lint(root, cache=False)
    _lint(root, cache=True)
    database = sqlite3.connect(root / ".lambdalint_cache" / "cache.sqlite3")
    with database:
        documents_stored = database.execute(
            "UPDATE entries SET value = substr(value, 1, length(value) / 2)"
            " WHERE value LIKE '{\"v\":%'"
        ).rowcount
    database.close()
    assert documents_stored >= 6  # four templates, three Terraform files (one is tfvars)
    assert _seen(_lint(root, cache=True)) == _seen(cold)


# -- the entries themselves ------------------------------------------------------------------

YAML = """\
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Timeout: 30
      Memory: 1.5
      Tracing: !Ref Mode
      Policies: [!GetAtt Role.Arn, null, true]
      Base: &base {A: 1}
      Merged:
        <<: *base
        B: "caf\\u00e9"
"""


def test_a_document_round_trips_with_every_span():
    document = yaml_loader._parse(YAML, "t.yaml")
    entry = json.loads(json.dumps(encode_document(document)))
    root, problems = decode_document(entry, "t.yaml")
    assert plain(root) == plain(document[0])
    assert _spans(root) == _spans(document[0])
    assert problems == document[1]


def _spans(node: Node) -> list:
    found = [(node.span, dict(node.keys) if node.keys is not None else None)]
    if isinstance(node.value, dict):
        for child in node.value.values():
            found += _spans(child)
    elif isinstance(node.value, list):
        for child in node.value:
            found += _spans(child)
    return found


def test_a_hcl_file_round_trips(tmp_path):
    text = (FIXTURES / "terraform" / "module" / "main.tf").read_text()
    block = hcl._parse(text, "main.tf")
    again = decode_file(json.loads(json.dumps(encode_file(block))), "main.tf")
    assert encode_file(again) == encode_file(block)
    first = next(iter(again.blocks[0].attributes.values()))
    assert type(first.expr).__name__ == "Tree"


class _Store:
    def __init__(self, entry: str | None = None):
        self.entry = entry
        self.written: list[str] = []

    def get(self, parts):
        return self.entry

    def put(self, parts, entry):
        self.written.append(entry)


def _load(store: _Store, text: str = "A: 1\n"):
    with documents.stored_in(store):
        return yaml_loader.load_yaml(text, "t.yaml")


def _good_entry(text: str = "A: 1\n") -> dict:
    store = _Store()
    _load(store, text)
    return json.loads(store.written[0])


@pytest.mark.parametrize(
    "entry",
    [
        "not json",
        "[]",
        '{"v": [[0, 1, 1, 1, 2, {"a": 1}], []]}',  # a mapping where a scalar goes
        '{"v": [[0, true, 1, 1, 2, "x"], []]}',  # a bool as a line
        '{"v": [[0, -1, 1, 1, 2, "x"], []]}',  # a negative line
        '{"v": [[2, 1, 1, 1, 2, 5, null, [0, 1, 1, 1, 2, "x"]], []]}',  # a number as a key
        '{"v": [[0, 1, 1, 1, 2, NaN], []]}',
        '{"v": [[9, 1, 1, 1, 2, "x"], []]}',  # no such kind of node
        '{"v": [[2, 1, 1, 1, 2, "A", null], []]}',  # a key without its value
        '{"v": [[0, 1, 1, 1, 2, "x"], [["dup", "1", 1]]]}',  # a problem's line as text
        '{"e": ["bad", "1", 1]}',
        '{"e": ["' + "x" * 1001 + '", 1, 1]}',  # longer than any parse error stored
        '{"~d": "lambdalint.engine.work:FileResult", "f": {}}',  # another kind of entry
        '{"v": ' + "[1, 1, 1, 1, 1, " * 400 + "[0, 1, 1, 1, 2, 1]" + "]" * 400 + ", []]}",
    ],
)
def test_malformed_document_entries_are_misses(entry):
    store = _Store(entry)
    root, problems = _load(store)
    assert plain(root) == {"A": 1}
    assert len(store.written) == 1  # parsed again, and stored again


def test_stored_text_is_made_safe_as_the_loader_makes_it():
    entry = _good_entry()
    entry["v"][0][5] = "\ud800"  # a lone surrogate as a key
    entry["v"][0][7][5] = "x\udfff"
    root, _ = _load(_Store(json.dumps(entry)))
    assert plain(root) == {"\ufffd": "x\ufffd"}
    assert root.span == Span("t.yaml", 1, 1, 2, 1)  # the path is always the file's own


def test_a_stored_parse_error_is_raised_again():
    store = _Store()
    with pytest.raises(LoadError):
        _load(store, "A: [1\n")
    with pytest.raises(LoadError) as raised:
        _load(_Store(store.written[0]), "A: [1\n")
    assert raised.value.line == 2


@pytest.mark.parametrize(
    "expression",
    [
        '["t", 5, null]',  # a rule name that is not text
        '["k", "NAME", ["x"], 1, 1, 1, 2]',  # a token whose text is a list
        '["t", "expr_term", [1, 1, 1, "2"]]',  # a position as text
        '["x", "expr_term", null]',
        '{"data": "expr_term"}',
    ],
)
def test_malformed_hcl_entries_are_misses(expression):
    assert json.loads(_hcl_entry('x = "a"\n'))["v"][3][0][2:] == [[1, 1, 1, 8], [1, 1, 1, 2]]
    entry = '{"v": ["", [], [1, 1, 1, 2], [["x", %s, [1, 1, 1, 8], [1, 1, 1, 2]]], []]}'
    store = _Store(entry % expression)
    with documents.stored_in(store):
        block = hcl.parse_hcl('x = "a"\n', "main.tf")
    assert type(block.attributes["x"].expr).__name__ == "Tree"
    assert len(store.written) == 1


def _hcl_entry(text: str) -> str:
    store = _Store()
    with documents.stored_in(store):
        hcl.parse_hcl(text, "main.tf")
    return store.written[0]
