"""One lint run, start to end: discover, per-file work, project phase, suppress, fix, sort."""

from __future__ import annotations

import os
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lambdalint.api import CodeContext, FunctionKey, LinkedFunction, ModuleFile, ProjectContext
from lambdalint.config import Settings
from lambdalint.core.deep import on_big_stack
from lambdalint.core.directive import Directive
from lambdalint.core.finding import Finding, Fix, PassedOver, RunResult, Severity, Skipped
from lambdalint.core.rule import CodeRule, ProjectRule, Rule, TemplateRule, all_rules
from lambdalint.core.span import NodeRef, Span
from lambdalint.engine.discover import discover, with_units
from lambdalint.engine.pool import map_files
from lambdalint.engine.shared_lines import merge_shared_lines
from lambdalint.engine.suppress import (
    apply_per_file_ignores,
    apply_suppressions,
    relative_to_root,
)
from lambdalint.engine.work import FileResult, analyse_work, own_entry, result_key, step_failed
from lambdalint.frontends.registry import frontend_of_kind
from lambdalint.model import Template
from lambdalint.sources import Overlay, SourceFile, module_name, read_text

if TYPE_CHECKING:
    from lambdalint.engine.fix import FixSession
    from lambdalint.engine.fix_request import FixRequest
    from lambdalint.engine.linking import InlineModule
    from lambdalint.engine.session import ResultMemory
    from lambdalint.frontends.python.facts import ModuleFacts
    from lambdalint.frontends.python.outline import Skim
    from lambdalint.frontends.python.project import Project

# Told (files done, files in all) as the per-file phase goes: the CLI's progress bar.
Progress = Callable[[int, int], None]


def instantiate(settings: Settings, enabled: set[str]) -> list[Rule]:
    rules = all_rules()
    return [
        rules[rule_id](settings.severity.get(rule_id), settings.options.get(rule_id))
        for rule_id in sorted(enabled)
        if hasattr(rules[rule_id], "check")
    ]


def run(
    paths: list[Path],
    settings: Settings,
    verbose: bool = False,
    fixes: FixRequest | None = None,
    *,
    overlay: Mapping[Path, str] | None = None,
    baseline: Counter[str] | None = None,
    progress: Progress | None = None,
    memory: ResultMemory | None = None,
) -> RunResult:
    """Lint `paths`. With `fixes`, rules also offer fixes, which are applied (in memory, then
    written or diffed) as the request says; the findings returned are those that remain, less
    those a `baseline` (fingerprints counted, engine/baseline.py) accepted. `progress(done,
    total)` is told how far the per-file phase is, for a progress bar.

    `overlay` maps file paths to texts held in memory (an editor's unsaved buffer, standard
    input): those texts are read instead of the files on disk, which need not exist, for
    analysis, caching (keyed by content) and fixes; such a file is never written, its fixed text
    is returned in `RunResult.texts`. Name the overlay's paths in `paths` to report on them; the
    rest of their project is read from disk as context.

    `memory` (held by a warm `engine.session.Session`) supplies the per-file results of files
    whose content it has seen, and keeps this run's for the next.

    Runs on a big stack: libcst and its visitors recurse as deep as the code nests."""
    return on_big_stack(_run, paths, settings, verbose, fixes, overlay, baseline, progress, memory)


def _run(
    paths: list[Path],
    settings: Settings,
    verbose: bool,
    fixes: FixRequest | None,
    overlay: Mapping[Path, str] | None,
    baseline: Counter[str] | None,
    progress: Progress | None,
    memory: ResultMemory | None,
) -> RunResult:
    clock = Clock()
    plan = plan_run(settings, verbose)
    plan.memory = memory
    with clock("discover"):
        found = discover_sources(paths, settings, _absolute(overlay))
    key = None
    read_only = fixes is None or fixes.mode == "show"
    if settings.cache and read_only and not overlay and memory is None:
        from lambdalint.engine import whole_run

        key = whole_run.run_key(paths, settings, found.sources, found.skipped, verbose, fixes)
        home = Path(cache_home(found.sources, settings))
        files = {s.display for s in found.sources} | {s.path for s in found.skipped}
        remembered = whole_run.recall(home, paths, key, files) if key is not None else None
        if remembered is not None:
            return conclude(remembered, baseline, clock)
    with clock("analyse"):
        results = analyse(found.sources, plan, progress, memory)
    with clock("link"):
        linked = link(results, plan)
    session = _fix_session(fixes, plan, found.sources, memory)
    with clock("rules"):
        findings = check(linked, plan, found.reported, session)
    result = summarise(found, results, findings, settings)
    if session is not None:
        with clock("fix"):
            result = fix(session, results, result, plan, found.reported)
    result.rules = tuple(sorted(plan.enabled))
    result.notes = sorted(set(linked.notes))  # from the first pass: fixes re-run the rules
    if session is not None and session.store is not None:
        session.store.forget_unused()
    if key is not None:
        whole_run.remember(home, paths, key, result)
    return conclude(result, baseline, clock)


def conclude(result: RunResult, baseline: Counter[str] | None, clock: Clock) -> RunResult:
    """What every run does last, a remembered one too: the baseline, then the timings."""
    if baseline is not None:
        from lambdalint.engine.baseline import subtract

        result.findings, result.unmatched_baseline = subtract(result.findings, baseline)
    result.timings = clock.finish()
    return result


class Clock:
    """How long each phase took, for `--verbose`."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, phase: str) -> Iterator[None]:
        mark = time.perf_counter()
        yield
        self.timings[phase] = time.perf_counter() - mark

    def finish(self) -> dict[str, float]:
        return {**self.timings, "total": time.perf_counter() - self.started}


@dataclass
class Plan:
    """What a run does, decided once from the settings: which rules run, and so which files must
    be parsed."""

    settings: Settings
    enabled: set[str]
    code_rules: list[CodeRule]
    template_rules: list[TemplateRule]
    project_rules: list[ProjectRule]
    verbose: bool = False
    memory: ResultMemory | None = None  # a warm session's, across its runs

    @property
    def reads_code(self) -> bool:
        """Whether any rule reads Python code (and so the project must be linked)."""
        return bool(self.code_rules or self.project_rules)

    @property
    def parse_python(self) -> bool:
        return self.reads_code or "LL001" in self.enabled

    @property
    def skim(self) -> Skim | None:
        """What the pre-pass skims Python files for before libcst parses only the files that
        matter (engine/selection.py); None when every file is parsed."""
        if not (self.reads_code and PRE_PASS):
            return None
        from lambdalint.engine.selection import skim_for

        return skim_for([*self.code_rules, *self.project_rules])


# Whether the pre-pass decides which Python files libcst parses: a switch for the test that
# compares its findings with those of parsing every file.
PRE_PASS = True


def plan_run(settings: Settings, verbose: bool = False) -> Plan:
    enabled = settings.enabled_rules()
    rules = instantiate(settings, enabled)
    return Plan(
        settings,
        enabled,
        [rule for rule in rules if isinstance(rule, CodeRule)],
        [rule for rule in rules if isinstance(rule, TemplateRule)],
        [rule for rule in rules if isinstance(rule, ProjectRule)],
        verbose,
    )


@dataclass
class Discovered:
    sources: list[SourceFile]  # the files to read: those reported on, then their context
    skipped: list[Skipped]
    reported: set[str]  # display paths of the files findings are reported for


def discover_sources(paths: list[Path], settings: Settings, overlay: Overlay) -> Discovered:
    """Phase 1: the files named or found under `paths`, plus (when files are named) the rest of
    their project as context."""
    sources, skipped = discover(paths, settings, overlay)
    reported = {source.display for source in sources}
    sources = with_units(sources, settings, overlay)
    if settings.project_context and any(source.explicit for source in sources):
        sources = with_project_context(sources, settings, overlay)
    return Discovered(sources, skipped, reported)


def analyse(
    sources: list[SourceFile],
    plan: Plan,
    progress: Progress | None = None,
    memory: ResultMemory | None = None,
) -> list[FileResult]:
    """Phase 2: every file through its frontend (memory, cache, then the worker pool)."""
    settings = plan.settings
    cache_root = cache_home(sources, settings) if settings.cache else None
    max_size = settings.max_file_size

    def analysed(wanted: list[SourceFile]) -> list[FileResult]:
        return analyse_files(
            wanted,
            max_size,
            plan.parse_python,
            cache_root,
            progress,
            plan.verbose,
            jobs=settings.jobs,
        )

    if memory is None:
        skim = plan.skim
        if skim is None:
            return analysed(sources)
        return analysed_selectively(sources, plan, skim, cache_root, progress)
    found, keys = memory.recall(sources, max_size, plan.parse_python)
    missing = [position for position in range(len(sources)) if position not in found]
    found.update(zip(missing, analysed([sources[p] for p in missing]), strict=True))
    results = [found[position] for position in range(len(sources))]
    memory.keep(keys, results)
    return results


def analysed_selectively(
    sources: list[SourceFile],
    plan: Plan,
    skim: Skim,
    cache_root: str | None,
    progress: Progress | None,
) -> list[FileResult]:
    """Phase 2 with the pre-pass: every file analysed with Python files only skimmed, then
    libcst for the Python files the skim selects (the rest keep their skimmed result)."""
    from lambdalint.engine.selection import select_python

    settings = plan.settings
    max_size, jobs = settings.max_file_size, settings.jobs
    results = analyse_files(sources, max_size, skim, cache_root, progress, plan.verbose, jobs=jobs)
    wanted = select_python(results, settings, [*plan.code_rules, *plan.project_rules])
    chosen = [result.source for result in results if result.source.display in wanted]
    parsed = analyse_files(chosen, max_size, True, cache_root, None, plan.verbose, jobs=jobs)
    by_display = {result.source.display: result for result in parsed}
    return [by_display.get(result.source.display, result) for result in results]


@dataclass
class Linked:
    """The per-file results joined into one project: Python code inlined in templates, the
    modules linked by imports and calls (with the handlers templates name), and each template
    function next to its code."""

    results: list[FileResult]
    inline: list[InlineModule] = field(default_factory=list)
    inline_errors: list[Finding] = field(default_factory=list)
    project: Project | None = None  # only when a rule reads code
    functions: list[LinkedFunction] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # project rules' notes on what they skipped


def link(results: list[FileResult], plan: Plan) -> Linked:
    """Phase 3: join the files. Inline template code is analysed only when LL211 runs."""
    linked = Linked(results)
    if plan.reads_code and "LL211" in plan.enabled:
        from lambdalint.engine.linking import inline_modules

        cache_root = None
        if plan.settings.cache:
            cache_root = cache_home([result.source for result in results], plan.settings)
        linked.inline, linked.inline_errors = inline_modules(results, cache_root)
    if plan.reads_code:
        linked.project = link_code(results, plan.settings, linked.inline)
        linked.functions = link_templates(results, linked.project, linked.inline)
    return linked


def check(
    linked: Linked, plan: Plan, reported: set[str], session: FixSession | None = None
) -> list[Finding]:
    """Phases 4 to 8 over the linked project: the findings as reporters see them (a line
    several functions share is reported once, after suppression has judged each)."""
    findings = run_rules(linked, plan)
    through = on_named_paths(linked, reported)
    findings = without_context(findings, linked.results, reported, through)
    findings = resolve_positions(findings, linked.results, session, plan.verbose, linked.inline)
    findings = filter_findings(findings, plan.enabled, reported, through)
    files = reported | {f.path for f in findings}
    findings = suppress(findings, suppressions(linked.results, files), plan)
    # Unused suppressions are reported for the named files only.
    findings = [f for f in findings if f.rule != "LL002" or f.path in reported]
    findings = merge_shared_lines(findings)
    findings = fingerprint(findings, linked.results, plan.settings.root, session)
    return sort_findings(findings)


def run_rules(linked: Linked, plan: Plan) -> list[Finding]:
    """Phase 4: the frontends' own findings, then every code, template and project rule."""
    findings = [f for result in linked.results for f in result.findings]
    findings += linked.inline_errors
    findings += run_code_rules(linked.project, linked.functions, plan.code_rules, plan.verbose)
    findings += run_template_rules(
        linked.results, plan.template_rules, plan.settings, plan.verbose, plan.memory
    )
    findings += run_project_rules(
        linked.results,
        linked.project,
        linked.functions,
        plan.project_rules,
        plan.settings,
        plan.verbose,
        linked.notes,
    )
    return findings


def without_context(
    findings: list[Finding],
    results: list[FileResult],
    reported: set[str],
    through: Callable[[Finding], bool] | None,
) -> list[Finding]:
    """Before positions: drop the findings in files read only as context that phase 6 would
    drop, so those files are not parsed again for positions and fixes (with a few files named,
    pre-commit or an editor, that is nearly the whole project)."""
    context = {result.source.display for result in results} - reported
    if not context:
        return findings
    return [
        f
        for f in findings
        if f.rule == "LL000" or f.path not in context or (through is not None and through(f))
    ]


def filter_findings(
    findings: list[Finding],
    enabled: set[str],
    reported: set[str],
    through: Callable[[Finding], bool] | None = None,
) -> list[Finding]:
    """Phase 6: only enabled rules, only the files reported on (internal errors always), and
    in other files the findings `through` keeps: reported, never fixed (only named files are
    written)."""
    kept = [f for f in findings if f.rule == "LL000" or (f.rule in enabled and f.path in reported)]
    if through is None:
        return kept
    return kept + [
        replace(f, fix=None)
        for f in findings
        if f.rule in enabled and f.path not in reported and through(f)
    ]


def on_named_paths(linked: Linked, named: set[str]) -> Callable[[Finding], bool] | None:
    """With files named (pre-commit, editors), a finding in another file is still reported when
    it sits in a function whose handler path runs through a named file: a changed handler that
    starts calling an unchanged helper is what makes the helper's finding new."""
    project = linked.project
    if project is None or len(named) == len(linked.results):
        return None
    functions = project.reached_through(named)
    if not functions:
        return None

    def on_named_path(finding: Finding) -> bool:
        module = project.modules.get(finding.path)
        if module is None:
            return False
        prefix = module.facts.module + "."
        if not finding.anchor.startswith(prefix):
            return False
        return FunctionKey(finding.path, finding.anchor[len(prefix) :]) in functions

    return on_named_path


def suppressions(results: list[FileResult], reported: set[str]) -> list[Directive]:
    """Every suppression of the reported files: their comments and their resources' Metadata."""
    from lambdalint.engine.suppress import metadata_directives

    directives: list[Directive] = []
    for result in results:
        if result.source.display in reported:
            directives += result.directives
            if result.template is not None:
                directives += metadata_directives(result.template)
    return directives


def suppress(findings: list[Finding], directives: list[Directive], plan: Plan) -> list[Finding]:
    """Phase 7: the one suppression step (comments, Metadata, per-file ignores, LL002), then
    the configured severities."""
    settings = plan.settings
    findings = apply_per_file_ignores(findings, settings)
    findings = apply_suppressions(findings, directives, plan.enabled, "LL002" in plan.enabled)
    return [
        replace(f, severity=settings.severity[f.rule]) if f.rule in settings.severity else f
        for f in findings
    ]


def fingerprint(
    findings: list[Finding],
    results: list[FileResult],
    root: Path,
    session: FixSession | None = None,
) -> list[Finding]:
    """Phase 8: a stable identity for each finding (after positions, before sorting)."""
    from lambdalint.engine.fingerprint import with_fingerprints

    sources = {result.source.display: result.source for result in results}

    def text_of(path: str) -> str | None:
        source = sources.get(path)
        if source is None:
            return None
        if session is not None and path in session.files:
            return session.files[path].current
        return read_text(source, 1 << 62)[0]

    def is_template(path: str) -> bool:
        return path in sources and sources[path].kind != "python"

    relative: dict[str, str] = {}  # resolving a path is syscalls: once per file, not per finding

    def relative_of(path: str) -> str:
        if path not in relative:
            relative[path] = relative_to_root(path, root)
        return relative[path]

    unique = list(set(findings))
    return with_fingerprints(unique, relative_of, text_of, is_template)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Phase 9: the order every reporter prints."""
    return sorted(set(findings), key=Finding.sort_key)


def summarise(
    found: Discovered, results: list[FileResult], findings: list[Finding], settings: Settings
) -> RunResult:
    """What was checked, what was passed over and why, the findings, and the rules' pages."""
    reported = [r for r in results if r.source.display in found.reported]
    passed_over = [
        PassedOver(r.source.display, r.passed_over, r.source.explicit)
        for r in reported
        if r.passed_over
    ]
    return RunResult(
        findings=findings,
        files_checked=sum(1 for r in reported if not r.passed_over),
        skipped=found.skipped + passed_over,
        texts={r.source.display: r.source.text for r in reported if r.source.text is not None},
        help_urls={
            rule_id: cls.meta.help_url(settings.help_url_base)
            for rule_id, cls in all_rules().items()
        },
    )


def _fix_session(
    fixes: FixRequest | None,
    plan: Plan,
    sources: list[SourceFile],
    memory: ResultMemory | None,
) -> FixSession | None:
    """The run's fixing state, remembering what locating found in the project's cache (and a
    warm session's memory), so unchanged files with findings are not parsed again."""
    if fixes is None:
        return None
    from lambdalint.engine.cache import Cache
    from lambdalint.engine.fix import FixSession
    from lambdalint.engine.located import LocatedStore

    settings = plan.settings
    cache = Cache(Path(cache_home(sources, settings))) if settings.cache else None
    located = memory.located if memory is not None else None
    store = LocatedStore(cache, located) if cache is not None or located is not None else None
    return FixSession(fixes, {rule.meta.id: rule for rule in plan.code_rules}, store)


def fix(
    session: FixSession,
    results: list[FileResult],
    result: RunResult,
    plan: Plan,
    reported: set[str],
) -> RunResult:
    """Apply fixes in rounds, re-analysing and re-checking the files they change."""
    from lambdalint.engine.fix import finish, fix_rounds

    def relint(changed: set[str]) -> list[Finding]:
        nonlocal results
        results = [
            reanalyse(r, session.files[r.source.display].current)
            if r.source.display in changed
            else r
            for r in results
        ]
        return check(link(results, plan), plan, reported, session)

    findings = result.findings
    if session.request.mode != "show":
        findings = fix_rounds(session, findings, relint)
    return finish(session, findings, relint, result)


def _absolute(overlay: Mapping[Path, str] | None) -> dict[Path, str]:
    return {Path(path).resolve(): text for path, text in (overlay or {}).items()}


def linked_functions(paths: list[Path], settings: Settings) -> list[LinkedFunction]:
    """Every template function of `paths` next to its code, without running rules (for
    `lambdalint policy`)."""
    sources, _ = discover(paths, settings)
    cache_root = cache_home(sources, settings) if settings.cache else None
    results = analyse_files(sources, settings.max_file_size, True, cache_root)
    from lambdalint.engine.linking import inline_modules

    inline, _ = inline_modules(results)
    return link_templates(results, link_code(results, settings, inline), inline)


def reanalyse(result: FileResult, text: str) -> FileResult:
    """A Python file analysed again from text held in memory (fixed, not yet written)."""
    from lambdalint.frontends.python.analyse import analyse

    try:
        return FileResult(result.source).take(analyse(result.source, text))
    except Exception as exc:  # noqa: BLE001 - one file's failure must not stop the run
        return FileResult(
            result.source, findings=[step_failed(result.source.display, "fix", exc, False)]
        )


def analyse_files(
    sources: list[SourceFile],
    max_size: int,
    parse_python: bool | Skim,
    cache_root: str | None,
    progress: Progress | None = None,
    verbose: bool = False,
    *,
    jobs: int | None = None,
) -> list[FileResult]:
    """Per-file results in the order of `sources`: cache hits read here, the rest in the pool
    (starting worker processes only pays when something must be parsed), the files of an
    assembling frontend's unit together, and written to the cache here, in one transaction."""
    from lambdalint.engine.cache import Cache

    cache = Cache(Path(cache_root)) if cache_root is not None else None
    found: dict[str, FileResult] = {}
    keys: dict[str, str] = {}
    if cache is not None:
        for source in sources:
            try:
                key = result_key(source, max_size, parse_python)
                cached = own_entry(cache.get(key), source) if key is not None else None
            except Exception:  # noqa: BLE001 - a cache that cannot be used is a miss
                key = cached = None
            if key is not None:
                keys[source.display] = key
            if cached is not None:
                found[source.display] = cached
    missing = [source for source in sources if source.display not in found]
    work = work_items(missing)
    counter = None
    if progress is not None:
        done = len(found)

        def counter(results: list[FileResult]) -> None:
            nonlocal done
            done += len(results)
            progress(done, len(sources))

        progress(done, len(sources))
    analysed = map_files(
        analyse_work,
        work,
        max_size,
        parse_python,
        verbose,
        cache_root,
        done=counter,
        lost=worker_died,
        jobs=jobs,
    )
    documents = []
    for results in analysed:
        for result in results:
            documents += result.documents
            result.documents = []
        found.update((result.source.display, result) for result in results)
    if cache is not None:
        cache.put_many(
            [
                (keys[s.display], found[s.display])
                for s in missing
                if s.display in keys and cacheable(found[s.display])
            ],
            documents,
        )
    return [found[source.display] for source in sources]


def cacheable(result: FileResult) -> bool:
    """Internal errors are never cached: the next run tries the file again (and `own_entry`
    refuses an entry holding one)."""
    return not any(finding.rule == "LL000" for finding in result.findings)


def work_items(sources: list[SourceFile]) -> list[SourceFile | tuple[SourceFile, ...]]:
    """Each file on its own, except those of an assembling frontend: one item per unit."""
    items: list[SourceFile | tuple[SourceFile, ...]] = []
    units: dict[tuple[str, Path], list[SourceFile]] = {}
    for source in sources:
        frontend = frontend_of_kind(source.kind)
        if frontend.assembles:
            units.setdefault((source.kind, frontend.unit_of(source.path)), []).append(source)
        else:
            items.append(source)
    return items + [tuple(unit) for unit in units.values()]


def worker_died(item: SourceFile | tuple[SourceFile, ...]) -> list[FileResult]:
    """The results of a work item whose worker process died twice under it."""
    message = "internal error: the worker process analysing this file died (a crash in a native"
    message += " library, or out of memory)"
    sources = [item] if isinstance(item, SourceFile) else list(item)
    return [
        FileResult(
            s, findings=[Finding("LL000", Severity.ERROR, message, Span.point(s.display, 1))]
        )
        for s in sources
    ]


def with_project_context(
    sources: list[SourceFile], settings: Settings, overlay: Overlay | None = None
) -> list[SourceFile]:
    """The named files plus every other file of their project, which the cache makes cheap after
    the first run. The project is the configuration's directory or the git repository holding
    the first named file; with neither, nothing is added (never a whole home directory)."""
    root = project_root(sources[0].path, settings)
    if root is None or not any(root in source.path.parents for source in sources):
        return sources
    context, _ = discover([root], settings, overlay)
    named = {source.path for source in sources}
    return sorted(
        [*sources, *(source for source in context if source.path not in named)],
        key=lambda source: source.display,
    )


def cache_home(sources: list[SourceFile], settings: Settings) -> str:
    """Where the cache lives: the project (configuration directory or git repository of the
    first file), else the user's cache directory; never whatever directory the run started in."""
    root = project_root(sources[0].path, settings) if sources else None
    if root is None and settings.config_path is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        return os.path.join(base, "lambdalint")
    return str(root or settings.root)


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
        ModuleFile(facts, result.source.path, result.source.scan_root)
        for result in results
        if (facts := result.facts if result.facts is not None else _unread_facts(result))
    ]
    for module in inline:
        # A virtual file beside the template, so imports and the handler path work inside it.
        home = (Path.cwd() / module.template_path).parent / f"<inline {module.display}>"
        modules.append(ModuleFile(module.facts, home / f"{module.facts.module}.py", home))
    handlers = settings.handlers + template_handlers(templates_of(results))
    return Project(modules, handlers, [settings.root / s for s in settings.src])


def _unread_facts(result: FileResult) -> ModuleFacts | None:
    """A file the pre-pass skimmed and found nothing any rule reads in: a module of the
    project all the same (its name and place count), holding no facts."""
    from lambdalint.frontends.python.facts import ModuleFacts
    from lambdalint.frontends.python.outline import Outline

    if not isinstance(result.outline, Outline) or result.outline.refused:
        return None
    return ModuleFacts(path=result.source.display, module=module_name(result.source.path))


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
    notes: list[str] | None = None,
) -> list[Finding]:
    if not rules or project is None:
        return []
    templates = templates_of(results)
    context = ProjectContext(functions, project, templates, settings.as_of or date.today())
    context.notes = notes if notes is not None else []
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
    results: list[FileResult],
    rules: list[TemplateRule],
    settings: Settings,
    verbose: bool,
    memory: ResultMemory | None = None,
) -> list[Finding]:
    """Template rules read the templates alone: a warm session whose templates are the very
    objects of its last run (an edit of Python code) takes that run's findings."""
    if not rules or not any(result.template is not None for result in results):
        return []
    from lambdalint.engine.templates import check_templates

    if memory is None:
        return check_templates(results, rules, settings, verbose)
    inputs = TemplateInputs(
        tuple(templates_of(results)),
        (
            settings.as_of or date.today(),
            verbose,
            tuple((rule.meta.id, rule.severity, repr(rule.options)) for rule in rules),
        ),
    )
    remembered = memory.template_findings
    if remembered is not None and remembered[0].same(inputs):
        return list(remembered[1])
    findings = check_templates(results, rules, settings, verbose)
    if not any(finding.rule == "LL000" for finding in findings):  # tried again next time
        memory.template_findings = (inputs, findings)
    return findings


@dataclass(frozen=True)
class TemplateInputs:
    """What template rules read: the template objects (the same objects, held here so no other
    object can take their identity) and the settings they are checked with."""

    templates: tuple[Template, ...]
    settings: tuple

    def same(self, other: TemplateInputs) -> bool:
        return (
            len(self.templates) == len(other.templates)
            and all(a is b for a, b in zip(self.templates, other.templates, strict=True))
            and self.settings == other.settings
        )


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

    def positions_of(path: str, refs: list[NodeRef]) -> None:
        if path in inline_by_path:
            module = inline_by_path[path]
            located = locate_fast(module.code, refs, module.facts) or locate(module.code, refs)
            spans.update({ref: module.place(span) for ref, span in located.items()})
            return
        if session is None:
            text, _ = read_text(sources[path], 1 << 62)
            if text is not None:
                located = locate_fast(text, refs, facts.get(path))
                spans.update(located if located is not None else locate(text, refs))
            return
        text = session.text(sources[path])
        if text is None:
            return
        fixable = [
            (index, f) for index, f in enumerate(findings) if f.path == path and session.can_fix(f)
        ]
        if not fixable:  # nothing to build a fix for: the cheap positions do
            located = locate_fast(text, refs, facts.get(path))
            spans.update(located if located is not None else locate(text, refs))
            return
        located = session.locate(path, text, refs, fixable, facts.get(path))
        spans.update(located.spans)
        fixes.update(located.fixes)
        failures.extend(internal_error(rule, path, exc, verbose) for rule, exc in located.failures)

    for path, refs in pending.items():
        try:
            positions_of(path, refs)
        except Exception as exc:  # noqa: BLE001 - the file's findings stay, at line 1
            failures.append(step_failed(path, "positions", exc, verbose))
    if session is not None and session.store is not None:
        session.store.flush()

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


__all__ = ["run", "RunResult", "Skipped"]
