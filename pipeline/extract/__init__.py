"""The per-release extractors, one folder each, run as spaCy components."""
