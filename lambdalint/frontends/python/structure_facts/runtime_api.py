"""The facts the `runtime_api` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "runtime_api"

RUNTIME_API_PATH = "/2018-06-01/runtime/"
RUNTIME_API_VARIABLE = "AWS_LAMBDA_RUNTIME_API"
# Extensions and the Telemetry API are reached through the same variable, and are public.
EXTENSION_API_PATHS = ("/2020-01-01/extension", "/2022-07-01/telemetry", "/2020-08-15/logs")


@dataclass(frozen=True)
class ImportUse:
    kind: str  # "Import" or "ImportFrom": the statement reported
    index: int  # pre-order index among nodes of that kind
    names: tuple[str, ...]  # every dotted name the statement imports ("botocore.vendored.requests")
    type_checking: bool  # under `if TYPE_CHECKING:`: never imported at run time


@dataclass(frozen=True)
class RuntimeApiUse:
    kind: str  # "Subscript", "Call", "SimpleString" or "FormattedString"
    index: int
    func: str  # "" at import time
    what: str  # "variable" (reads AWS_LAMBDA_RUNTIME_API) or "url" (a Runtime API path)


@dataclass
class RuntimeApi:
    imports: list[ImportUse] = field(default_factory=list)
    uses: list[RuntimeApiUse] = field(default_factory=list)
    extension_api: bool = False  # the module talks to the Extensions or Telemetry API
