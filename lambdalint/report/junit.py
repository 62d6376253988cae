"""JUnit XML, which every CI product can show: a test suite per file with findings, in it one
test case per rule, failing with that rule's findings in the file. A clean run is one passing
case, so the report is never empty."""

from __future__ import annotations

from itertools import groupby
from xml.etree import ElementTree

from lambdalint.core.finding import Finding, RunResult
from lambdalint.core.rule import all_rules
from lambdalint.report.summary import plural


def render(result: RunResult, color: bool = False) -> str:
    names = {rule_id: cls.meta.name for rule_id, cls in all_rules().items()}
    root = ElementTree.Element("testsuites", name="lambdalint")
    by_file = sorted(result.findings, key=lambda f: (f.path, f.rule))
    for path, in_file in groupby(by_file, key=lambda f: f.path):
        suite = ElementTree.SubElement(root, "testsuite", name=path)
        for rule, findings in groupby(in_file, key=lambda f: f.rule):
            rule_case(suite, path, f"{rule} {names.get(rule, '')}".rstrip(), list(findings))
        _count(suite)
    if not result.findings:
        suite = ElementTree.SubElement(root, "testsuite", name="lambdalint")
        checked = plural(result.files_checked, "file")
        ElementTree.SubElement(suite, "testcase", name=f"no findings in {checked}")
        _count(suite)
    _count(root)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "unicode") + "\n"


def rule_case(suite: ElementTree.Element, path: str, name: str, findings: list[Finding]) -> None:
    case = ElementTree.SubElement(suite, "testcase", name=name, classname=path, file=path)
    case.set("line", str(findings[0].span.line))
    failure = ElementTree.SubElement(
        case,
        "failure",
        message=f"{plural(len(findings), 'finding')}: {findings[0].message.splitlines()[0]}",
        type=findings[0].rule,
    )
    failure.text = "\n".join(
        f"{f.path}:{f.span.line}:{f.span.column}: {f.rule} [{f.severity}] {f.message}"
        for f in findings
    )


def _count(element: ElementTree.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    element.set("errors", "0")
