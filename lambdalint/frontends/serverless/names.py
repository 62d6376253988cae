"""How serverless.yml spells the properties rule messages name (keys: CloudFormation's names)."""

from __future__ import annotations

SERVERLESS_NAMES: dict[str, str] = {
    "Timeout": "timeout",
    "MemorySize": "memorySize",
    "Runtime": "runtime",
    "Handler": "handler",
    "Role": "role",
    "Tracing": "tracing (provider.tracing.lambda)",
    "Environment": "environment",
    "ReservedConcurrentExecutions": "reservedConcurrency",
    "DeadLetterConfig": "onError",
    "LoggingConfig": "logs.logGroup",
    "RetentionInDays": "provider.logRetentionInDays",
    "AuthType": "url.authorizer",
    "BatchSize": "batchSize",
    "MaximumBatchingWindowInSeconds": "maximumBatchingWindow",
    "FunctionResponseTypes": "functionResponseType",
    "MaximumRetryAttempts": "maximumRetryAttempts",
    "MaximumRecordAgeInSeconds": "maximumRecordAgeInSeconds",
    "BisectBatchOnFunctionError": "bisectBatchOnFunctionError",
    "OnFailure": "destinations.onFailure",
    "AllowOrigins": "cors.allowedOrigins",
}
