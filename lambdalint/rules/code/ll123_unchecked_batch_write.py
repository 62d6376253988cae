from __future__ import annotations

from collections.abc import Iterator

from lambdalint.api import CodeContext
from lambdalint.core.finding import Finding, Severity
from lambdalint.core.rule import CodeRule, RuleMeta, register
from lambdalint.frontends.python.structure_facts.io_results import result_facts, sdk_operation
from lambdalint.rules.code.tests_and_fixtures import is_test_module

# Batch writes that succeed as a whole while failing per entry, and the response fields that
# report those failures.
FAILURE_FIELDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("dynamodb", "batch_write_item"): ("UnprocessedItems",),
    ("kinesis", "put_records"): ("FailedRecordCount", "ErrorCode"),
    ("firehose", "put_record_batch"): ("FailedPutCount", "ErrorCode"),
    ("sqs", "send_message_batch"): ("Failed",),
    ("sqs", "delete_message_batch"): ("Failed",),
    ("sqs", "change_message_visibility_batch"): ("Failed",),
    ("sns", "publish_batch"): ("Failed",),
    ("events", "put_events"): ("FailedEntryCount", "ErrorCode"),
}


@register
class UncheckedBatchWrite(CodeRule):
    """A batch write whose per-entry failures nobody reads."""

    # Batch writes are judged wherever they are, but in tests.
    unreached_tokens = tuple(sorted({operation for _, operation in FAILURE_FIELDS}))

    def reports_unreached(self, path: str) -> bool:
        return not is_test_module(path)

    meta = RuleMeta(
        id="LL123",
        name="unchecked-batch-write",
        severity=Severity.WARNING,
        summary="A batch AWS SDK write ignores the entries that failed.",
        anchors=("CodeGuru aws-unchecked-batch-failures",),
    )

    def check(self, ctx: CodeContext) -> Iterator[Finding]:
        if is_test_module(ctx.facts.path):
            return  # never deployed: a test driving the system is not a function losing data
        results = result_facts(ctx.facts)
        for call in ctx.facts.calls:
            service, operation, _ = sdk_operation(call)
            failure_fields = FAILURE_FIELDS.get((service, operation))
            if failure_fields is None:
                continue
            if call.index in results.dropped:
                how = "its response is dropped"
            else:
                name = results.bound_name(call.index)
                if not name or name in results.handed_on.get(call.func, set()):
                    continue  # used in place, returned or handed on: someone else may check
                if results.fields.get(call.func, set()) & set(failure_fields):
                    continue
                how = f"`{name}` is never checked"
            fields = " / ".join(f"`{f}`" for f in failure_fields)
            yield self.finding(
                ctx.call_ref(call.index),
                f"`{call.text}` succeeds even when some entries fail and reports them in "
                f"{fields}, but {how}; retry or report the failed entries",
                anchor=f"{ctx.facts.module}.{call.func}" if call.func else ctx.facts.module,
            )
