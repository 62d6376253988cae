"""Every rule lives in its own module below this package, grouped by family."""
