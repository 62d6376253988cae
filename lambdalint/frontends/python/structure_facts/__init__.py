"""Plain data recorded by the structural visitors, kept apart from the visitors so that rules
and the cache can read it without importing libcst."""
