"""The one model every IaC frontend builds and every template/project rule reads.

CloudFormation, SAM, Terraform and Serverless Framework all become these objects; a rule never
sees YAML, HCL or JSON. Values that cannot be resolved are UNKNOWN and rules stay silent on them.
"""

from lambdalint.model.resources import (
    AsyncConfig,
    Bucket,
    EventSource,
    Function,
    FunctionUrl,
    LogGroup,
    Permission,
    Queue,
    Resource,
    Role,
    Statement,
    Table,
    Template,
    Topic,
)
from lambdalint.model.values import MISSING, UNKNOWN, Val

__all__ = [
    "MISSING",
    "UNKNOWN",
    "AsyncConfig",
    "Bucket",
    "EventSource",
    "Function",
    "FunctionUrl",
    "LogGroup",
    "Permission",
    "Queue",
    "Resource",
    "Role",
    "Statement",
    "Table",
    "Template",
    "Topic",
    "Val",
]
