"""LL5xx: rules that read a template's function and the handler code it runs together."""
