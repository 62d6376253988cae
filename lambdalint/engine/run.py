"""One lint run, start to end: discover, per-file work, project phase, suppress, sort."""

from __future__ import annotations

import time
import traceback
from dataclasses import replace
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.core.finding import Finding, RunResult, Severity, Skipped
from lambdalint.core.rule import CodeRule, Rule, TemplateRule, all_rules
from lambdalint.core.span import NodeRef, Span
from lambdalint.engine.discover import discover
from lambdalint.engine.pool import map_files
from lambdalint.engine.suppress import apply_suppressions
from lambdalint.engine.work import FileResult, analyse_file, read_text


def instantiate(settings: Settings, enabled: set[str]) -> list[Rule]:
    rules = all_rules()
    return [
        rules[rule_id](settings.severity.get(rule_id), settings.options.get(rule_id))
        for rule_id in sorted(enabled)
        if hasattr(rules[rule_id], "check")
    ]


def run(paths: list[Path], settings: Settings, verbose: bool = False) -> RunResult:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    enabled = settings.enabled_rules()
    rules = instantiate(settings, enabled)
    code_rules = [rule for rule in rules if isinstance(rule, CodeRule)]
    template_rules = [rule for rule in rules if isinstance(rule, TemplateRule)]

    sources, skipped = discover(paths, settings)
    timings["discover"] = time.perf_counter() - started

    mark = time.perf_counter()
    results: list[FileResult] = list(
        map_files(
            analyse_file, sources, settings.max_file_size, bool(code_rules) or "LL001" in enabled
        )
    )
    timings["files"] = time.perf_counter() - mark

    mark = time.perf_counter()
    findings: list[Finding] = [f for result in results for f in result.findings]
    findings += run_code_rules(results, code_rules, settings, verbose)
    findings += run_template_rules(results, template_rules, settings, verbose)
    timings["rules"] = time.perf_counter() - mark

    findings = [
        f for f in resolve_positions(findings, results) if f.rule in enabled or f.rule == "LL000"
    ]
    findings = apply_per_file_ignores(findings, settings)
    directives = [d for result in results for d in result.directives]
    findings = apply_suppressions(findings, directives, enabled, "LL002" in enabled)
    findings = [
        replace(f, severity=settings.severity[f.rule]) if f.rule in settings.severity else f
        for f in findings
    ]
    timings["total"] = time.perf_counter() - started
    return RunResult(
        findings=sorted(set(findings), key=Finding.sort_key),
        files_checked=len(sources),
        skipped=skipped,
        timings=timings,
    )


def run_code_rules(
    results: list[FileResult], rules: list[CodeRule], settings: Settings, verbose: bool
) -> list[Finding]:
    if not rules:
        return []
    from lambdalint.engine.project import CodeContext, ModuleFile, Project

    modules = [
        ModuleFile(result.facts, result.source.path, result.source.scan_root)
        for result in results
        if result.facts is not None
    ]
    project = Project(modules, settings.handlers, [settings.root / s for s in settings.src])
    findings: list[Finding] = []
    for module in modules:
        context = CodeContext(module.facts, project)
        for rule in rules:
            try:
                findings.extend(rule.check(context))
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
                findings.append(internal_error(rule, module.facts.path, exc, verbose))
    return findings


def run_template_rules(
    results: list[FileResult], rules: list[TemplateRule], settings: Settings, verbose: bool
) -> list[Finding]:
    if not rules or not any(result.template is not None for result in results):
        return []
    from lambdalint.engine.templates import check_templates

    return check_templates(results, rules, settings, verbose)


def internal_error(rule: Rule, path: str, exc: Exception, verbose: bool) -> Finding:
    reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
    message = f"rule {rule.meta.id} ({rule.meta.name}) failed on this file: {reason}"
    if verbose:
        message += "\n" + "".join(traceback.format_exception(exc))
    return Finding("LL000", Severity.ERROR, message, Span.point(path, 1))


def resolve_positions(findings: list[Finding], results: list[FileResult]) -> list[Finding]:
    """Turn node references into spans: the only place a file is parsed with positions."""
    pending: dict[str, list[NodeRef]] = {}
    for finding in findings:
        for where in [finding.where, *(r.where for r in finding.related)]:
            if isinstance(where, NodeRef):
                pending.setdefault(where.path, []).append(where)
    if not pending:
        return findings
    from lambdalint.frontends.python.parse import locate

    sources = {result.source.display: result.source for result in results}
    spans: dict[NodeRef, Span] = {}
    for path, refs in pending.items():
        text, _ = read_text(sources[path], 1 << 62)
        if text is not None:
            spans.update(locate(text, refs))

    def span_of(where):
        return spans.get(where, Span.point(where.path, 1)) if isinstance(where, NodeRef) else where

    return [
        replace(
            finding,
            where=span_of(finding.where),
            related=tuple(replace(r, where=span_of(r.where)) for r in finding.related),
        )
        for finding in findings
    ]


def apply_per_file_ignores(findings: list[Finding], settings: Settings) -> list[Finding]:
    if not settings.per_file_ignores:
        return findings
    cache: dict[str, set[str]] = {}
    kept = []
    for finding in findings:
        relative = _relative_to_root(finding.path, settings.root)
        if relative not in cache:
            cache[relative] = settings.ignored_for(relative)
        if finding.rule not in cache[relative]:
            kept.append(finding)
    return kept


def _relative_to_root(display: str, root: Path) -> str:
    try:
        return Path(display).resolve().relative_to(root).as_posix()
    except ValueError:
        return display


__all__ = ["run", "RunResult", "Skipped"]
