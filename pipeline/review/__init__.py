"""Reviewing extraction: scoring against gold and the HTML review page."""
