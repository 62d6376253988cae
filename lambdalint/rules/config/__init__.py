"""LL2xx: a function's own configuration, read from the IaC model (any template format)."""
