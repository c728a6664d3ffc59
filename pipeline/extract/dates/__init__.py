"""Dates: a rule grammar kept as data, an engine, and the spaCy component."""
