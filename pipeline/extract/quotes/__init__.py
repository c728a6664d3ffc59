"""Quotes: quotation-mark spans, speech verbs and speaker attribution."""
