"""IAM rules: the policies that reach a function's execution role, and who may invoke it."""
