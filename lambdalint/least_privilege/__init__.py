"""The least-privilege policy a function's code needs (`lambdalint policy`, LL504's proposal):
derived from the handler's SDK usage and the template's wiring (statements.py), printed as IAM
JSON, SAM `Policies`, a Terraform `aws_iam_policy_document` or CDK Python (formats.py)."""
