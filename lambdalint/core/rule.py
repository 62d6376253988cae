"""Rule metadata, the rule base classes and the registry.

Metadata lives only here, on the rule: `lambdalint rules`, `explain`, the reporters and the
README's table are all generated from it. What the code already says is not written again: a
rule's scope is its kind (`CodeRule.scope == "code"`...), and `register` refuses a rule whose
`fix` metadata disagrees with whether it has a `fix` method.

The contexts the kinds read are in lambdalint/api.py (core imports nothing of ours).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from lambdalint.core.finding import Finding, Fix, Related, Severity, Where

# Where rule pages are published; `help-url-base` in the configuration overrides it.
DEFAULT_HELP_BASE = "https://github.com/lambdalint/lambdalint/blob/main/rules/"

ID_PATTERN = re.compile(r"^LL\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Option:
    """A rule option as the configuration may set it: its type, default and valid range."""

    name: str
    type: type  # int, float (any finite number), str or bool
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""  # "seconds": said with the range

    def problem(self, value: Any) -> str | None:
        """Why `value` is not valid for this option, or None when it is."""
        if not _is_a(value, self.type):
            return f"expected {self.expected()}, got {value!r}"
        if self.type in (int, float) and not (
            (self.minimum is None or value >= self.minimum)
            and (self.maximum is None or value <= self.maximum)
        ):
            return f"expected {self.expected()}, got {value!r}"
        return None

    def expected(self) -> str:
        kind = {int: "a whole number", float: "a finite number", str: "a string"}.get(
            self.type, "true or false"
        )
        if self.minimum is not None and self.maximum is not None:
            kind += f" from {self.minimum:g} to {self.maximum:g}"
        elif self.minimum is not None:
            kind += f" of at least {self.minimum:g}"
        elif self.maximum is not None:
            kind += f" of at most {self.maximum:g}"
        return kind + (f" ({self.unit})" if self.unit else "")


def _is_a(value: Any, wanted: type) -> bool:
    if wanted is bool or isinstance(value, bool):
        return wanted is bool and isinstance(value, bool)
    if wanted is float:
        return isinstance(value, (int, float)) and math.isfinite(value)
    return isinstance(value, wanted)


@dataclass(frozen=True)
class RuleMeta:
    id: str
    name: str
    severity: Severity
    summary: str
    default: bool = True
    fix: str = "none"  # "none", "safe", "unsafe": must agree with the rule's `fix` method
    anchors: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()

    def __post_init__(self) -> None:
        if not ID_PATTERN.match(self.id):
            raise ValueError(f"bad rule id {self.id!r}")
        if not NAME_PATTERN.match(self.name):
            raise ValueError(f"bad rule name {self.name!r}")
        for option in self.options:
            problem = option.problem(option.default)
            if problem is not None:
                raise ValueError(f"{self.id} option {option.name}: default: {problem}")

    def help_url(self, base: str = DEFAULT_HELP_BASE) -> str:
        """The rule's page: `<base><id>.md`."""
        return f"{base.rstrip('/')}/{self.id}.md"


class Rule:
    """Base of every rule. A rule reads what its scope gives it and yields findings; it never
    prints, never reads configuration beyond its options and never filters suppressions."""

    meta: ClassVar[RuleMeta]
    scope: ClassVar[str] = ""  # what the rule reads, set by its kind below

    def __init__(self, severity: Severity | None = None, options: dict[str, Any] | None = None):
        self.severity = severity or self.meta.severity
        self.options = {option.name: option.default for option in self.meta.options}
        self.options.update(options or {})

    def finding(
        self,
        where: Where,
        message: str,
        related: Iterable[Related] = (),
        fix: Fix | None = None,
        anchor: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            rule=self.meta.id,
            severity=severity or self.severity,
            message=message,
            where=where,
            related=tuple(related),
            fix=fix,
            anchor=anchor,
        )


class CodeRule(Rule):
    """Reads one Python module's facts, with the project's handler path to ask about.

    A rule that can repair what it finds also defines `fix(finding, tree, node) -> Fix | None`
    (see engine/fix.py): it is called only when fixes are asked for, on the parse that places
    the finding, and returns text edits; the engine applies, re-checks and writes them.
    The context is lambdalint.api.CodeContext."""

    scope = "code"
    # What the pre-pass (engine/selection.py) must parse for this rule beyond the handlers'
    # code (their modules, what those import and what the handlers reach): None, any module
    # (the rule may report anywhere, so every module is parsed); a tuple, a module holding one
    # of these tokens, in its text or a string's value, for which `reports_unreached(path)`;
    # (), nothing. A rule that reports only on handler code says ().
    unreached_tokens: ClassVar[tuple[str, ...] | None] = None

    def reports_unreached(self, path: str) -> bool:
        """Whether this rule may report in the module at `path` (a display path) when it is
        not handler code and holds one of `unreached_tokens`."""
        return True

    def check(self, ctx: Any) -> Iterator[Finding]:
        raise NotImplementedError


class TemplateRule(Rule):
    """Reads the template model (functions, roles, event sources...), never raw YAML/HCL/JSON.
    The context type is lambdalint.api.TemplateContext."""

    scope = "template"

    def check(self, ctx: Any) -> Iterator[Finding]:
        raise NotImplementedError


class ProjectRule(Rule):
    """Reads every function of the model next to the code it runs (lambdalint.api's
    ProjectContext): the template's function, role, events and environment with the handler
    module's facts, the handler function, the import closure and the handler path. For checks
    that need both (a name only the template ties to this code; LL5xx)."""

    scope = "project"
    unreached_tokens: ClassVar[tuple[str, ...] | None] = None  # as CodeRule's

    def reports_unreached(self, path: str) -> bool:
        return True

    def check(self, ctx: Any) -> Iterator[Finding]:
        raise NotImplementedError


class ToolRule(Rule):
    """Findings the engine itself produces (internal errors, parse errors, suppressions)."""

    scope = "tool"


_REGISTRY: dict[str, type[Rule]] = {}
# Where rules register themselves, found by name on first use as plugins are: the registry
# below the rules does not import them (core imports nothing of ours).
RULE_PACKAGES = ("lambdalint.rules",)


FIX_KINDS = ("none", "safe", "unsafe")


def register(cls: type[Rule]) -> type[Rule]:
    meta = cls.meta
    if meta.id in _REGISTRY and _REGISTRY[meta.id] is not cls:
        raise ValueError(f"rule id {meta.id} registered twice")
    if not cls.scope:
        raise ValueError(f"{meta.id} is not a CodeRule, TemplateRule, ProjectRule or ToolRule")
    has_fix = callable(getattr(cls, "fix", None))
    if meta.fix not in FIX_KINDS or (meta.fix != "none") != has_fix:
        raise ValueError(
            f"{meta.id} says fix={meta.fix!r} but "
            + ("defines a fix method" if has_fix else "defines no fix method")
        )
    _REGISTRY[meta.id] = cls
    return cls


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by id, sorted. Imports the rule packages on first use."""
    if not _REGISTRY:
        for name in RULE_PACKAGES:
            package = importlib.import_module(name)
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
    return dict(sorted(_REGISTRY.items()))


def rule_by_name() -> dict[str, str]:
    return {cls.meta.name: rule_id for rule_id, cls in all_rules().items()}


def resolve_code(code: str) -> str | None:
    """An id for a rule id or kebab name; None when it names no rule."""
    rules = all_rules()
    upper = code.strip().upper()
    if upper in rules:
        return upper
    return rule_by_name().get(code.strip().lower())


def expand_selector(selector: str) -> set[str]:
    """Rule ids a selector names: an id, a name, an id prefix (`LL1`, `LL10`) or `ALL`."""
    rules = all_rules()
    text = selector.strip()
    if text.upper() == "ALL":
        return set(rules)
    exact = resolve_code(text)
    if exact:
        return {exact}
    upper = text.upper()
    if upper.startswith("LL") and upper[2:].isdigit():
        return {rule_id for rule_id in rules if rule_id.startswith(upper)}
    return set()
