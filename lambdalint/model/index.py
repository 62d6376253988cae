"""Lookups over every template of a run, built once, so that a rule pairing resources across
templates does a dictionary look-up per resource instead of a scan of every other template.

A rule receives the same index in every TemplateContext of a run: whatever pairs resources
(log groups by name, functions by name) asks it instead of looping over `ctx.templates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from lambdalint.model.resources import LogGroup, Template
from lambdalint.model.values import UNKNOWN


@dataclass
class ModelIndex:
    templates: list[Template]
    log_groups_by_name: dict[str, list[LogGroup]] = field(default_factory=dict)
    # Folders holding a log group whose name cannot be resolved and that no function claims,
    # and every ancestor of such a folder: such a group may be any function's next to it.
    _unclaimed_dirs: set[PurePosixPath] = field(default_factory=set)
    _unclaimed_ancestors: set[PurePosixPath] = field(default_factory=set)
    # The same for any log group no function claims, named or not.
    _free_dirs: set[PurePosixPath] = field(default_factory=set)
    _free_ancestors: set[PurePosixPath] = field(default_factory=set)

    @classmethod
    def build(cls, templates: list[Template]) -> ModelIndex:
        index = cls(list(templates))
        claimed = {
            id(function.log_group)
            for template in templates
            for function in template.functions
            if function.log_group is not None
        }
        for template in templates:
            folder = PurePosixPath(template.path).parent
            for group in template.log_groups:
                name = group.name.text()
                if name is not None:
                    index.log_groups_by_name.setdefault(name, []).append(group)
                if id(group) in claimed:
                    continue
                index._free_dirs.add(folder)
                index._free_ancestors.update(folder.parents)
                if UNKNOWN in group.name.alternatives:
                    index._unclaimed_dirs.add(folder)
                    index._unclaimed_ancestors.update(folder.parents)
        return index

    def log_groups_named(self, name: str) -> list[LogGroup]:
        return self.log_groups_by_name.get(name, [])

    def unclaimed_unnamed_log_group_near(self, template: Template) -> bool:
        """Whether a template of the same deployment (the same folder, or folders one inside
        the other) declares a log group we cannot name and no function claims."""
        return _near(template, self._unclaimed_dirs, self._unclaimed_ancestors)

    def unclaimed_log_group_near(self, template: Template) -> bool:
        """Whether a template of the same deployment declares any log group no function
        claims: one that might be the group of a function whose name we cannot resolve."""
        return _near(template, self._free_dirs, self._free_ancestors)


def _near(template: Template, dirs: set[PurePosixPath], ancestors: set[PurePosixPath]) -> bool:
    folder = PurePosixPath(template.path).parent
    if folder in dirs or folder in ancestors:
        return True
    return any(parent in dirs for parent in folder.parents)
