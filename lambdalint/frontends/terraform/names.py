"""How Terraform's AWS provider spells the properties rule messages name (CloudFormation's
names are the keys: messages are written with those, and each format shows its own)."""

from __future__ import annotations

TERRAFORM_NAMES: dict[str, str] = {
    "Timeout": "timeout",
    "MemorySize": "memory_size",
    "Runtime": "runtime",
    "Handler": "handler",
    "Role": "role",
    "Tracing": "tracing_config.mode",
    "Environment": "environment",
    "ReservedConcurrentExecutions": "reserved_concurrent_executions",
    "EphemeralStorage": "ephemeral_storage",
    "DeadLetterConfig": "dead_letter_config",
    "LoggingConfig": "logging_config",
    "RecursiveLoop": "recursive_loop (aws_lambda_function_recursion_config)",
    "RetentionInDays": "retention_in_days",
    "AuthType": "authorization_type",
    "SourceArn": "source_arn",
    "SourceAccount": "source_account",
    "PrincipalOrgID": "principal_org_id",
    "BatchSize": "batch_size",
    "MaximumBatchingWindowInSeconds": "maximum_batching_window_in_seconds",
    "FunctionResponseTypes": "function_response_types",
    "MaximumRetryAttempts": "maximum_retry_attempts",
    "MaximumRecordAgeInSeconds": "maximum_record_age_in_seconds",
    "BisectBatchOnFunctionError": "bisect_batch_on_function_error",
    "OnFailure": "destination_config.on_failure",
    "VisibilityTimeout": "visibility_timeout_seconds",
    "RedrivePolicy": "redrive_policy",
    "maxReceiveCount": "maxReceiveCount",
    "Cors": "cors",
    "AllowOrigins": "allow_origins",
}
