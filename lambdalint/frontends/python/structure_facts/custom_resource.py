"""The facts the `custom_resource` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambdalint.frontends.python.facts import ModuleFacts

NAME = "custom_resource"


@dataclass
class CustomResource:
    # Functions that answer CloudFormation as a custom resource: they read the request's
    # `RequestType`/`ResponseURL` or call `cfnresponse.send` / crhelper ("" at import time).
    functions: set[str] = field(default_factory=set)


def custom_resource_functions(facts: ModuleFacts) -> set[str]:
    found = facts.structure.get(NAME)
    return found.functions if isinstance(found, CustomResource) else set()
