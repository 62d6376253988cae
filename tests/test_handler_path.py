"""Handler discovery and the handler path: signatures, Powertools decorators, record handlers,
event-handler routes and function references, across modules."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lambdalint.api import FunctionKey, ModuleFile
from lambdalint.config import Settings
from lambdalint.engine.discover import discover
from lambdalint.engine.work import analyse_file
from lambdalint.frontends.python.project import Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def build(files: dict[str, str]) -> Project:
        for name, text in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text), encoding="utf-8")
        sources, _ = discover([Path(".")], Settings(root=tmp_path))
        results = [analyse_file(source, 1 << 20, True) for source in sources]
        modules = [
            ModuleFile(r.facts, r.source.path, r.source.scan_root) for r in results if r.facts
        ]
        return Project(modules)

    return build


def reached(project: Project) -> set[str]:
    return {f"{key.path}:{key.qualname}" for key in project.reach}


def test_signature_convention_and_functions_it_calls(project):
    p = project(
        {
            "app.py": """
            def helper():
                pass

            def unused():
                pass

            def lambda_handler(evt, ctx):
                helper()
            """
        }
    )
    assert reached(p) == {"app.py:lambda_handler", "app.py:helper"}


def test_powertools_decorators_make_handlers_whatever_the_signature(project):
    p = project(
        {
            "obs.py": """
            from aws_lambda_powertools import Logger, Tracer
            logger = Logger()
            tracer = Tracer()
            """,
            "app.py": """
            from aws_lambda_powertools.utilities.data_classes import event_source, SQSEvent
            from aws_lambda_powertools.utilities.idempotency import idempotent
            from obs import logger, tracer

            @logger.inject_lambda_context
            def one(payload, lambda_context):
                pass

            @tracer.capture_lambda_handler
            def two(payload, lambda_context):
                pass

            @event_source(data_class=SQSEvent)
            def three(payload, lambda_context):
                pass

            @idempotent(persistence_store=None)
            def four(payload, lambda_context):
                pass

            def not_a_handler(payload, lambda_context):
                pass
            """,
        }
    )
    names = {key.qualname for key in p.handlers}
    assert names == {"one", "two", "three", "four"}


def test_middleware_made_with_lambda_handler_decorator(project):
    p = project(
        {
            "middleware.py": """
            from aws_lambda_powertools.middleware_factory import lambda_handler_decorator

            @lambda_handler_decorator
            def audit(handler, event, context):
                return handler(event, context)
            """,
            "app.py": """
            from middleware import audit

            @audit
            def main(payload, lambda_context):
                pass
            """,
        }
    )
    assert FunctionKey("app.py", "main") in p.handlers


def test_record_handler_callbacks_are_on_the_path(project):
    p = project(
        {
            "records.py": """
            def store(item):
                pass

            def record_handler(record):
                store(record)
            """,
            "app.py": """
            from aws_lambda_powertools.utilities.batch import (
                BatchProcessor, EventType, process_partial_response,
            )
            from records import record_handler

            processor = BatchProcessor(event_type=EventType.SQS)

            def main(payload, lambda_context):
                return process_partial_response(
                    event=payload, record_handler=record_handler, processor=processor,
                    context=lambda_context,
                )
            """,
        }
    )
    assert {"records.py:record_handler", "records.py:store"} <= reached(p)


def test_routes_three_modules_away_are_reached_through_the_resolver(project):
    p = project(
        {
            "api/__init__.py": "",
            "api/resolver.py": """
            from aws_lambda_powertools.event_handler import APIGatewayRestResolver
            from api.routes import orders

            app = APIGatewayRestResolver()
            app.include_router(orders.router, prefix="/orders")
            """,
            "api/routes/__init__.py": "",
            "api/routes/orders.py": """
            from aws_lambda_powertools.event_handler.api_gateway import Router
            from api.services import billing

            router = Router()

            @router.get("/<order_id>")
            def get_order(order_id):
                return billing.total(order_id)
            """,
            "api/services/__init__.py": "",
            "api/services/billing.py": """
            def total(order_id):
                return 0
            """,
            "app.py": """
            from api.resolver import app

            @app.get("/health")
            def health():
                return {"ok": True}

            def lambda_handler(event, context):
                return app.resolve(event, context)
            """,
        }
    )
    path = reached(p)
    assert "api/routes/orders.py:get_order" in path
    assert "api/services/billing.py:total" in path
    assert "app.py:health" in path
    route = p.reach[FunctionKey("api/services/billing.py", "total")]
    assert route.handler == "app.lambda_handler"


def test_routes_of_a_resolver_nobody_calls_are_not_reached(project):
    p = project(
        {
            "app.py": """
            from aws_lambda_powertools.event_handler import APIGatewayRestResolver

            app = APIGatewayRestResolver()

            @app.get("/x")
            def route():
                pass

            def lambda_handler(event, context):
                return {}
            """
        }
    )
    assert "app.py:route" not in reached(p)


def test_function_references_passed_as_arguments(project):
    p = project(
        {
            "work.py": """
            def process(item):
                pass
            """,
            "app.py": """
            from concurrent.futures import ThreadPoolExecutor
            from work import process
            import work

            def lambda_handler(event, context):
                with ThreadPoolExecutor() as pool:
                    list(pool.map(process, event["items"]))
                    pool.submit(work.process, 1)
            """,
        }
    )
    assert "work.py:process" in reached(p)


def test_module_scope_and_lazy_init_are_not_on_the_path(project):
    p = project(
        {
            "app.py": """
            import functools

            def setup():
                pass

            setup()

            @functools.cache
            def config():
                load()

            def load():
                pass

            def lambda_handler(event, context):
                config()
            """
        }
    )
    path = reached(p)
    assert "app.py:setup" not in path
    assert "app.py:load" not in path


def test_function_code_is_what_handlers_reach_and_what_their_modules_import(project):
    from lambdalint.api import CodeContext
    from lambdalint.rules.code.per_invocation import in_function_code

    built = project(
        {
            "src/app.py": """
                from lib import clients
                from lib.settings import REGION

                def handler(event, context):
                    return clients.S3.list_buckets()
            """,
            "src/lib/__init__.py": "",
            "src/lib/clients.py": "import boto3\nS3 = boto3.client('s3')\n",
            "src/lib/settings.py": "REGION = 'eu-west-1'\n",
            "src/lib/unused.py": "import boto3\nSQS = boto3.client('sqs')\n",
            "tests/test_app.py": "from src.app import handler\n\ndef test_it():\n    handler({}, None)\n",
            "scripts/deploy.py": "import boto3\n\ndef main():\n    boto3.client('lambda')\n",
        }
    )
    inside = {
        path
        for path, module in built.modules.items()
        if in_function_code(CodeContext(module.facts, built))
    }
    assert inside == {"src/app.py", "src/lib/clients.py", "src/lib/settings.py"}


# -- issue 9: application-style handlers ---------------------------------------------------


def test_objects_built_from_the_event_are_followed_whatever_their_arguments(project):
    p = project(
        {
            "app.py": """
            from impl import Remote

            class Impl:
                def __init__(self, event):
                    self.event = event

                def run(self):
                    pass

                def later(self):
                    pass

            def chained(event, context):
                return Impl(event).run()

            def bound(event, context):
                x = Impl(context)
                return x.later()

            def imported(event, context):
                return Remote(event["a"], context).go()
            """,
            "impl.py": """
            class Remote:
                def __init__(self, data, context):
                    self.data = data

                def go(self):
                    pass
            """,
        }
    )
    assert {
        "app.py:Impl.run",
        "app.py:Impl.later",
        "app.py:Impl.__init__",
        "impl.py:Remote.go",
        "impl.py:Remote.__init__",
    } <= reached(p)


def test_template_method_dispatch_through_a_base_class_in_another_module(project):
    p = project(
        {
            "app.py": """
            from base import BaseHandler

            class Handler(BaseHandler[dict]):
                def exec_main_proc(self):
                    pass

                def unused(self):
                    pass

            def lambda_handler(event, context):
                return Handler(event, context).main()
            """,
            "base.py": """
            from typing import Generic, TypeVar

            T = TypeVar("T")

            class BaseHandler(Generic[T]):
                def __init__(self, event, context):
                    self.event = event

                def main(self):
                    self.before()
                    return self.exec_main_proc()

                def before(self):
                    pass

                def exec_main_proc(self):
                    raise NotImplementedError
            """,
        }
    )
    found = reached(p)
    assert {
        "base.py:BaseHandler.main",
        "base.py:BaseHandler.before",
        "app.py:Handler.exec_main_proc",
    } <= found
    assert "app.py:Handler.unused" not in found


def test_module_globals_bound_after_the_handler_are_typed_over_the_whole_module(project):
    p = project(
        {
            "app.py": """
            import boto3

            forwarder = None

            def lambda_handler(event, context):
                init()
                stats.incr()
                forwarder.send(event)

            def init():
                global forwarder
                if forwarder is None:
                    forwarder = Forwarder()

            class Stats:
                def incr(self):
                    pass

            class Forwarder:
                def send(self, event):
                    pass

            stats = Stats()
            """
        }
    )
    assert {"app.py:Stats.incr", "app.py:Forwarder.send"} <= reached(p)


def test_a_decorator_injecting_a_third_parameter_keeps_the_handler(project):
    p = project(
        {
            "app.py": """
            from aws_embedded_metrics import metric_scope

            def helper():
                pass

            @metric_scope
            def lambda_handler(event, context, metrics):
                metrics.put_metric("Orders", 1, "Count")
                helper()

            def not_a_handler(event, context, metrics):
                pass
            """
        }
    )
    assert reached(p) == {"app.py:lambda_handler", "app.py:helper"}


def test_a_class_defined_below_the_handler_is_followed(project):
    p = project(
        {
            "app.py": """
            def lambda_handler(event, context):
                handler = Later(event, context)
                return handler.handle_request()

            class Later:
                def __init__(self, event, context):
                    self.event = event

                def handle_request(self):
                    pass
            """
        }
    )
    assert "app.py:Later.handle_request" in reached(p)


def test_handler_classes_picked_from_a_tuple_in_a_loop_are_all_followed(project):
    p = project(
        {
            "app.py": """
            from handlers import Start

            def lambda_handler(event, context):
                for cls in (Start, Stop):
                    if cls.is_handling(event):
                        return cls(event, context).handle()

            def other(event, context):
                for cls in (Start, make_handler):  # not only classes: not followed
                    cls(event).handle()
                for cls in (Start, Stop):
                    cls = pick(event)  # rebound: not one of the classes any more
                    cls.handle()

            class Stop:
                def __init__(self, event, context):
                    self.event = event

                @staticmethod
                def is_handling(event):
                    return True

                def handle(self):
                    pass

            def make_handler(event):
                pass

            def pick(event):
                pass
            """,
            "handlers.py": """
            class Start:
                def __init__(self, event, context):
                    self.event = event

                @staticmethod
                def is_handling(event):
                    return True

                def handle(self):
                    pass
            """,
        }
    )
    assert {
        "app.py:Stop.is_handling",
        "app.py:Stop.__init__",
        "app.py:Stop.handle",
        "handlers.py:Start.is_handling",
        "handlers.py:Start.__init__",
        "handlers.py:Start.handle",
    } <= reached(p)
    assert "app.py:make_handler" not in reached(p)


def test_handler_classes_from_a_module_tuple_and_their_instances_are_followed(project):
    p = project(
        {
            "app.py": """
            from typing import Final

            from handlers import Start, Stop

            HANDLERS: Final = (Start, Stop)
            REBOUND = (Start,)
            REBOUND = (Stop,)  # bound twice: not known which one a loop sees

            def lambda_handler(event, context):
                for handler_type in HANDLERS:
                    if handler_type.is_handling(event):
                        handler = handler_type(event, context)
                        return handler.handle()

            def other(event, context):
                for handler_type in REBOUND:
                    handler_type(event, context).other()
            """,
            "handlers.py": """
            class Start:
                def __init__(self, event, context):
                    self.event = event

                @staticmethod
                def is_handling(event):
                    return True

                def handle(self):
                    pass

                def other(self):
                    pass

            class Stop(Start):
                def handle(self):
                    pass
            """,
        }
    )
    assert {
        "handlers.py:Start.is_handling",
        "handlers.py:Start.__init__",
        "handlers.py:Start.handle",
        "handlers.py:Stop.handle",
    } <= reached(p)
    assert "handlers.py:Start.other" not in reached(p)
