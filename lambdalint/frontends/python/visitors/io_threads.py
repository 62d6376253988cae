"""Background work a function starts and whether it waits for it: threads started and joined,
executor futures and their results, asyncio tasks and what happens to them.

LL126 (background-work-after-return) reads these facts.
"""

from __future__ import annotations

import libcst as cst

from lambdalint.frontends.python.extract import FactExtractor, dotted_name
from lambdalint.frontends.python.facts import OBJECT
from lambdalint.frontends.python.structure_facts.io_threads import NAME, Started, ThreadFacts

THREADS = frozenset({"threading.Thread", "threading.Timer"})
EXECUTORS = ("ThreadPoolExecutor", "ProcessPoolExecutor")
TASK_FACTORIES = frozenset({"asyncio.create_task", "asyncio.ensure_future"})
EVENT_LOOPS = frozenset(
    {"asyncio.get_event_loop", "asyncio.get_running_loop", "asyncio.new_event_loop"}
)
# Calls that wait for submitted work (or hand the decision to someone who can).
WAIT_METHODS = frozenset({"result", "exception", "shutdown"})
WAIT_CALLS = frozenset(
    {"concurrent.futures.wait", "concurrent.futures.as_completed", "asyncio.gather", "asyncio.wait"}
)
# Uses of a thread object that neither wait for it nor hand it to anyone.
THREAD_SETUP = frozenset({"start", "setDaemon", "setName"})


class ThreadVisitor(cst.CSTVisitor):
    def __init__(self, core: FactExtractor):
        self.core = core
        self.out = ThreadFacts()
        self.bound: dict[int, str] = {}  # call index -> the name its result is bound to
        self.with_executors: list[set[str]] = []  # executors a `with` shuts down on exit
        self.setup_names: dict[int, str] = {}  # id(Name node) of setup uses -> name
        core.facts.structure[NAME] = self.out

    def _func(self) -> str:
        return self.core.current_function()

    # Pre-order: a statement is visited before its calls, so the next call is call_index + 1.

    def visit_Expr(self, node: cst.Expr) -> None:
        value = node.value.expression if isinstance(node.value, cst.Await) else node.value
        if isinstance(value, cst.Call):
            self.out.dropped.add(self.core.call_index + 1)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            target = node.targets[0].target
            self.setup_names[id(target)] = target.value
            if isinstance(node.value, cst.Call):
                self.bound[self.core.call_index + 1] = target.value
        for target in node.targets:
            attribute = target.target
            if (
                isinstance(attribute, cst.Attribute)
                and isinstance(attribute.value, cst.Name)
                and attribute.attr.value in ("daemon", "name")
            ):
                self.setup_names[id(attribute.value)] = attribute.value.value

    def visit_With(self, node: cst.With) -> None:
        names = set()
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                value = self.core.evaluate(item.item)
                if value.kind == OBJECT and value.name.endswith(EXECUTORS):
                    names.add(item.asname.name.value)
        self.with_executors.append(names)

    def leave_With(self, original_node: cst.With) -> None:
        self.with_executors.pop()

    def visit_Name(self, node: cst.Name) -> None:
        func = self._func()
        if func and id(node) not in self.setup_names:
            self.out.used.setdefault(func, set()).add(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        func = self._func()
        if not func:
            return
        index = self.core.call_index
        dotted = dotted_name(node.func)
        callee = self.core.resolve(dotted) if dotted else ""
        if callee in WAIT_CALLS:
            self.out.waits.add(func)
        if callee in TASK_FACTORIES:
            self._start(func, index, "task", self.bound.get(index, ""))
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        receiver = node.func.value
        if method in WAIT_METHODS:
            self.out.waits.add(func)
        value = self.core.evaluate(receiver)
        if value.kind != OBJECT:
            return
        if method in THREAD_SETUP and isinstance(receiver, cst.Name):
            self.setup_names[id(receiver)] = receiver.value
        if method == "start" and value.name in THREADS:
            name = receiver.value if isinstance(receiver, cst.Name) else ""
            self._start(func, index, "thread", name)
        elif method == "submit" and value.name.endswith(EXECUTORS):
            if isinstance(receiver, cst.Name) and any(
                receiver.value in names for names in self.with_executors
            ):
                return  # leaving the `with` waits for every future
            self._start(func, index, "future", self.bound.get(index, ""))
        elif method == "create_task" and value.name in EVENT_LOOPS:
            self._start(func, index, "task", self.bound.get(index, ""))

    def _start(self, func: str, index: int, kind: str, name: str) -> None:
        self.out.started.append(Started(func, index, kind, name))


VISITORS = [ThreadVisitor]
