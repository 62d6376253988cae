"""Import resolution across the project: which project function or object a dotted name in a
module denotes, following relative imports, the scan root's parents, `src` directories and
re-exports."""

from __future__ import annotations

from pathlib import Path

from lambdalint.api import FunctionKey, ModuleFile
from lambdalint.frontends.python.facts import CallEdge, FunctionFact

MAX_REEXPORT_HOPS = 5
MAX_BASE_HOPS = 8  # depth of a class hierarchy followed for an inherited method


class ModuleIndex:
    """Every analysed module, indexed by display path and by file, with name resolution."""

    def __init__(self, modules: list[ModuleFile], src: list[Path] = ()):
        self.modules = {m.facts.path: m for m in modules}
        self.by_file = {m.path: m for m in modules}
        self.src = list(src)
        # The first part of an absolute import that can name a project module: a file stem or a
        # directory of the project. Most call targets are library calls (`boto3.client`,
        # `os.environ.get`) and are dismissed by this set without any path work.
        self.top_names = {m.path.stem for m in modules} | {
            part for m in modules for part in m.path.parent.parts
        }
        self._resolved: dict[tuple[Path, Path, str], FunctionKey | None] = {}
        self._subclass_map: dict[tuple[str, str], list[tuple[str, str]]] | None = None

    def function(self, key: FunctionKey) -> FunctionFact | None:
        module = self.modules.get(key.path)
        return module.facts.functions.get(key.qualname) if module else None

    def handler_name(self, key: FunctionKey) -> str:
        return f"{self.modules[key.path].facts.module}.{key.qualname}"

    def resolve_edge(self, module: ModuleFile, edge: CallEdge) -> FunctionKey | None:
        return self.resolve_target(module, edge.target, MAX_REEXPORT_HOPS)

    def resolve_target(self, module: ModuleFile, target: str, hops: int) -> FunctionKey | None:
        if target.startswith("@"):
            return self._callable(module, target[1:])
        if target.startswith("."):
            base, dotted = _relative(module, target)
            return self._lookup_dotted(dotted, [base], hops)
        if target.partition(".")[0] not in self.top_names:
            return None
        key = (module.path.parent, module.scan_root, target)
        if key not in self._resolved:
            directory = module.path.parent
            search = [directory, *self._parents_up_to(directory, module.scan_root)]
            self._resolved[key] = self._lookup_dotted(target, search + self.src, hops)
        return self._resolved[key]

    def _parents_up_to(self, directory: Path, root: Path) -> list[Path]:
        return parents_up_to(directory, root)

    def _lookup_dotted(self, dotted: str, search: list[Path], hops: int) -> FunctionKey | None:
        parts = dotted.split(".")
        for directory in search:
            for cut in range(len(parts) - 1, 0, -1):
                module_parts, rest = parts[:cut], parts[cut:]
                candidate = directory.joinpath(*module_parts)
                for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                    found = self.by_file.get(file)
                    if found is not None:
                        return self._member(found, ".".join(rest), hops)
        return None

    def _member(self, module: ModuleFile, name: str, hops: int) -> FunctionKey | None:
        direct = self._callable(module, name)
        if direct is not None:
            return direct
        head, _, rest = name.partition(".")
        reexport = module.facts.imports.get(head)
        if reexport is not None and hops > 0:
            return self.resolve_target(module, reexport + ("." + rest if rest else ""), hops - 1)
        return None

    def _callable(
        self, module: ModuleFile, qualname: str, hops: int = MAX_BASE_HOPS
    ) -> FunctionKey | None:
        facts = module.facts
        if qualname in facts.functions:
            return FunctionKey(facts.path, qualname)
        if qualname in facts.classes:
            qualname = f"{qualname}.__init__"
            if qualname in facts.functions:
                return FunctionKey(facts.path, qualname)
        cls, _, method = qualname.rpartition(".")
        if cls not in facts.classes or hops <= 0:
            return None
        # Inherited: the first base class (in order) that has it, in this project.
        for base in facts.class_bases.get(cls, ()):
            located = self._locate(module, base, MAX_REEXPORT_HOPS)
            owner = self.modules.get(located[0]) if located is not None else None
            if owner is not None:
                found = self._callable(owner, f"{located[1]}.{method}", hops - 1)
                if found is not None:
                    return found
        return None

    def overrides(self, key: FunctionKey) -> list[FunctionKey]:
        """`self.method()` in class C may run the method of any project subclass of C that
        overrides it: each such method, by class hierarchy."""
        cls, _, method = key.qualname.rpartition(".")
        if not cls:
            return []
        found: list[FunctionKey] = []
        pending, seen = [(key.path, cls)], {(key.path, cls)}
        while pending:
            for path, sub in self._subclasses().get(pending.pop(), ()):
                if (path, sub) in seen:
                    continue
                seen.add((path, sub))
                pending.append((path, sub))
                if f"{sub}.{method}" in self.modules[path].facts.functions:
                    found.append(FunctionKey(path, f"{sub}.{method}"))
        return found

    def _subclasses(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        if self._subclass_map is None:
            self._subclass_map = {}
            for module in self.modules.values():
                for cls, bases in module.facts.class_bases.items():
                    for base in bases:
                        located = self._locate(module, base, MAX_REEXPORT_HOPS)
                        if located is not None:
                            self._subclass_map.setdefault(located, []).append(
                                (module.facts.path, cls)
                            )
        return self._subclass_map

    def locate_object(self, module: ModuleFile, target: str) -> tuple[str, str] | None:
        """Where a module-level object named by a target lives: (module path, name)."""
        return self._locate(module, target, MAX_REEXPORT_HOPS)

    def _locate(self, module: ModuleFile, target: str, hops: int) -> tuple[str, str] | None:
        if target.startswith("@"):
            return module.facts.path, target[1:]
        if target.startswith("."):
            base, dotted = _relative(module, target)
            search = [base]
        else:
            parents = self._parents_up_to(module.path.parent, module.scan_root)
            search, dotted = [module.path.parent, *parents, *self.src], target
        parts = dotted.split(".")
        for directory in search:
            for cut in range(len(parts) - 1, 0, -1):
                candidate = directory.joinpath(*parts[:cut])
                for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                    found = self.by_file.get(file)
                    if found is None:
                        continue
                    name = ".".join(parts[cut:])
                    reexport = found.facts.imports.get(name)
                    if reexport is not None and hops > 0:
                        return self._locate(found, reexport, hops - 1)
                    return found.facts.path, name
        return None

    # -- modules --------------------------------------------------------------------------

    def import_closure(self, module: ModuleFile) -> list[ModuleFile]:
        """The module, then every project module importing it runs, transitively (breadth
        first): the modules it imports at module level and the packages holding them
        (`from orders.store import save` runs `orders/__init__.py` too). `import pkg.mod` is
        recorded as `pkg`, so it brings `pkg/__init__.py` only; library modules are not in the
        project and end the walk."""
        found = {module.path: module}
        pending = [module]
        while pending:
            current = pending.pop(0)
            for target in current.facts.imports.values():
                for imported in self.imported_modules(current, target):
                    if imported.path not in found:
                        found[imported.path] = imported
                        pending.append(imported)
        return list(found.values())

    def imported_modules(self, module: ModuleFile, target: str) -> list[ModuleFile]:
        """The project module an import target names (`import a.b`, `from . import b`) or
        holds the imported name (`from a.b import f`), after the packages above it."""
        if target.startswith("."):
            base, dotted = _relative(module, target)
            search = [base]
        elif target.partition(".")[0] in self.top_names:
            parents = self._parents_up_to(module.path.parent, module.scan_root)
            search, dotted = [module.path.parent, *parents, *self.src], target
        else:
            return []
        parts = dotted.split(".") if dotted else []
        for directory in search:
            for cut in range(len(parts), 0, -1):
                candidate = directory.joinpath(*parts[:cut])
                for file in (candidate.with_suffix(".py"), candidate / "__init__.py"):
                    found = self.by_file.get(file)
                    if found is not None:
                        packages = (
                            self.by_file.get(directory.joinpath(*parts[:depth], "__init__.py"))
                            for depth in range(1, cut)
                        )
                        return [*(p for p in packages if p is not None), found]
        return []


def parents_up_to(directory: Path, root: Path) -> list[Path]:
    """The directories above `directory` an absolute import is also looked up in: up to the
    scan root (engine/selection.py searches the same way)."""
    parents = []
    for parent in directory.parents:
        if parent != root and root not in parent.parents:
            break
        parents.append(parent)
    return parents


def _relative(module: ModuleFile, target: str) -> tuple[Path, str]:
    """The directory a relative import target starts from, and the rest of the target."""
    level = len(target) - len(target.lstrip("."))
    base = module.path.parent
    for _ in range(level - 1):
        base = base.parent
    return base, target[level:]
