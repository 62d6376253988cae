"""Which Python files libcst must read: the pre-pass decision.

Every Python file is first skimmed (frontends/python/outline.py: CPython's `ast`, its comments);
then only the files whose facts may reach a finding are parsed with libcst. A file is parsed when:

- CPython refuses it, or it could not be skimmed: the usual analysis reports it as always;
- it may define or register a handler (the signature convention, a handler decorator, a record
  handler, a middleware factory; with a factory in the run, any decorated function), or a
  template or the configuration names it;
- a parsed file may resolve a dotted name to it (its imports, attribute chains on them), by the
  same search frontends/python/imports.py makes (the file's directory, its parents up to the
  scan root, `src`), every candidate at every cut, closed transitively: so handler paths,
  re-exports and import closures see the same modules;
- it extends project code (a base class, a resolver it adds routes to, a router it includes):
  a handler path may run into it from what it extends;
- its names may resolve (directly or through re-exports) into a parsed file that defines a
  coroutine function (LL117 spares a coroutine that another module calls);
- an enabled rule that reports outside handler code finds one of its tokens in it
  (`CodeRule.unreached_tokens`);
- templates inline Python code and `src` directories are set: every file under them (inline code
  resolves its imports there).

A file not selected is still checked: CPython compiled it, its comments were read (so an unused
suppression in it is LL002 as before), and it joins the project as a module without facts, so
module names and code directories are what a full parse sees (LL116, LL505). Nothing in it can
become a finding: every rule that reads a module's facts reports only on handler code or on the
tokens above.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

from lambdalint.config import Settings
from lambdalint.core.rule import Rule
from lambdalint.engine.work import FileResult
from lambdalint.frontends.python.imports import parents_up_to
from lambdalint.frontends.python.outline import Outline, Skim
from lambdalint.model import Template
from lambdalint.sources import SourceFile


def skim_for(rules: Iterable[Rule]) -> Skim | None:
    """What to skim Python files for, or None when some rule may report on any module (then
    every file is parsed, as before the pre-pass)."""
    tokens: set[str] = set()
    for rule in rules:
        wanted = rule.unreached_tokens
        if wanted is None:
            return None
        tokens.update(wanted)
    return Skim(tuple(sorted(tokens)))


def select_python(results: list[FileResult], settings: Settings, rules: list[Rule]) -> set[str]:
    """Display paths of the skimmed Python files libcst must parse."""
    python = [r for r in results if r.source.kind == "python"]
    by_path = {r.source.path: r for r in python}
    src = [settings.root / directory for directory in settings.src]
    selected = {r.source.path for r in python if _selected_alone(r, rules)}
    selected |= _named_handlers(python, results, settings)
    selected |= {
        r.source.path
        for r in python
        if isinstance(r.outline, Outline)
        and any(_exists(by_path, _holders(r.source, t, src, by_path)) for t in r.outline.extends)
    }
    if any(_outline(r).makes_middleware for r in python):
        # Which decorator a middleware factory made is known only once imports resolve.
        selected |= {r.source.path for r in python if _outline(r).decorates}
    if src and any(_inlines_code(t) for t in _templates(results)):
        selected |= {p for p in by_path if any(root in p.parents for root in src)}
    while True:
        _close(selected, by_path, src)
        coroutines = {p for p in selected if _outline(by_path[p]).has_async}
        callers = {
            r.source.path
            for r in python
            if coroutines
            and r.source.path not in selected
            and _leads_to(r, coroutines, src, by_path)
        }
        if not callers:
            break
        selected |= callers
    return {by_path[p].source.display for p in selected}


def _leads_to(
    result: FileResult, wanted: set[Path], src: list[Path], by_path: dict[Path, FileResult]
) -> bool:
    """Whether a module's names may resolve, directly or through re-exports, into `wanted`."""
    seen = {result.source.path}
    pending = [result]
    while pending:
        for path in _reached_from(pending.pop(), src, by_path):
            if path in wanted:
                return True
            if path in by_path and path not in seen:
                seen.add(path)
                pending.append(by_path[path])
    return False


def _outline(result: FileResult) -> Outline:
    return result.outline if isinstance(result.outline, Outline) else Outline()


def _selected_alone(result: FileResult, rules: list[Rule]) -> bool:
    outline = result.outline
    if not isinstance(outline, Outline) or outline.refused or outline.handler_like:
        return True
    held = set(outline.tokens)
    return any(
        rule.unreached_tokens
        and held.intersection(rule.unreached_tokens)
        and rule.reports_unreached(result.source.display)
        for rule in rules
    )


def _named_handlers(
    python: list[FileResult], results: list[FileResult], settings: Settings
) -> set[Path]:
    """The files templates and configuration name as handler modules, as declared_handlers
    and link_functions find them (a package's `__init__.py` too)."""
    from lambdalint.frontends.python.linking import template_handlers

    specs = [*settings.handlers, *template_handlers(_templates(results))]
    named = set()
    for spec in specs:
        file_part = spec.rpartition(":")[0].removeprefix("./")
        package = posixpath.join(file_part.removesuffix(".py"), "__init__.py")
        named |= {file_part, package}
    return {
        r.source.path
        for r in python
        if r.source.display in named or any(r.source.display.endswith("/" + name) for name in named)
    }


def _templates(results: list[FileResult]) -> list[Template]:
    return [r.template for r in results if isinstance(r.template, Template)]


def _inlines_code(template: Template) -> bool:
    return any(not function.inline_code.is_missing for function in template.functions)


def _close(selected: set[Path], by_path: dict[Path, FileResult], src: list[Path]) -> None:
    """Add every file a selected file's dotted names may resolve to, transitively."""
    pending = list(selected)
    while pending:
        for path in _reached_from(by_path[pending.pop()], src, by_path):
            if path in by_path and path not in selected:
                selected.add(path)
                pending.append(path)


def _reached_from(
    result: FileResult, src: list[Path], by_path: dict[Path, FileResult]
) -> Iterable[Path]:
    """The files a module's names may resolve to: every module its imports may name (the
    import closure runs them), and those holding a member its attribute chains may name."""
    outline = _outline(result)
    for target in outline.imports:
        yield from _candidates(result.source, target, src, by_path)
    for target in outline.targets:
        yield from _holders(result.source, target, src, by_path)


def _holders(
    source: SourceFile, target: str, src: list[Path], by_path: dict[Path, FileResult]
) -> Iterable[Path]:
    """The candidates of `target` (below) that define or import the member it would name
    there: in any other module, resolution finds nothing, parsed or not."""
    for path, member in _candidates(source, target, src, by_path, members=True):
        found = by_path.get(path)
        if found is None:
            continue
        outline = found.outline
        if not isinstance(outline, Outline) or outline.refused or member in outline.names:
            yield path


def _exists(by_path: dict[Path, FileResult], paths: Iterable[Path]) -> bool:
    return any(path in by_path for path in paths)


def _candidates(
    source: SourceFile,
    target: str,
    src: list[Path],
    by_path: dict[Path, FileResult],
    members: bool = False,
) -> Iterable:
    """Every file a module's dotted name may be looked up in (imports.py's search, every cut;
    a star import, every file below the package). With `members`, (file, the first name after
    the cut) for the cuts that leave a member to look up."""
    if target.startswith("."):
        level = len(target) - len(target.lstrip("."))
        base = source.path.parent
        for _ in range(level - 1):
            base = base.parent
        search, dotted = [base], target[level:]
    else:
        directory = source.path.parent
        search = [directory, *parents_up_to(directory, source.scan_root), *src]
        dotted = target
    parts = [part for part in dotted.split(".") if part]
    star = bool(parts) and parts[-1] == "*"
    if star:
        parts = parts[:-1]
    for directory in search:
        for cut in range(1, len(parts) + (0 if members else 1)):
            candidate = directory.joinpath(*parts[:cut])
            for path in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                yield (path, parts[cut]) if members else path
        if star and not members:
            below = directory.joinpath(*parts)
            yield from (path for path in by_path if below in path.parents)
