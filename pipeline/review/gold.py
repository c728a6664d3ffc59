"""Gold files: loading and validation against the public gold format.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pipeline.review.matching import QUOTE_KINDS
from pipeline.review.scores import EvaluationError, GoldError

# --------------------------------------------------------------------------------------
# Gold files: loading and validation
# --------------------------------------------------------------------------------------

_STR, _OPT_STR, _OPT_NUM, _LIST = "string", "string or null", "number or null", "list"
GOLD_TOP = {
    "doc_id": _STR, "title": _OPT_STR, "dateline": _OPT_STR, "published": _OPT_STR,
    "reference_date": _OPT_STR, "quotes": _LIST, "speakers": _LIST,
    "organizations": _LIST, "dates": _LIST, "statistics": _LIST,
}
GOLD_ITEMS = {
    "quotes": {"text": _STR, "speaker": _OPT_STR, "kind": _STR},
    "speakers": {"name": _STR, "honorific": _OPT_STR, "title": _OPT_STR, "organization": _OPT_STR},
    "organizations": {"name": _STR, "acronym": _OPT_STR},
    "dates": {"text": _STR, "value": _OPT_STR},
    "statistics": {"text": _STR, "value": _OPT_NUM, "unit": _OPT_STR, "qualifier": _OPT_STR,
                   "subject": _OPT_STR, "source": _OPT_STR},
}


def _type_ok(value: Any, expected: str) -> bool:
    if expected == _STR:
        return isinstance(value, str)
    if expected == _OPT_STR:
        return value is None or isinstance(value, str)
    if expected == _OPT_NUM:
        return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                 and math.isfinite(value))
    if expected == _LIST:
        return isinstance(value, list)
    raise AssertionError(expected)


def _type_name(value: Any) -> str:
    return "null" if value is None else {dict: "object", list: "list", str: "string", bool: "boolean",
                                         int: "number", float: "number"}.get(type(value), type(value).__name__)


def validate_gold(data: Any, file: str) -> list[GoldError]:
    """Every format error of one parsed gold file, each naming the offending key
    (`quotes[2].kind`). Extra keys are allowed; missing or mistyped ones are not."""
    if not isinstance(data, dict):
        return [GoldError(file, "<root>", f"expected a JSON object, got {_type_name(data)}")]
    errors: list[GoldError] = []
    for key, expected in GOLD_TOP.items():
        if key not in data:
            errors.append(GoldError(file, key, "missing required key"))
        elif not _type_ok(data[key], expected):
            errors.append(GoldError(file, key, f"expected {expected}, got {_type_name(data[key])}"))
    for table, spec in GOLD_ITEMS.items():
        items = data.get(table)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            where = f"{table}[{i}]"
            if not isinstance(item, dict):
                errors.append(GoldError(file, where, f"expected an object, got {_type_name(item)}"))
                continue
            for key, expected in spec.items():
                if key not in item:
                    errors.append(GoldError(file, f"{where}.{key}", "missing required key"))
                elif not _type_ok(item[key], expected):
                    errors.append(GoldError(file, f"{where}.{key}", f"expected {expected}, got {_type_name(item[key])}"))
            if table == "quotes" and isinstance(item.get("kind"), str) and item["kind"] not in QUOTE_KINDS:
                errors.append(GoldError(file, f"{where}.kind",
                                        f"expected one of {', '.join(QUOTE_KINDS)}, got {item['kind']!r}"))
    return errors


def load_gold_file(path: Path) -> tuple[dict | None, list[GoldError]]:
    """Parse and validate one gold file; (data, []) or (None, errors). Never raises
    on bad content."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [GoldError(path.name, "<file>", f"cannot read: {exc}")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [GoldError(path.name, "<json>", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
    errors = validate_gold(data, path.name)
    return (None, errors) if errors else (data, [])


def load_gold_dir(gold_dir: Path) -> tuple[list[dict], list[GoldError], list[str], list[str]]:
    """All valid gold files of a folder sorted by doc_id, plus (errors, skipped file
    names, warnings). Duplicate doc_ids keep the first file by name."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise EvaluationError(f"gold folder not found: {gold_dir}")
    golds: dict[str, dict] = {}
    errors: list[GoldError] = []
    skipped: list[str] = []
    warnings: list[str] = []
    for path in sorted(gold_dir.glob("*.json")):
        data, errs = load_gold_file(path)
        if data is not None and data["doc_id"] in golds:
            errs = [GoldError(path.name, "doc_id", f"duplicate doc_id {data['doc_id']!r} (already in another file)")]
            data = None
        if data is None:
            errors.extend(errs)
            skipped.append(path.name)
            continue
        if path.stem != data["doc_id"]:
            warnings.append(f"{path.name}: doc_id {data['doc_id']!r} differs from the file name; using the doc_id")
        golds[data["doc_id"]] = data
    return [golds[k] for k in sorted(golds)], errors, skipped, warnings
