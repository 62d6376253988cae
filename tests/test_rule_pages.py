"""Every rule page's Bad, Good and Fixed examples, run through the engine: pages are the spec."""

from __future__ import annotations

import re

import pytest

from lambdalint.core.rule import all_rules
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
ENGINE_RULES = {"LL000", "LL001", "LL002"}  # produced by the engine itself, no code examples needed


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
    result = lint(example.files, select=[example.rule])
    broken = [f for f in result.findings if f.rule in ("LL000", "LL001") and f.rule != example.rule]
    assert not broken, broken
    found = {(f.path, f.span.line) for f in result.findings if f.rule == example.rule}
    assert found, f"{example.name}: no {example.rule} finding"
    expected = {(path, line) for path, line, rule in example.expected if rule == example.rule}
    if expected:
        assert found == expected


@pytest.mark.parametrize("example", list(_cases("good")))
def test_good_example_is_silent(example, lint):
    result = lint(example.files, select=[example.rule])
    assert not [f for f in result.findings if f.rule in ("LL000", "LL001")], result.findings
    assert [f for f in result.findings if f.rule == example.rule] == []
