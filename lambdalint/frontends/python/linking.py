"""Where templates and Python code meet: the handler module and function a template function
names, and what that code reaches.

Templates are authoritative about handlers: `Handler: app.main` with `CodeUri: src/` makes
`src/app.py:main` a handler whatever its signature. The code directory is the function's
`code_path` (SAM `CodeUri` with Globals applied, CloudFormation `Code` or a CDK asset path,
later Terraform `source_dir` and the Serverless service directory) relative to the directory
of the file that declares it; inline code is the virtual module the engine made of it.
"""

from __future__ import annotations

import posixpath

from lambdalint.api import FunctionKey, HandlerCode, LinkedFunction, ModuleFile
from lambdalint.frontends.python.imports import MAX_REEXPORT_HOPS
from lambdalint.frontends.python.project import Project
from lambdalint.model import Function, Template


def python_runtime(function: Function) -> bool:
    """Python, or not stated (a Globals runtime we could not read): worth looking at."""
    runtime = function.runtime.text()
    return runtime is None or runtime.startswith("python")


def handler_parts(function: Function) -> tuple[str, str] | None:
    """("pkg/mod", "func") for `Handler: pkg.mod.func` (or `pkg/mod.func`)."""
    handler = function.handler.text()
    if not handler or "." not in handler:
        return None
    module, _, name = handler.rpartition(".")
    return module.replace(".", "/"), name


def handler_location(function: Function) -> tuple[str, str] | None:
    """The handler module's display path (as a `.py` file) and the function's name, for a
    Python function whose code is a local directory; None otherwise."""
    code = function.code_path.text()
    if code is None and _code_beside_template(function):
        code = "."
    parts = handler_parts(function)
    if code is None or parts is None or not python_runtime(function):
        return None
    if "://" in code or code.endswith((".zip", ".jar")):
        return None  # built artefacts and S3 locations have no source here
    module, name = parts
    path = posixpath.normpath(posixpath.join(function.template_dir, code, module + ".py"))
    return path, name


def _code_beside_template(function: Function) -> bool:
    """A SAM function with no `CodeUri` at all (none in Globals either) and no inline code or
    image: `sam build` packages the template's own directory, so `Handler:
    src/api/bookings.lambda_handler` names `src/api/bookings.py` beside the template."""
    return (
        function.source == "sam"
        and function.code_path.is_missing
        and function.inline_code.is_missing
    )


def template_handlers(templates: list[Template]) -> list[str]:
    """`path/to/module.py:function` for every Python function a template names with local code."""
    specs = []
    for template in templates:
        for function in template.functions:
            location = handler_location(function)
            if location is not None:
                specs.append(f"{location[0]}:{location[1]}")
    return specs


def link_functions(
    templates: list[Template], project: Project, inline: dict[int, str]
) -> list[LinkedFunction]:
    """Every function of the templates with its code. `inline` maps `id(function)` to the
    display path of the module the engine made of its inline code."""
    linked = []
    for template in templates:
        for function in template.functions:
            handler_file, module, name = _handler_module(function, project, inline)
            code = _code(project, module, name) if module is not None else None
            linked.append(LinkedFunction(function, template, handler_file, code))
    return linked


def _handler_module(
    function: Function, project: Project, inline: dict[int, str]
) -> tuple[str, ModuleFile | None, str]:
    if id(function) in inline:
        display = inline[id(function)]
        parts = handler_parts(function)
        return display, project.modules.get(display), parts[1] if parts else ""
    location = handler_location(function)
    if location is None:
        return "", None, ""
    path, name = location
    package = posixpath.join(path.removesuffix(".py"), "__init__.py")
    module = project.modules.get(path) or project.modules.get(package)
    return path, module, name


def _code(project: Project, module: ModuleFile, name: str) -> HandlerCode:
    key = FunctionKey(module.facts.path, name)
    closure = project.import_closure(module)
    # Record handlers and routes registered in this code run when the handler runs them.
    callbacks = [
        found
        for member in closure
        for target, _ in member.facts.callbacks
        if (found := project.resolve_target(member, target, MAX_REEXPORT_HOPS)) is not None
    ]
    path = project.graph.paths([key, *callbacks])
    imported = {member.facts.path for member in closure}
    reached = sorted({found.path for found in path} - imported)
    closure += [project.modules[found] for found in reached if found in project.modules]
    return HandlerCode(
        module=module,
        handler=key,
        function=project.function(key),
        closure=tuple(closure),
        path=path,
    )
