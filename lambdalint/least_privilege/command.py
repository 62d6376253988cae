"""What `lambdalint policy [FUNCTION]` prints: the least-privilege policy of one function, or of
every function whose handler code is in the run, in the format asked for."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from lambdalint.api import LinkedFunction
from lambdalint.frontends.python.sdk_usage import handler_usage
from lambdalint.least_privilege.formats import render
from lambdalint.least_privilege.statements import least_privilege


@dataclass
class PolicyOutput:
    text: str = ""
    notes: list[str] = field(default_factory=list)  # what could not be resolved, per function
    error: str = ""  # nothing to print, and why


def policies(functions: list[LinkedFunction], wanted: str | None, style: str) -> PolicyOutput:
    with_code = [linked for linked in functions if linked.code is not None]
    if wanted is not None:
        chosen = [linked for linked in with_code if _named(linked, wanted)]
        if not chosen:
            names = ", ".join(sorted(linked.function.logical_id for linked in with_code))
            known = f" (functions with code here: {names})" if names else ""
            return PolicyOutput(error=f"no function {wanted!r} with its code in the run{known}")
    else:
        chosen = with_code
    if not chosen:
        return PolicyOutput(error="no template function with its Python code in the run")
    output = PolicyOutput()
    documents: dict[str, str] = {}
    for linked in chosen:
        function = linked.function
        policy = least_privilege(function, handler_usage(linked.code))
        documents[function.logical_id] = render(function, policy.statements, style)
        output.notes += [f"{function.logical_id}: {note}" for note in policy.notes]
    if len(documents) == 1:
        output.text = next(iter(documents.values()))
    elif style == "json":
        merged = {name: json.loads(text) for name, text in documents.items()}
        output.text = json.dumps(merged, indent=2)
    else:
        output.text = "\n\n".join(f"# {name}\n{text}" for name, text in documents.items())
    return output


def _named(linked: LinkedFunction, wanted: str) -> bool:
    function = linked.function
    return wanted in (function.logical_id, function.name.text())
