"""Figures in text tables (``Country | Population | ...`` over a ``---|---`` line), as
scraped pages render HTML tables. A number that fills a cell is a statistic of its
column: the header names the subject (``Population``, ``Estimated number of people in
modern slavery``), and a rate header (``prevalence (per 1,000 of population)``) gives the
unit ``per 1000`` and the subject after ``of``. Pure functions of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from pipeline.extract.stats.numerals import is_year_like, parse_digits

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_RATE = re.compile(r"\(\s*per\s+([\d,.]+)(?:\s+of)?\s*([^)]*)\)", re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^)]*\)")


@dataclass
class Cell:
    """A number filling a table cell, with what its column header says about it."""

    start: int
    end: int
    value: float
    unit: str
    subject: str | None


def _cells(line: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cell of a ``|``-separated line, offsets into the text."""
    out, pos = [], 0
    for part in line.split("|"):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        out.append((offset + pos + lead, offset + pos + lead + len(text), text))
        pos += len(part) + 1
    return out


def header_meaning(header: str) -> tuple[str, str | None]:
    """(unit, subject) a column header gives its numbers."""
    rate = _RATE.search(header)
    if rate:
        per = parse_digits(rate.group(1))
        subject = rate.group(2).strip() or None
        if per:
            return f"per {int(per)}", subject
    subject = _PAREN.sub("", header).strip()
    return "count", subject or None


def _tables(text: str) -> Iterator[tuple[tuple[int, int], list[str], list[tuple[str, int]]]]:
    """Each text table: its header line's span, its header cells, its data lines (text, offset)."""
    lines = text.split("\n")
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    for n, line in enumerate(lines):
        if n == 0 or not _SEPARATOR.match(line) or "|" not in lines[n - 1]:
            continue
        headers = [c[2] for c in _cells(lines[n - 1], starts[n - 1])]
        data = []
        for m in range(n + 1, len(lines)):
            if "|" not in lines[m]:
                break
            data.append((lines[m], starts[m]))
        yield (starts[n - 1], starts[n - 1] + len(lines[n - 1])), headers, data


def table_cells(text: str, vocab: Mapping[str, Any]) -> Iterator[Cell]:
    """Every number that fills a data cell of a text table, outside the first column
    (which labels the row). Years are not figures."""
    for _, headers, data in _tables(text):
        for line, offset in data:
            for col, (s, e, cell) in enumerate(_cells(line, offset)):
                value = parse_digits(cell)
                if col == 0 or col >= len(headers) or value is None or is_year_like(value, cell, vocab):
                    continue
                unit, subject = header_meaning(headers[col])
                yield Cell(s, e, value, unit, subject)


def with_table_rows(text: str, rows: list[dict], vocab: Mapping[str, Any], start: int = 0) -> list[dict]:
    """``rows`` with every table figure after ``start`` as a row of its column; rows found
    by the sentence rules inside a table cell are replaced (their subject came from the
    wrong words), and numbers in a header line (``per 1,000``) are dropped."""
    if "|" not in text:
        return rows
    cells = [c for c in table_cells(text, vocab) if c.start >= start]
    if not cells:
        return rows
    spans = [(c.start, c.end) for c in cells] + [h for h, _, _ in _tables(text)]
    kept = [r for r in rows if not any(s <= r["start_char"] < e for s, e in spans)]
    for c in cells:
        kept.append({"start_char": c.start, "end_char": c.end, "text": text[c.start:c.end], "value": c.value,
                     "unit": c.unit, "qualifier": None, "subject": c.subject, "source": None, "range_bound": None})
    return sorted(kept, key=lambda r: (r["start_char"], r["end_char"]))
