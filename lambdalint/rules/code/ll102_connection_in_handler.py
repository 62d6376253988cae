from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Fix, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.facts import OBJECT, CallFact
from lambdalint.rules.code.per_invocation import creations_on_handler_path, report

if TYPE_CHECKING:  # libcst is imported only when fixes are asked for
    import libcst as cst

    from lambdalint.frontends.python.fix_tree import FixTree

# Constructors of database, cache, HTTP and search connections or pools, by import path.
CONNECTIONS = frozenset(
    {
        # relational databases
        "pymysql.connect",
        "pymysql.Connect",
        "pymysql.connections.Connection",
        "mysql.connector.connect",
        "mysql.connector.pooling.MySQLConnectionPool",
        "psycopg2.connect",
        "psycopg2.pool.SimpleConnectionPool",
        "psycopg2.pool.ThreadedConnectionPool",
        "psycopg.connect",
        "psycopg.Connection.connect",
        "psycopg.AsyncConnection.connect",
        "psycopg_pool.ConnectionPool",
        "pg8000.connect",
        "pg8000.native.Connection",
        "pg8000.dbapi.connect",
        "pyodbc.connect",
        "oracledb.connect",
        "oracledb.create_pool",
        "cx_Oracle.connect",
        "snowflake.connector.connect",
        "sqlite3.connect",
        "sqlalchemy.create_engine",
        "sqlalchemy.orm.sessionmaker",
        "sqlalchemy.ext.asyncio.create_async_engine",
        "peewee.MySQLDatabase",
        "peewee.PostgresqlDatabase",
        "peewee.SqliteDatabase",
        # document stores and caches
        "mongoengine.connect",
        "pymongo.MongoClient",
        "motor.motor_asyncio.AsyncIOMotorClient",
        "redis.Redis",
        "redis.StrictRedis",
        "redis.from_url",
        "redis.Redis.from_url",
        "redis.StrictRedis.from_url",
        "redis.ConnectionPool",
        "redis.asyncio.Redis",
        "redis.asyncio.from_url",
        # HTTP
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "urllib3.PoolManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "aiohttp.ClientSession",
        # search
        "opensearchpy.OpenSearch",
        "opensearchpy.AsyncOpenSearch",
        "elasticsearch.Elasticsearch",
        "elasticsearch.AsyncElasticsearch",
    }
)


@register
class ConnectionInHandler(CodeRule):
    """A database, cache, HTTP or search connection or pool opened on every invocation."""

    unreached_tokens = ()  # reports on handler code only
    meta = RuleMeta(
        id="LL102",
        name="connection-in-handler",
        severity=Severity.WARNING,
        summary="A database, cache, HTTP or search connection is opened on every invocation.",
        fix="unsafe",
        anchors=("S6243", "PW004-PW009"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call, reach in creations_on_handler_path(ctx, CONNECTIONS):
            if call.callee == "sqlite3.connect" and _in_memory(call):
                continue
            if call.callee == "sqlalchemy.orm.sessionmaker" and _bound_to_a_known_engine(ctx, call):
                continue
            yield report(self, ctx, call, reach, "a connection")

    def fix(self, finding: Finding, tree: FixTree, node: cst.CSTNode) -> Fix | None:
        """Open it once at module scope. Always unsafe: the connection now opens at import
        time, is shared by every invocation (a `close()`, an open transaction or a server-side
        idle timeout now affects the next one), and needs reconnect handling."""
        import libcst as cst

        from lambdalint.rules.code.hoist import hoist, qualified_callee

        if not isinstance(node, cst.Call):
            return None
        name = VARIABLE_NAMES.get(qualified_callee(node, tree))
        if name is None:
            return None  # async clients belong to one event loop; unknown shapes are left alone
        moved = hoist(tree, node, name)
        if moved is None:
            return None
        message = (
            f"Use the module-level `{moved.name}`"
            if moved.reused
            else f"Open `{moved.name}` once at module scope"
        )
        return Fix(message, "unsafe", moved.edits)


def _names() -> dict[str, str]:
    """The module-level variable a hoisted constructor gets. Async constructors are absent on
    purpose: their objects are bound to the event loop of one invocation."""
    by_kind = {
        "db_connection": (
            "pymysql.connect pymysql.Connect pymysql.connections.Connection "
            "mysql.connector.connect psycopg2.connect psycopg.connect psycopg.Connection.connect "
            "pg8000.connect pg8000.native.Connection pg8000.dbapi.connect pyodbc.connect "
            "oracledb.connect cx_Oracle.connect snowflake.connector.connect sqlite3.connect"
        ),
        "db_pool": (
            "mysql.connector.pooling.MySQLConnectionPool psycopg2.pool.SimpleConnectionPool "
            "psycopg2.pool.ThreadedConnectionPool psycopg_pool.ConnectionPool oracledb.create_pool"
        ),
        "db_engine": "sqlalchemy.create_engine",
        "session_factory": "sqlalchemy.orm.sessionmaker",
        "database": "peewee.MySQLDatabase peewee.PostgresqlDatabase peewee.SqliteDatabase",
        "mongo_connection": "mongoengine.connect",
        "mongo_client": "pymongo.MongoClient",
        "redis_client": (
            "redis.Redis redis.StrictRedis redis.from_url redis.Redis.from_url "
            "redis.StrictRedis.from_url"
        ),
        "redis_pool": "redis.ConnectionPool",
        "http_session": "requests.Session requests.session requests.sessions.Session",
        "http_client": "httpx.Client",
        "http_pool": "urllib3.PoolManager urllib3.HTTPConnectionPool urllib3.HTTPSConnectionPool",
        "search_client": "opensearchpy.OpenSearch elasticsearch.Elasticsearch",
    }
    return {callee: name for name, callees in by_kind.items() for callee in callees.split()}


VARIABLE_NAMES = _names()


def _bound_to_a_known_engine(ctx: CodeContext, call: CallFact) -> bool:
    """A `sessionmaker` opens nothing itself: its engine does. An engine made at module scope
    is reused; one made on the handler path is reported where it is made."""
    bind = call.argument(0, "bind")
    if bind is None or bind.kind != OBJECT or bind.origin < 0:
        return False
    engine = ctx.call_at(bind.origin)
    return engine is not None and (not engine.func or engine.callee in CONNECTIONS)


def _in_memory(call) -> bool:
    database = call.argument(0, "database")
    return database is not None and database.literal == ":memory:"
