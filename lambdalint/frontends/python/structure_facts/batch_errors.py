"""The facts the `batch_errors` visitor records: plain data, importable without libcst."""

from __future__ import annotations

from dataclasses import dataclass, field

NAME = "batch_errors"

BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
# Wrappers that still iterate what they are given.
ITERATION_WRAPPERS = frozenset({"enumerate", "list", "tuple", "sorted", "reversed", "iter"})
EXITS = frozenset({"sys.exit", "os._exit", "exit", "quit"})
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print_exc"}
)
# Sending the failed record to a queue by hand (a dead-letter queue the code manages).
FORWARDING_METHODS = frozenset({"send_message", "send_message_batch"})
FAILURES_KEY = "batchItemFailures"
# Keys of the records of notification sources that invoke Lambda asynchronously, one event at a
# time (S3, SNS, SES): no event source mapping, no batch to acknowledge, no `batchItemFailures`.
NOTIFICATION_KEYS = frozenset({"s3", "Sns", "ses"})
POWERTOOLS_BATCH = "aws_lambda_powertools.utilities.batch"


@dataclass(frozen=True)
class BroadExcept:
    """A bare / Exception / BaseException handler inside or around a records loop."""

    index: int  # pre-order index among ExceptHandler nodes
    func: str
    catches: str  # "bare except", "Exception", "BaseException"
    placement: str  # "inside" the loop, "around" it, or "helper": in a function the loop calls
    loop_param: str  # "" for a loop over the event's records; else the parameter iterated
    reraises: bool  # `raise`, or an exit, in the handler body
    reports: bool  # the body builds the `batchItemFailures` response itself
    records: bool  # the body stores, returns, or calls something besides logging
    forwards: bool  # the body sends the record to a queue itself
    raise_after: bool  # the function raises again after this handler (collect, then fail)
    notification: bool = False  # the function reads S3/SNS/SES records: not a polled batch


@dataclass
class BatchErrors:
    handlers: list[BroadExcept] = field(default_factory=list)
    # call index -> argument positions ("0", "1"...) and keywords that carry the records
    record_args: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # calls made inside a loop over the event's records (per-record helpers), by call index
    per_record_calls: set[int] = field(default_factory=set)
    mentions_failures: bool = False  # "batchItemFailures" is written somewhere in the module
    powertools_batch: bool = False  # the module uses Powertools' batch processing utility
