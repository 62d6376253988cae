"""Every rule page's Bad, Good and Fixed examples, run through the engine: pages are the spec."""

from __future__ import annotations

import datetime
import re

import pytest

from lambdalint.core.rule import all_rules, expand_selector
from lambdalint.docs import examples, pages_dir

PAGES = sorted(pages_dir().glob("LL*.md"))
REQUIRED_SECTIONS = (
    "What it finds",
    "Why",
    "Bad",
    "Good",
    "Fix",
    "Options",
    "Equivalent ids elsewhere",
)
# Rules whose findings carry other rules' ids: their good examples run with those rules' default
# members too.
COMPANIONS = {"LL211": ["LL1"]}
ENGINE_RULES = {"LL000", "LL001", "LL002"}  # produced by the engine itself, no code examples needed
# The date the examples hold at (LL204's runtime dates move on): pages are run at it, not today.
PAGES_DATE = datetime.date(2026, 12, 1)


def _cases(kind: str):
    for page in PAGES:
        for example in examples(page):
            if example.kind == kind:
                yield pytest.param(example, id=example.name)


def test_every_rule_has_a_page_and_every_page_a_rule():
    rules = set(all_rules())
    pages = {page.stem for page in PAGES}
    assert rules - pages == set(), "rules without a page"
    assert pages - rules == set(), "pages without a rule"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_rule_id_a_page_names_exists(page):
    named = set(re.findall(r"\bLL\d{3}\b", page.read_text(encoding="utf-8")))
    assert named - set(all_rules()) == set(), f"{page.name} names rules that do not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_title_and_sections(page):
    text = page.read_text(encoding="utf-8")
    meta = all_rules()[page.stem].meta
    assert text.splitlines()[0] == f"# {meta.id} {meta.name}"
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    for section in REQUIRED_SECTIONS:
        assert section in headings, f"{page.name} lacks the section {section!r}"
    assert "Severity" not in text.split("\n", 2)[1], "severity is rendered from the registry"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_has_bad_and_good_examples(page):
    if page.stem in ENGINE_RULES:
        pytest.skip("engine rules are tested in test_engine.py")
    kinds = [example.kind for example in examples(page)]
    assert "bad" in kinds and "good" in kinds


@pytest.mark.parametrize("example", list(_cases("bad")))
def test_bad_example_is_reported(example, lint):
    # A page's marks name its rule; LL211's name the code rules it runs on inline code.
    rules = {rule for _, _, rule in example.expected} or {example.rule}
    result = lint(example.files, select=[example.rule, *rules], as_of=PAGES_DATE)
    broken = [f for f in result.findings if f.rule in ("LL000", "LL001") and f.rule not in rules]
    assert not broken, broken
    found = {(f.path, f.span.line) for f in result.findings if f.rule in rules}
    expected = {(path, line) for path, line, _ in example.expected}
    assert expected, f"{example.name}: mark its lines (`# expect:`, or `expect=N` for JSON)"
    assert found == expected


@pytest.mark.parametrize("example", list(_cases("good")))
def test_good_example_is_silent(example, lint):
    rules = all_rules()
    companions = {
        rule_id
        for selector in COMPANIONS.get(example.rule, [])
        for rule_id in expand_selector(selector)
        if rules[rule_id].meta.default
    }
    result = lint(example.files, select=[example.rule, *companions], as_of=PAGES_DATE)
    assert not [f for f in result.findings if f.rule in ("LL000", "LL001")], result.findings
    watched = {example.rule} | companions
    assert [f for f in result.findings if f.rule in watched] == []


def test_examples_do_not_depend_on_the_day_they_run(lint, monkeypatch):
    class In2030(datetime.date):
        @classmethod
        def today(cls):
            return cls(2030, 1, 1)

    monkeypatch.setattr(datetime, "date", In2030)
    for example in _cases("good"):
        if example.values[0].rule == "LL204":
            test_good_example_is_silent(example.values[0], lint)
