"""What an AWS SDK call needs from IAM: the actions of one boto3 method.

Read from two data files: sdk_actions.json, generated from botocore's models by
scripts/generate_sdk_actions.py (service -> IAM prefix, method -> operation name), and the
reviewed sdk_action_exceptions.json where the action is not the operation's name. An action
derived by name counts only when the Service Authorization Reference (iam_actions.json's
catalogue) lists it; otherwise, as for an unknown method, the need is unknown and rules that
compare code with policies stay silent about the call.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Need:
    """The IAM actions one call needs.

    `primary`: always (an empty tuple with `known` means no permission at all, like
    `sts.get_caller_identity`); `conditional`: only because of a parameter the call passes, or
    sometimes (a multipart upload's abort): used, never required; `known` False: the table cannot
    say (an unknown method, an action that depends on the request's content), `why` says why."""

    primary: tuple[str, ...] = ()
    conditional: tuple[str, ...] = ()
    known: bool = True
    why: str = ""


def _read(name: str) -> dict:
    return json.loads(resources.files("lambdalint.data").joinpath(name).read_text("utf-8"))


@cache
def _table() -> dict:
    return _read("sdk_actions.json")["services"]


@cache
def _exceptions() -> dict:
    return _read("sdk_action_exceptions.json")["methods"]


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """IAM prefix -> action name -> the resource types it can be scoped to ("" for none)."""
    return _read("iam_actions.json").get("catalogue", {})


def resource_types(action: str) -> str | None:
    """The resource types an action can be scoped to ("" when none: it needs `*`), or None when
    the reference does not list the action."""
    prefix, _, name = action.partition(":")
    return catalogue().get(prefix, {}).get(name)


@cache
def sdk_operation_names() -> frozenset[str]:
    """Every client method of the table's services, and the methods boto3 adds (S3 transfers,
    `batch_writer`): names that, called on any object, may be an SDK call."""
    names = {method for entry in _table().values() for method in entry["operations"]}
    names.update(key.rsplit(".", 1)[1] for key in _exceptions())
    return frozenset(names)


def covered_services() -> list[str]:
    return list(_table())


def needed(service: str, method: str, resource_kind: str = "", params: Iterable[str] = ()) -> Need:
    """The actions `service`'s `method` needs (a client method, or with `resource_kind` a
    resource method such as `Table.put_item`), given the keyword parameters the call passes."""
    entry = _table().get(service)
    if entry is None:
        return Need(known=False, why=f"service {service!r} is not in the IAM table")
    if resource_kind and resource_kind != "ServiceResource":
        special = _exceptions().get(f"{service}.{resource_kind}.{method}")
        if special is not None:
            return _from_exception(special, params)
        operation = entry.get("resources", {}).get(resource_kind, {}).get(method)
        if operation is None:
            return Need(known=False, why=f"{resource_kind}.{method} is not a known method")
        if operation.startswith("@"):
            operation = entry.get("waiters", {}).get(operation[1:], "")
        method = operation
    elif resource_kind == "ServiceResource":
        method = entry.get("resources", {}).get("ServiceResource", {}).get(method, method)
    return _client_need(service, entry, method, params)


def waiter_operation(service: str, waiter: str) -> str | None:
    """The client method a waiter polls (`bucket_exists` -> `head_bucket`)."""
    entry = _table().get(service)
    return entry.get("waiters", {}).get(waiter) if entry else None


def _client_need(service: str, entry: dict, method: str, params: Iterable[str]) -> Need:
    special = _exceptions().get(f"{service}.{method}")
    if special is not None:
        return _from_exception(special, params)
    name = entry["operations"].get(method)
    if name is None:
        return Need(known=False, why=f"{service}.{method} is not a known operation")
    action = f"{entry['prefix']}:{name}"
    if resource_types(action) is None:
        return Need(known=False, why=f"{action} is not in the Service Authorization Reference")
    return Need((action,))


def _from_exception(entry: dict, params: Iterable[str]) -> Need:
    if entry.get("varies"):
        return Need(known=False, why="the action depends on the request's content")
    passed = set(params)
    conditional: list[str] = []
    for parameter, actions in entry.get("conditional", {}).items():
        if parameter == "*" or parameter in passed:
            conditional.extend(a for a in actions if a not in conditional)
    return Need(tuple(entry.get("primary", ())), tuple(conditional))
