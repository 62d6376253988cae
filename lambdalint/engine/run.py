"""One lint run, start to end: discover, per-file work, project phase, suppress, fix, sort."""

from __future__ import annotations

import time
import traceback
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lambdalint.api import CodeContext, LinkedFunction, ModuleFile, ProjectContext
from lambdalint.config import Settings
from lambdalint.core.finding import Finding, Fix, RunResult, Severity, Skipped
from lambdalint.core.rule import CodeRule, ProjectRule, Rule, TemplateRule, all_rules
from lambdalint.core.span import NodeRef, Span
from lambdalint.engine.discover import SourceFile, discover
from lambdalint.engine.pool import map_files
from lambdalint.engine.suppress import apply_suppressions
from lambdalint.engine.work import (
    FileResult,
    analyse_file,
    cached_result,
    module_name,
    parse_error,
    read_text,
)
from lambdalint.model import Template

if TYPE_CHECKING:
    from lambdalint.engine.fix import FixRequest, FixSession
    from lambdalint.engine.linking import InlineModule
    from lambdalint.frontends.python.project import Project


def instantiate(settings: Settings, enabled: set[str]) -> list[Rule]:
    rules = all_rules()
    return [
        rules[rule_id](settings.severity.get(rule_id), settings.options.get(rule_id))
        for rule_id in sorted(enabled)
        if hasattr(rules[rule_id], "check")
    ]


def run(
    paths: list[Path], settings: Settings, verbose: bool = False, fixes: FixRequest | None = None
) -> RunResult:
    """Lint `paths`. With `fixes`, rules also offer fixes, which are applied (in memory, then
    written or diffed) as the request says; the findings returned are those that remain."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    enabled = settings.enabled_rules()
    rules = instantiate(settings, enabled)
    code_rules = [rule for rule in rules if isinstance(rule, CodeRule)]
    template_rules = [rule for rule in rules if isinstance(rule, TemplateRule)]
    project_rules = [rule for rule in rules if isinstance(rule, ProjectRule)]

    sources, skipped = discover(paths, settings)
    reported = {source.display for source in sources}
    if settings.project_context and any(source.explicit for source in sources):
        sources = with_project_context(sources, settings)
    timings["discover"] = time.perf_counter() - started

    mark = time.perf_counter()
    parse_python = bool(code_rules or project_rules) or "LL001" in enabled
    cache_root = str(settings.root) if settings.cache else None
    results = analyse_files(sources, settings.max_file_size, parse_python, cache_root)
    timings["files"] = time.perf_counter() - mark

    session = None
    if fixes is not None:
        from lambdalint.engine.fix import FixSession

        session = FixSession(fixes, {rule.meta.id: rule for rule in code_rules})

    inline, inline_errors = [], []
    if (code_rules or project_rules) and "LL211" in enabled:
        from lambdalint.engine.linking import inline_modules

        inline, inline_errors = inline_modules(results)

    def lint(current: list[FileResult]) -> list[Finding]:
        findings: list[Finding] = [f for result in current for f in result.findings]
        findings += inline_errors
        project = link_code(current, settings, inline) if code_rules or project_rules else None
        functions = link_templates(current, project, inline)
        findings += run_code_rules(project, functions, code_rules, verbose)
        findings += run_template_rules(current, template_rules, settings, verbose)
        findings += run_project_rules(current, project, functions, project_rules, settings, verbose)
        findings = [
            f
            for f in resolve_positions(findings, current, session, verbose, inline)
            if f.rule in enabled or f.rule == "LL000"
        ]
        findings = apply_per_file_ignores(findings, settings)
        directives = [d for result in current for d in result.directives]
        findings = apply_suppressions(findings, directives, enabled, "LL002" in enabled)
        findings = [
            replace(f, severity=settings.severity[f.rule]) if f.rule in settings.severity else f
            for f in findings
        ]
        findings = [f for f in findings if f.path in reported or f.rule == "LL000"]
        return sorted(set(findings), key=Finding.sort_key)

    mark = time.perf_counter()
    findings = lint(results)
    timings["rules"] = time.perf_counter() - mark
    result = RunResult(findings=findings, files_checked=len(reported), skipped=skipped)
    if session is not None:
        from lambdalint.engine.fix import finish, fix_rounds

        def relint(changed: set[str]) -> list[Finding]:
            nonlocal results
            results = [
                reanalyse(r, session.files[r.source.display].current)
                if r.source.display in changed
                else r
                for r in results
            ]
            return lint(results)

        mark = time.perf_counter()
        if fixes.mode != "show":
            findings = fix_rounds(session, findings, relint)
        result = finish(session, findings, relint, result)
        timings["fix"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    result.timings = timings
    return result


def linked_functions(paths: list[Path], settings: Settings) -> list[LinkedFunction]:
    """Every template function of `paths` next to its code, without running rules (for
    `lambdalint policy`)."""
    sources, _ = discover(paths, settings)
    cache_root = str(settings.root) if settings.cache else None
    results = analyse_files(sources, settings.max_file_size, True, cache_root)
    from lambdalint.engine.linking import inline_modules

    inline, _ = inline_modules(results)
    return link_templates(results, link_code(results, settings, inline), inline)


def reanalyse(result: FileResult, text: str) -> FileResult:
    """A Python file analysed again from text held in memory (fixed, not yet written)."""
    from lambdalint.frontends.python.comments import python_directives
    from lambdalint.frontends.python.parse import PythonSyntaxError, extract_facts

    source = result.source
    fresh = FileResult(source, directives=python_directives(text, source.display))
    try:
        fresh.facts = extract_facts(text, source.display, module_name(source.path))
    except PythonSyntaxError as exc:
        fresh.findings.append(parse_error(source.display, str(exc), exc.line, exc.column))
    return fresh


def analyse_files(
    sources: list[SourceFile], max_size: int, parse_python: bool, cache_root: str | None
) -> list[FileResult]:
    """Per-file results in the order of `sources`: cache hits read here, the rest in the pool
    (starting worker processes only pays when something must be parsed)."""
    found: dict[int, FileResult] = {}
    if cache_root is not None:
        for position, source in enumerate(sources):
            cached = cached_result(source, max_size, parse_python, cache_root)
            if cached is not None:
                found[position] = cached
    missing = [position for position in range(len(sources)) if position not in found]
    analysed = map_files(
        analyse_file, [sources[p] for p in missing], max_size, parse_python, cache_root
    )
    found.update(zip(missing, analysed, strict=True))
    return [found[position] for position in range(len(sources))]


def with_project_context(sources: list[SourceFile], settings: Settings) -> list[SourceFile]:
    """The named files plus every other file of their project, which the cache makes cheap after
    the first run. The project is the configuration's directory or the git repository holding
    the first named file; with neither, nothing is added (never a whole home directory)."""
    root = project_root(sources[0].path, settings)
    if root is None or not any(root in source.path.parents for source in sources):
        return sources
    context, _ = discover([root], settings)
    named = {source.path for source in sources}
    return sorted(
        [*sources, *(source for source in context if source.path not in named)],
        key=lambda source: source.display,
    )


def project_root(path: Path, settings: Settings) -> Path | None:
    if settings.config_path is not None:
        return settings.root
    for parent in path.parents:
        if (parent / ".git").exists():
            return parent
    return None


def link_code(
    results: list[FileResult], settings: Settings, inline: list[InlineModule] = ()
) -> Project:
    """The Python modules of the run (inline code included) linked into one project, with the
    handlers configuration and templates declare."""
    from lambdalint.frontends.python.linking import template_handlers
    from lambdalint.frontends.python.project import Project

    modules = [
        ModuleFile(result.facts, result.source.path, result.source.scan_root)
        for result in results
        if result.facts is not None
    ]
    for module in inline:
        # A virtual file beside the template, so imports and the handler path work inside it.
        home = (Path.cwd() / module.template_path).parent / f"<inline {module.display}>"
        modules.append(ModuleFile(module.facts, home / f"{module.facts.module}.py", home))
    handlers = settings.handlers + template_handlers(templates_of(results))
    return Project(modules, handlers, [settings.root / s for s in settings.src])


def templates_of(results: list[FileResult]) -> list[Template]:
    return [result.template for result in results if isinstance(result.template, Template)]


def link_templates(
    results: list[FileResult], project: Project | None, inline: list[InlineModule] = ()
) -> list[LinkedFunction]:
    """Every template function next to its code, when there is code to link."""
    if project is None:
        return []
    from lambdalint.frontends.python.linking import link_functions

    by_function = {id(module.function): module.display for module in inline}
    return link_functions(templates_of(results), project, by_function)


def run_code_rules(
    project: Project | None,
    functions: list[LinkedFunction],
    rules: list[CodeRule],
    verbose: bool,
) -> list[Finding]:
    if not rules or project is None:
        return []
    findings: list[Finding] = []
    for module in project.modules.values():
        context = CodeContext(module.facts, project, functions)
        for rule in rules:
            try:
                findings.extend(rule.check(context))
            except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
                findings.append(internal_error(rule, module.facts.path, exc, verbose))
    return findings


def run_project_rules(
    results: list[FileResult],
    project: Project | None,
    functions: list[LinkedFunction],
    rules: list[ProjectRule],
    settings: Settings,
    verbose: bool,
) -> list[Finding]:
    if not rules or project is None:
        return []
    templates = templates_of(results)
    context = ProjectContext(functions, project, templates, settings.as_of or date.today())
    # A project rule reads the whole run: its crash is reported on the first template (or
    # module), the files it most likely concerns.
    where = templates[0].path if templates else next(iter(project.modules), ".")
    findings: list[Finding] = []
    for rule in rules:
        try:
            findings.extend(rule.check(context))
        except Exception as exc:  # noqa: BLE001 - one rule's bug must not stop the run
            findings.append(internal_error(rule, where, exc, verbose))
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


def resolve_positions(
    findings: list[Finding],
    results: list[FileResult],
    session: FixSession | None = None,
    verbose: bool = False,
    inline: list[InlineModule] = (),
) -> list[Finding]:
    """Turn node references into spans: the only place a file is parsed with positions. When
    fixes are asked for, the rules' fix builders run on the same parse."""
    pending: dict[str, list[NodeRef]] = {}
    for finding in findings:
        for where in [finding.where, *(r.where for r in finding.related)]:
            if isinstance(where, NodeRef):
                pending.setdefault(where.path, []).append(where)
    if not pending:
        return findings
    from lambdalint.frontends.python.positions import locate_fast

    def locate(text: str, refs: list[NodeRef]) -> dict[NodeRef, Span]:
        from lambdalint.frontends.python.parse import locate as locate_with_libcst

        return locate_with_libcst(text, refs)

    sources = {result.source.display: result.source for result in results}
    facts = {result.source.display: result.facts for result in results}
    spans: dict[NodeRef, Span] = {}
    fixes: dict[int, Fix] = {}
    failures: list[Finding] = []
    inline_by_path = {module.display: module for module in inline}
    for path, refs in pending.items():
        if path in inline_by_path:
            module = inline_by_path[path]
            located = locate_fast(module.code, refs, module.facts) or locate(module.code, refs)
            spans.update({ref: module.place(span) for ref, span in located.items()})
            continue
        if session is None:
            text, _ = read_text(sources[path], 1 << 62)
            if text is not None:
                located = locate_fast(text, refs, facts.get(path))
                spans.update(located if located is not None else locate(text, refs))
            continue
        text = session.text(sources[path])
        if text is None:
            continue
        fixable = [
            (index, f) for index, f in enumerate(findings) if f.path == path and session.can_fix(f)
        ]
        located = session.locate(path, text, refs, fixable)
        spans.update(located.spans)
        fixes.update(located.fixes)
        failures += [internal_error(rule, path, exc, verbose) for rule, exc in located.failures]

    def span_of(where):
        return spans.get(where, Span.point(where.path, 1)) if isinstance(where, NodeRef) else where

    return [
        replace(
            finding,
            where=span_of(finding.where),
            related=tuple(replace(r, where=span_of(r.where)) for r in finding.related),
            fix=fixes.get(index, finding.fix),
        )
        for index, finding in enumerate(findings)
    ] + failures


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
