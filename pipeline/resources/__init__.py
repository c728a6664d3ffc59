"""Rule data of every extractor, kept apart from the code that applies it.

One file per concept (speech verbs, honorifics, titles, organizations' vocabulary, the
organization gazetteer, dates, statistics, sections, ingest). Every module reads them
through ``load_json``/``load_jsonl``, which parse each file once per process.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

RESOURCES = Path(__file__).resolve().parent


def path(name: str) -> Path:
    """The path of a resource file by its file name (``speech_verbs.json``)."""
    return RESOURCES / name


@cache
def load_json(name: str) -> Any:
    """A JSON resource, parsed once; callers must treat it as read-only."""
    return json.loads(path(name).read_text(encoding="utf-8"))


@cache
def load_jsonl(name: str) -> tuple[dict, ...]:
    """A JSON-lines resource as a tuple of records, parsed once."""
    with path(name).open(encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())
