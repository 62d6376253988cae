from __future__ import annotations

from collections.abc import Iterator

from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.engine.project import CodeContext
from lambdalint.rules.code.per_invocation import creations_on_handler_path, report

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

    meta = RuleMeta(
        id="LL102",
        name="connection-in-handler",
        severity=Severity.WARNING,
        summary="A database, cache, HTTP or search connection is opened on every invocation.",
        fix="none",
        anchors=("S6243", "PW004-PW009"),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        for call, reach in creations_on_handler_path(ctx, CONNECTIONS):
            if call.callee == "sqlite3.connect" and _in_memory(call):
                continue
            yield report(self, ctx, call, reach, "a connection")


def _in_memory(call) -> bool:
    database = call.argument(0, "database")
    return database is not None and database.literal == ":memory:"
