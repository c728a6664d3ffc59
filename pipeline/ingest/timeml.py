"""TimeML (``.tml``) documents: the plain text of ``<TEXT>`` without tags, the document
creation time (``<DCT>``) and the TIMEX3 gold spans.

A TimeML file is read as a release: its text is what stands inside ``<TEXT>`` with every
tag removed (entities decoded), its published date the DCT's value. The same parse gives
the scorer (``pipeline.review.timeml``) the TIMEX3 elements with offsets into that text, so
gold and predictions index one string.
"""
from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.readers import (
    IngestError,
    Release,
    _finish,
    decode_release,
    normalize_text,
)


@dataclass(frozen=True)
class Timex:
    """One TIMEX3 element: its span in the document's text, type and normalized value."""

    start: int
    end: int
    text: str
    type: str
    value: str | None
    tid: str | None = None


@dataclass
class TimemlDocument:
    """A parsed TimeML file: normalized text, creation date and the TIMEX3 elements."""

    doc_id: str
    text: str
    dct: str | None
    timexes: list[Timex] = field(default_factory=list)


def _walk(elem: ET.Element, parts: list[str], found: list[tuple[int, int, ET.Element]], pos: int) -> int:
    """Append the text of ``elem``'s content to ``parts``; record TIMEX3 spans. Returns the
    offset after the content."""
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        start = pos
        pos = _walk(child, parts, found, pos)
        if child.tag == "TIMEX3":
            found.append((start, pos, child))
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    return pos


def parse_timeml(xml: str, doc_id: str) -> TimemlDocument:
    """Text, DCT and TIMEX3 spans of a TimeML document; offsets index the normalized text
    (the text the pipeline stores, ``normalize_text`` of the raw content)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed TimeML ({exc})") from None
    dct = None
    dct_timex = root.find("DCT/TIMEX3")
    if dct_timex is not None:
        dct = (dct_timex.get("value") or "")[:10] or None
    body = root.find("TEXT")
    if body is None:
        raise ValueError("no <TEXT> element")
    parts: list[str] = []
    found: list[tuple[int, int, ET.Element]] = []
    _walk(body, parts, found, 0)
    raw = "".join(parts)
    text = normalize_text(raw)
    # normalize_text maps characters one to one and trims: offsets move by the trimmed start
    shift = len(raw) - len(raw.lstrip()) if len(raw.strip()) == len(text) else None
    timexes = []
    for start, end, el in found:
        surface = raw[start:end]
        if shift is not None:
            s, e = start - shift, end - shift
        else:  # a character was dropped on the way: find the span from where it should be
            s = text.find(surface.strip(), max(0, start - (len(raw) - len(text))))
            e = s + len(surface.strip())
        if s < 0:
            continue
        timexes.append(Timex(s, e, text[s:e], el.get("type") or "", el.get("value"), el.get("tid")))
    return TimemlDocument(doc_id, text, dct, timexes)


def read_timeml(path: Path, source: str, data: bytes) -> Release:
    """A ``.tml`` file as a release: the plain text, the DCT as published date."""
    try:
        decoded = decode_release(data)
        parsed = parse_timeml(decoded.text, path.stem)
    except ValueError as exc:
        raise IngestError(source, str(exc), path.stem) from None
    try:
        return _finish(path.stem, source, hashlib.sha256(data).hexdigest(), parsed.text, "timeml",
                       decoded.encoding, published=parsed.dct, repairs=decoded.repairs)
    except IngestError as exc:
        exc.doc_id = path.stem
        raise
