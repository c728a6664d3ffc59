"""Organizations: acronym definitions, a gazetteer, name spans and corpus merging."""
