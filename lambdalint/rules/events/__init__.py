"""Event-source rules: mappings, async invocation, and the resources that trigger a function."""
